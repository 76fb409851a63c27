// The ACD service on the real SwitchRuntime (call model, dial plan 95001 -> general) over the runtime's fake gateway and media:
// the ports.ts contract as the runtime actually keeps it (issue 5, ACD-3, ACD-4, CTI-1).
import { describe, expect, it } from 'vitest';
import { runtimeKit, settle } from '../../switch/runtime/test-kit.ts';
import type { AcdEvent } from '../acd-events.ts';
import { parseAcdConfig } from './acd-config.ts';
import { AcdService } from './acd-service.ts';
import { RecordingTreatment } from './test-kit.ts';

function setup() {
  const k = runtimeKit();
  const svc = new AcdService({
    clock: k.clock,
    config: parseAcdConfig({
      strategy: { rules: ['longest-idle'] },
      agents: ['8001', '8002', '8003'].map((id) => ({ id, skills: { general: 5 } })),
      queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 12_000, wrapUpMs: 5_000 }],
      entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
      blacklist: [{ number: '13900000666', mode: 'flag' }],
    }),
  });
  const treatment = new RecordingTreatment();
  k.runtime.setQueuePort(svc);
  svc.attach(k.runtime, treatment);
  const acd: AcdEvent[] = [];
  svc.events.on((e) => e.type === 'acd' && acd.push(e.event));
  const ready = (...ids: string[]) => {
    for (const id of ids) {
      svc.control.act(id, 'login');
      svc.control.act(id, 'ready');
      k.clock.advance(1000);
    }
  };
  const dialsTo = () => k.gateway.dials.flatMap((d) => (d.target.kind === 'extension' ? [d.target.extension] : []));
  return { k, svc, acd, ready, dialsTo, state: (id: string) => svc.control.agent(id).state };
}

describe('AcdService on the switch runtime (ACD-3, ACD-4, CTI-1)', () => {
  it('a call to 95001 rings the longest-idle agent with the ACD ring time; answer bridges; hang-up starts wrap-up', async () => {
    const t = setup();
    t.ready('8002', '8001');
    const cust = t.k.gateway.inbound('13800000001', '95001');
    await settle();
    expect(t.dialsTo()).toEqual(['8002']);
    expect(t.k.gateway.dials[0]!.opts).toMatchObject({ autoAnswer: false, ringTimeoutMs: 12_000, callerId: { number: '13800000001' } });
    const ix = t.svc.control.agent('8002').interactionId!;
    expect(t.k.runtime.get(ix).state).toBe('ringing');
    const agentLeg = t.k.gateway.legTo('8002');
    t.k.gateway.emit({ type: 'answered', legId: agentLeg });
    await settle();
    expect(t.state('8002')).toBe('talking');
    expect(t.k.media.hears(cust)).toEqual([agentLeg]);
    t.k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(t.state('8002')).toBe('wrap-up');
    t.k.clock.advance(5_000);
    expect(t.state('8002')).toBe('ready');
    expect(t.svc.control.queues()[0]!.counters).toMatchObject({ entered: 1, answered: 1, abandoned: 0 });
  });

  it('RONA: the gateway reports no answer, the agent goes not ready (counted) and the call rings the next agent', async () => {
    const t = setup();
    t.ready('8001', '8002');
    t.k.gateway.inbound('13800000001', '95001');
    await settle();
    t.k.gateway.emit({ type: 'failed', legId: t.k.gateway.legTo('8001'), status: 480, cause: 'no-answer' });
    await settle();
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'not-ready', reason: 'RONA', counters: { ronaCount: 1 } });
    expect(t.dialsTo()).toEqual(['8001', '8002']);
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8002') });
    await settle();
    expect(t.state('8002')).toBe('talking');
    // Entered once: the re-enqueue after RONA is the same contact.
    expect(t.svc.control.queues()[0]!.counters.entered).toBe(1);
    expect(t.acd.filter((e) => e.type === 'ring-no-answer')).toHaveLength(1);
  });

  it('an agent whose phone cannot be reached is set aside with reason unreachable, uncounted as RONA', async () => {
    const t = setup();
    t.k.gateway.failDial = (target) => (target.kind === 'extension' && target.extension === '8001' ? new Error('no registered contact') : undefined);
    t.ready('8001', '8002');
    t.k.gateway.inbound('13800000001', '95001');
    await settle();
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'not-ready', reason: 'unreachable', counters: { ronaCount: 0 } });
    expect(t.dialsTo()).toEqual(['8002']);
    expect(t.state('8002')).toBe('reserved');
  });

  it('abandon while queued: the runtime cancels, the ACD counts one abandon and frees nothing else', async () => {
    const t = setup();
    const cust = t.k.gateway.inbound('13800000001', '95001');
    await settle();
    expect(t.svc.control.queues()[0]!.waiting).toBe(1);
    t.k.clock.advance(30_000);
    t.k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(t.svc.control.queues()[0]).toMatchObject({ waiting: 0, counters: { entered: 1, abandoned: 1 } });
    t.ready('8001');
    expect(t.dialsTo()).toEqual([]);
  });

  it('the customer hangs up while the agent rings: the agent is ready again and nothing rings on', async () => {
    const t = setup();
    t.ready('8001');
    const cust = t.k.gateway.inbound('13800000001', '95001');
    await settle();
    t.k.gateway.emit({ type: 'hangup', legId: cust, cause: 'cancel' });
    await settle();
    expect(t.state('8001')).toBe('ready');
    expect(t.svc.control.queues()[0]!.counters.abandoned).toBe(1);
  });

  it('a flagged caller reaches an agent with the warning on the offer (ACD-7)', async () => {
    const t = setup();
    t.ready('8001');
    t.k.gateway.inbound('13900000666', '95001');
    await settle();
    expect(t.acd.find((e) => e.type === 'offered')).toMatchObject({ agentId: '8001', blacklistWarning: true });
    expect(t.dialsTo()).toEqual(['8001']);
  });

  // Issue 5: calls the ACD did not route still make the agent busy in the ACD.
  async function answeredBy8001(t: ReturnType<typeof setup>) {
    const cust = t.k.gateway.inbound('13800000001', '95001');
    await settle();
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8001') });
    await settle();
    expect(t.state('8001')).toBe('talking');
    return { cust, ix: t.svc.control.agent('8001').interactionId! };
  }

  it('blind transfer to a ready agent: talking in the ACD, not offered the next queued call, answered counted, wrap-up after the hang-up', async () => {
    const t = setup();
    t.ready('8001', '8002');
    const { cust, ix } = await answeredBy8001(t);
    await t.k.runtime.blindTransfer(ix, '8001', { kind: 'agent', agentId: '8002' });
    await settle();
    expect(t.state('8001')).toBe('wrap-up');
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8002') });
    await settle();
    expect(t.svc.control.agent('8002')).toMatchObject({ state: 'talking', interactionId: ix, direct: { kind: 'transfer' }, counters: { answered: 1 } });
    // The next caller waits: 8002 is on the transferred call, 8001 wraps up.
    t.k.gateway.inbound('13800000002', '95001');
    await settle();
    expect(t.dialsTo()).toEqual(['8001', '8002']);
    expect(t.svc.control.queues()[0]!.waiting).toBe(1);
    t.k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(t.state('8002')).toBe('wrap-up');
  });

  it('a not-ready agent receiving a blind transfer shows talking (the reported bug), and goes back to its pause after wrap-up', async () => {
    const t = setup();
    t.ready('8001');
    t.svc.control.act('8002', 'login');
    t.svc.control.act('8002', 'not-ready', 'lunch');
    const { cust, ix } = await answeredBy8001(t);
    await t.k.runtime.blindTransfer(ix, '8001', { kind: 'agent', agentId: '8002' });
    await settle();
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8002') });
    await settle();
    expect(t.k.runtime.get(ix).state).toBe('talking');
    expect(t.state('8002')).toBe('talking');
    t.k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(t.state('8002')).toBe('wrap-up');
    t.k.clock.advance(5_000);
    expect(t.svc.control.agent('8002')).toMatchObject({ state: 'not-ready', reason: 'lunch' });
  });

  it('consultation from A to a ready B: B talking while consulted, back to ready (no wrap-up) when A reconnects', async () => {
    const t = setup();
    t.ready('8001', '8002');
    const { ix } = await answeredBy8001(t);
    await t.k.runtime.consult(ix, '8001', { kind: 'agent', agentId: '8002' });
    await settle();
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8002') });
    await settle();
    expect(t.svc.control.agent('8002')).toMatchObject({ state: 'talking', direct: { kind: 'consult' }, counters: { answered: 0 } });
    await t.k.runtime.agentOp(ix, '8001', 'reconnect');
    await settle();
    expect(t.state('8002')).toBe('ready');
    expect(t.state('8001')).toBe('talking');
  });

  it('consultation completed as a transfer: B now handles the customer, answered counted, wrap-up after the hang-up', async () => {
    const t = setup();
    t.ready('8001', '8002');
    const { cust, ix } = await answeredBy8001(t);
    await t.k.runtime.consult(ix, '8001', { kind: 'agent', agentId: '8002' });
    await settle();
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8002') });
    await settle();
    await t.k.runtime.agentOp(ix, '8001', 'transfer');
    await settle();
    expect(t.state('8001')).toBe('wrap-up');
    expect(t.svc.control.agent('8002')).toMatchObject({ state: 'talking', direct: { kind: 'transfer' }, counters: { answered: 1 } });
    t.k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(t.state('8002')).toBe('wrap-up');
  });

  it('an extension call from a ready agent to a ready agent: both talking in the ACD, both ready again after (no wrap-up)', async () => {
    const t = setup();
    t.ready('8001', '8002');
    const ix = await t.k.runtime.makeCall('8001', '8002');
    await settle();
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8001') });
    await settle();
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8002') });
    await settle();
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'talking', direct: { interactionId: ix, kind: 'internal' } });
    expect(t.svc.control.agent('8002')).toMatchObject({ state: 'talking', direct: { interactionId: ix, kind: 'internal' } });
    t.k.gateway.emit({ type: 'hangup', legId: t.k.gateway.legTo('8002'), cause: 'bye' });
    await settle();
    expect([t.state('8001'), t.state('8002')]).toEqual(['ready', 'ready']);
  });

  it('click-to-dial to a customer number: the agent is talking (outbound), wrap-up after', async () => {
    const t = setup();
    t.ready('8001');
    await t.k.runtime.makeCall('8001', '913800000009');
    await settle();
    t.k.gateway.emit({ type: 'answered', legId: t.k.gateway.legTo('8001') });
    await settle();
    const out = t.k.gateway.dials.find((d) => d.target.kind !== 'extension')!;
    t.k.gateway.emit({ type: 'answered', legId: out.legId });
    await settle();
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'talking', direct: { kind: 'outbound' }, counters: { answered: 0 } });
    t.k.gateway.emit({ type: 'hangup', legId: out.legId, cause: 'bye' });
    await settle();
    expect(t.state('8001')).toBe('ready'); // no queue, no agent wrap-up time: the engine's default wrap-up is none
  });
});
