import { describe, expect, it } from 'vitest';
import { INTERACTION_STATES, INTERACTION_TABLE, type Interaction, type InteractionAction, type InteractionState } from './interaction.ts';
import { answer, enqueue, hold, noAnswer, offer, retrieve } from './operations-call.ts';
import { alternate, completeConference, completeTransfer, consult, reconnect } from './operations-consult.ts';
import { hangup } from './operations-hangup.ts';
import { barge, intercept, monitor } from './operations-supervisor.ts';
import { blindTransfer, queueToIvr } from './operations-transfer.ts';
import { legOf, reach } from './test-kit.ts';

/** `start`: where the setup begins when the operation first brings the call to `from` itself. */
type Row = [from: InteractionState, action: InteractionAction, to: InteractionState, op: (ix: Interaction) => void, start?: InteractionState];

const answered = (ix: Interaction): void => void answer(ix, legOf(ix, 'agent', '8002'));
const supervisorOn = (ix: Interaction): void => {
  monitor(ix, '8100', '8001');
  answer(ix, legOf(ix, 'supervisor', '8100'));
};
const byCustomer = (ix: Interaction): void => void hangup(ix, ix.customerLeg);
const BLIND: (s: InteractionState) => Row[] = (s) => [
  [s, 'blind-agent', 'ringing', (ix) => blindTransfer(ix, '8001', { kind: 'agent', agentId: '8009' })],
  [s, 'blind-queue', 'queued', (ix) => blindTransfer(ix, '8001', { kind: 'queue', queueId: 'q2' })],
  [s, 'blind-ivr', 'ivr', (ix) => blindTransfer(ix, '8001', { kind: 'ivr', mode: 'new', script: 'auth.vxml' })],
];
/** A conference (customer, 8001, 8002) where 8001 consults 8003. */
const confConsult = (ix: Interaction): void => void consult(ix, '8001', { kind: 'agent', agentId: '8003' });

// Every allowed move of the table, driven by the real operation; multi-end moves once per end.
const ROWS: Row[] = [
  ['ivr', 'enqueue', 'queued', (ix) => enqueue(ix, 'q1')],
  ['ivr', 'offer', 'ringing', (ix) => offer(ix, '8001')],
  ['ivr', 'end', 'ended', byCustomer],
  ['queued', 'offer', 'ringing', (ix) => offer(ix, '8001')],
  ['queued', 'blind-ivr', 'ivr', (ix) => queueToIvr(ix, { kind: 'ivr', mode: 'new', script: 'callback.vxml' })],
  ['queued', 'end', 'ended', byCustomer],
  ['ringing', 'answer', 'talking', (ix) => answer(ix, legOf(ix, 'agent', '8001'))],
  ['ringing', 'no-answer', 'queued', (ix) => noAnswer(ix, legOf(ix, 'agent', '8001'))],
  ['ringing', 'end', 'ended', byCustomer],
  ['talking', 'hold', 'on-hold', (ix) => hold(ix, '8001')],
  ['talking', 'consult', 'consulting', (ix) => consult(ix, '8001', { kind: 'external', number: '955' })],
  ...BLIND('talking'),
  ['talking', 'supervise', 'talking', supervisorOn],
  ['talking', 'barge', 'conferencing', (ix) => (supervisorOn(ix), barge(ix, '8100', '8001'))],
  ['talking', 'intercept', 'talking', (ix) => (supervisorOn(ix), intercept(ix, '8100', '8001'))],
  ['talking', 'end', 'ended', (ix) => hangup(ix, legOf(ix, 'agent', '8001'))],
  ['talking', 'survey', 'ivr', (ix) => hangup(ix, legOf(ix, 'agent', '8001'), 'party', 'normal', { script: 'survey.vxml' })],
  ['on-hold', 'retrieve', 'talking', (ix) => retrieve(ix, '8001')],
  ['on-hold', 'consult', 'consulting', (ix) => consult(ix, '8001', { kind: 'agent', agentId: '8002' })],
  ...BLIND('on-hold'),
  ['on-hold', 'supervise', 'on-hold', supervisorOn],
  ['on-hold', 'intercept', 'talking', (ix) => (supervisorOn(ix), intercept(ix, '8100', '8001'))],
  ['on-hold', 'end', 'ended', byCustomer],
  ['on-hold', 'survey', 'ivr', (ix) => hangup(ix, legOf(ix, 'agent', '8001'), 'system', 'agent-hangup', { script: 'survey.vxml' })],
  ['consulting', 'consult-answered', 'consulting', answered],
  ['consulting', 'alternate', 'consulting', (ix) => (answered(ix), alternate(ix, '8001'))],
  ['consulting', 'reconnect', 'talking', (ix) => reconnect(ix, '8001')],
  ['consulting', 'reconnect', 'conferencing', (ix) => (confConsult(ix), reconnect(ix, '8001')), 'conferencing'],
  ['consulting', 'consulted-left', 'on-hold', (ix) => (answered(ix), hangup(ix, legOf(ix, 'agent', '8002')))],
  ['consulting', 'consulted-left', 'conferencing', (ix) => (confConsult(ix), hangup(ix, legOf(ix, 'agent', '8003'))), 'conferencing'],
  ['consulting', 'transfer', 'talking', (ix) => (answered(ix), completeTransfer(ix, '8001'))],
  ['consulting', 'transfer', 'conferencing', (ix) => (confConsult(ix), answer(ix, legOf(ix, 'agent', '8003')), completeTransfer(ix, '8001')), 'conferencing'],
  ['consulting', 'conference', 'conferencing', (ix) => (answered(ix), completeConference(ix, '8001'))],
  ['consulting', 'supervise', 'consulting', (ix) => (answered(ix), supervisorOn(ix))],
  ['consulting', 'party-left', 'consulting', (ix) => (confConsult(ix), hangup(ix, legOf(ix, 'agent', '8002'))), 'conferencing'],
  ['consulting', 'end', 'ended', byCustomer],
  ['conferencing', 'consult', 'consulting', confConsult],
  ['conferencing', 'party-left', 'talking', (ix) => hangup(ix, legOf(ix, 'agent', '8002'))],
  ['conferencing', 'party-left', 'conferencing', (ix) => (supervisorOn(ix), barge(ix, '8100', '8001'), hangup(ix, legOf(ix, 'agent', '8002')))],
  ['conferencing', 'supervise', 'conferencing', supervisorOn],
  ['conferencing', 'barge', 'conferencing', (ix) => (supervisorOn(ix), barge(ix, '8100', '8001'))],
  ['conferencing', 'intercept', 'talking', (ix) => (supervisorOn(ix), intercept(ix, '8100', '8001'))],
  ['conferencing', 'end', 'ended', byCustomer],
];


describe('Interaction transitions, each driven by its operation (CTI-1..CTI-5, SUP-2)', () => {
  it('every allowed move of the table, and every end of it, has a row', () => {
    for (const s of INTERACTION_STATES) {
      for (const [action, to] of Object.entries(INTERACTION_TABLE[s])) {
        const ends = typeof to === 'string' ? [to] : to;
        for (const end of ends) {
          expect(ROWS.some((r) => r[0] === s && r[1] === action && r[2] === end), `${s} --${action}--> ${end}`).toBe(true);
        }
      }
    }
  });

  it.each(ROWS)('%s --%s--> %s', (from, _action, to, op, start) => {
    const ix = reach[start ?? from]();
    op(ix);
    expect(ix.state).toBe(to);
  });
});
