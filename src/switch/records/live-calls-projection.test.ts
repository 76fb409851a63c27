import { describe, expect, it } from 'vitest';
import {
  acceptInbound,
  alternate,
  answer,
  barge,
  blindTransfer,
  completeConference,
  consult,
  enqueue,
  hangup,
  hold,
  intercept,
  makeCall,
  noAnswer,
  offer,
  queueToIvr,
  reconnect,
  retrieve,
  whisper,
  type Interaction,
  type Outcome,
} from '../model/index.ts';
import { legOf } from '../model/test-kit.ts';
import { LiveCallsProjection } from './live-calls-projection.ts';
import { Tape } from './test-tape.ts';

const CUSTOMER = { kind: 'customer', id: '13800000000' } as const;

/** Drives the model and, after every operation, checks the projection shows what the model holds. */
class Mirror {
  readonly t = new Tape();
  readonly live = new LiveCallsProjection();
  readonly ixs: Interaction[] = [];

  start(r: { interaction: Interaction; outcome: Outcome }): Interaction {
    this.ixs.push(r.interaction);
    this.t.op(r);
    this.check();
    return r.interaction;
  }
  op(o: Outcome): void {
    this.t.op(o);
    this.check();
  }
  check(): void {
    for (const e of this.t.entries.slice(this.live.lastSeq)) this.live.apply(e);
    for (const ix of this.ixs) {
      const shown = this.live.get(ix.id);
      if (ix.state === 'ended') {
        expect(shown).toBeUndefined();
        continue;
      }
      expect(shown?.state).toBe(ix.state);
      const byId = (a: { legId: string }, b: { legId: string }) => a.legId.localeCompare(b.legId);
      const modelLegs = [...ix.legs.values()].filter((l) => l.live).map((l) => ({ legId: l.id, party: l.party, state: l.state }));
      expect(shown?.legs.map((l) => ({ legId: l.legId, party: l.party, state: l.state })).sort(byId)).toEqual(modelLegs.sort(byId));
    }
  }
}

const scenarios: { name: string; run(m: Mirror): void }[] = [
  {
    name: 'IVR, queue, RONA, answer, hold, consult, alternate, reconnect, hang-up',
    run(m) {
      const ix = m.start(acceptInbound(m.t.ctx, CUSTOMER, { kind: 'ivr', script: 'main.vxml' }));
      m.op(enqueue(ix, 'q1'));
      m.op(offer(ix, '8001'));
      m.op(noAnswer(ix, legOf(ix, 'agent', '8001')));
      m.op(offer(ix, '8002'));
      m.op(answer(ix, legOf(ix, 'agent', '8002')));
      m.op(hold(ix, '8002'));
      m.op(retrieve(ix, '8002'));
      m.op(consult(ix, '8002', { kind: 'agent', agentId: '8003' }));
      m.op(answer(ix, legOf(ix, 'agent', '8003')));
      m.op(alternate(ix, '8002'));
      m.op(alternate(ix, '8002'));
      m.op(reconnect(ix, '8002'));
      m.op(hangup(ix, ix.customerLeg));
    },
  },
  {
    name: 'conference, supervisor whisper then barge, intercept, blind transfer to IVR',
    run(m) {
      const ix = m.start(acceptInbound(m.t.ctx, CUSTOMER, { kind: 'queue', queueId: 'q1' }));
      m.op(offer(ix, '8001'));
      m.op(answer(ix, legOf(ix, 'agent', '8001')));
      m.op(whisper(ix, '8100', '8001'));
      m.op(answer(ix, legOf(ix, 'supervisor', '8100')));
      m.op(barge(ix, '8100', '8001'));
      m.op(intercept(ix, '8100', '8001'));
      m.op(hangup(ix, ix.customerLeg));
      const ix2 = m.start(acceptInbound(m.t.ctx, { kind: 'customer', id: '13900000000' }, { kind: 'queue', queueId: 'q1' }));
      m.op(queueToIvr(ix2, { kind: 'ivr', mode: 'new', script: 'overflow.vxml' }));
      m.op(offer(ix2, '8004'));
      m.op(answer(ix2, legOf(ix2, 'agent', '8004')));
      m.op(consult(ix2, '8004', { kind: 'external', number: '021' }));
      m.op(answer(ix2, legOf(ix2, 'external', '021')));
      m.op(completeConference(ix2, '8004'));
      m.op(hangup(ix2, legOf(ix2, 'external', '021')));
      m.op(blindTransfer(ix2, '8004', { kind: 'ivr', mode: 'new', script: 'survey.vxml' }));
    },
  },
  {
    name: 'outbound call answered, then a second outbound not answered',
    run(m) {
      const a = m.start(makeCall(m.t.ctx, '8001', '021'));
      m.op(answer(a, a.customerLeg));
      const b = m.start(makeCall(m.t.ctx, '8002', '022'));
      m.op(noAnswer(b, b.customerLeg));
    },
  },
];

describe('live calls projection (RPT-1, CTI-8): mirrors the model after every operation', () => {
  it.each(scenarios)('$name', (s) => {
    const m = new Mirror();
    s.run(m);
    // Rebuilt from scratch, and replayed again into the warm one, the view is the same.
    const fresh = new LiveCallsProjection();
    for (const e of m.t.entries) fresh.apply(e);
    for (const e of m.t.entries) m.live.apply(e);
    expect(fresh.list()).toEqual(m.live.list());
  });

  it('shows direction, customer, queue, entry point, call data and supervisors', () => {
    const t = new Tape();
    const ix = t.op(acceptInbound(t.ctx, CUSTOMER, { kind: 'queue', queueId: 'funds' })).interaction;
    t.push({ type: 'interaction.entry', interaction: ix.id, entryPoint: '95000', at: t.now } as never);
    ix.setData('account', '600123');
    t.op(offer(ix, '8001'));
    t.op(answer(ix, legOf(ix, 'agent', '8001')));
    t.op(whisper(ix, '8100', '8001'));
    t.op(answer(ix, legOf(ix, 'supervisor', '8100')));
    t.push({ type: 'calldata.changed', interaction: ix.id, callData: { account: '600123', ticket: 'T-9' }, at: t.now } as never);
    const live = new LiveCallsProjection();
    for (const e of t.entries) live.apply(e);
    expect(live.list()).toEqual([
      expect.objectContaining({
        interactionId: ix.id, state: 'talking', direction: 'inbound', customer: '13800000000', customerLeg: ix.customerLeg, queueId: 'funds', entryPoint: '95000',
        callData: { account: '600123', ticket: 'T-9' }, supervisors: [{ supervisorId: '8100', agentId: '8001', mode: 'whisper' }],
      }),
    ]);
    expect(live.size).toBe(1);
  });
});
