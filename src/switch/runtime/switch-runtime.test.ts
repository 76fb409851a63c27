import { describe, expect, it } from 'vitest';
import { CallModelError } from '../model/index.ts';
import { runtimeKit, settle, talkingCall } from './test-kit.ts';
import { SwitchRuntimeError } from './switch-runtime-error.ts';

type Kit = ReturnType<typeof runtimeKit>;

const talking = talkingCall;

describe('switch runtime: inbound, queue, offer, answer (CTI-1, TEL-1)', () => {
  it('a service-number call is answered, queued with music, offered, and bridged on answer', async () => {
    const k = runtimeKit();
    const cust = k.gateway.inbound('13800000001', '95001');
    await settle();
    expect(k.gateway.calls).toContain(`answer ${cust}`);
    expect(k.queue.enqueued).toEqual([expect.objectContaining({ queueId: 'general', customer: { number: '13800000001' }, entryPoint: '95001' })]);
    expect(k.media.hears(cust)).toEqual(['player:/queue.wav']);
    const ix = k.queue.enqueued[0]!.interactionId;
    await k.runtime.offerToAgent(ix, '8001', { autoAnswer: true, ringTimeoutMs: 12000 });
    await settle();
    const d = k.gateway.dials[0]!;
    expect(d.target).toEqual({ kind: 'extension', extension: '8001' });
    expect(d.opts).toMatchObject({ autoAnswer: true, ringTimeoutMs: 12000, callerId: { number: '13800000001' }, interactionId: ix, mediaNear: cust });
    k.gateway.emit({ type: 'ringing', legId: d.legId, early: false });
    k.gateway.emit({ type: 'answered', legId: d.legId });
    await settle();
    expect(k.media.hears(cust)).toEqual([d.legId]);
    expect(k.media.hears(d.legId)).toEqual([cust]);
    expect(k.runtime.get(ix)).toMatchObject({ state: 'talking', agentId: '8001' });
    expect(k.events.some((e) => e.type === 'agent.connected')).toBe(true);
  });

  it('an unknown number is rejected 404 by the dial plan; external from outside is 403', async () => {
    const k = runtimeKit();
    const a = k.gateway.inbound('x', '12345');
    const b = k.gateway.inbound('x', '902112345678');
    await settle();
    expect(k.gateway.calls).toEqual([`reject ${a} 404`, `reject ${b} 403`]);
    expect(k.runtime.liveCount).toBe(0);
  });

  it('a service-number call before the IVR or ACD runs is refused 503 (the caller may retry); extension calls still go through', async () => {
    const k = runtimeKit({ withoutServices: true });
    const a = k.gateway.inbound('13800000001', '95000');
    const b = k.gateway.inbound('13800000002', '95001');
    await settle();
    expect(k.gateway.calls).toEqual([`reject ${a} 503`, `reject ${b} 503`]);
    expect(k.runtime.liveCount).toBe(0);
    k.runtime.setQueuePort(k.queue);
    k.gateway.inbound('13800000003', '95001');
    await settle();
    expect(k.queue.enqueued).toHaveLength(1);
  });

  it('a caller the entry point refuses (ACD-7 blacklist) is hung up unanswered, so the gateway rejects its INVITE; the record keeps the cause; others go through', async () => {
    const k = runtimeKit({ recordCalls: true });
    k.queue.refusedCallers.add('13800000009');
    const refused = k.gateway.inbound('13800000009', '95001');
    const other = k.gateway.inbound('13800000001', '95001');
    await settle();
    expect(k.gateway.calls).toContain(`hangup ${refused} blacklist-refused`);
    expect(k.gateway.calls).not.toContain(`answer ${refused}`);
    expect(k.gateway.calls).toContain(`answer ${other}`);
    expect(k.queue.enqueued.map((e) => e.customer.number)).toEqual(['13800000001']);
    expect(k.media.hears(refused)).toEqual([]);
    expect(k.events.find((e) => e.type === 'interaction.ended')).toMatchObject({ by: 'system', cause: 'blacklist-refused' });
  });

  it('an IVR number refuses the same way: no answer, no IVR started', async () => {
    const k = runtimeKit();
    k.queue.refusedCallers.add('13800000009');
    const refused = k.gateway.inbound('13800000009', '95000');
    await settle();
    expect(k.gateway.calls).toEqual([`hangup ${refused} blacklist-refused`]);
    expect(k.ivr.started).toEqual([]);
    expect(k.runtime.liveCount).toBe(0);
  });

  it('queue treatment: a file plays to the waiting customer; the switch can end the call; not while talking', async () => {
    const k = runtimeKit();
    const cust = k.gateway.inbound('13800000001', '95001');
    await settle();
    const ix = k.queue.enqueued[0]!.interactionId;
    await k.runtime.playToCustomer(ix, '/prompts/position.wav', false);
    expect(k.media.legPlayers(cust)).toEqual([{ kind: 'wav', path: '/prompts/position.wav', loop: false }]);
    await k.runtime.endCall(ix, 'callback-accepted');
    expect(k.gateway.hungUp(cust)).toBe(true);
    expect(k.queue.cancelled).toEqual([ix]);
    const t = await talking(k);
    await expect(k.runtime.playToCustomer(t.ix, '/x.wav', true)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('the customer hangs up while queued: the queue is told (abandon), the call is kept for reads', async () => {
    const k = runtimeKit();
    const cust = k.gateway.inbound('13800000001', '95001');
    await settle();
    const ix = k.queue.enqueued[0]!.interactionId;
    k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(k.queue.cancelled).toEqual([ix]);
    expect(k.runtime.liveCount).toBe(0);
    expect(k.runtime.get(ix).state).toBe('ended');
    expect(k.media.players.size).toBe(0);
  });

  it('the customer hangs up while talking: the agent gets BYE, bridges and players are gone', async () => {
    const k = runtimeKit();
    const { cust, agent } = await talking(k);
    k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(k.gateway.hungUp(agent)).toBe(true);
    expect(k.gateway.hungUp(cust)).toBe(false);
    expect(k.media.bridges.size).toBe(0);
    expect(k.events.find((e) => e.type === 'agent.released')).toMatchObject({ agentId: '8001', by: 'peer' });
  });
});

describe('switch runtime: failed offers and commands (CTI-1, OPS-4)', () => {
  it.each([
    ['no answer (RONA)', 480, 'no-answer'],
    ['busy', 486, 'busy'],
    ['declined', 603, 'rejected'],
  ])('%s: offer.failed names the agent and the call goes back to the queue', async (_n, status, cause) => {
    const k = runtimeKit();
    k.gateway.inbound('13800000001', '95001');
    await settle();
    const ix = k.queue.enqueued[0]!.interactionId;
    await k.runtime.offerToAgent(ix, '8001', { autoAnswer: false, ringTimeoutMs: 1000 });
    await settle();
    k.gateway.emit({ type: 'failed', legId: k.gateway.legTo('8001'), status, cause: 'x' });
    await settle();
    expect(k.events.find((e) => e.type === 'offer.failed')).toMatchObject({ interaction: ix, agentId: '8001', cause });
    expect(k.queue.enqueued).toHaveLength(2);
    expect(k.runtime.get(ix).state).toBe('queued');
  });

  it('a dial the gateway refuses becomes offer.failed unreachable, never an unhandled rejection', async () => {
    const k = runtimeKit();
    k.gateway.failDial = () => new Error('no registered contact');
    k.gateway.inbound('13800000001', '95001');
    await settle();
    const ix = k.queue.enqueued[0]!.interactionId;
    await k.runtime.offerToAgent(ix, '8001', { autoAnswer: false, ringTimeoutMs: 1000 });
    await settle();
    expect(k.events.find((e) => e.type === 'offer.failed')).toMatchObject({ cause: 'unreachable' });
    expect(k.runtime.get(ix).state).toBe('queued');
  });

  it('an agent with no extension is unreachable', async () => {
    const k = runtimeKit();
    k.gateway.inbound('13800000001', '95001');
    await settle();
    const ix = k.queue.enqueued[0]!.interactionId;
    await k.runtime.offerToAgent(ix, '8999', { autoAnswer: false, ringTimeoutMs: 1000 });
    await settle();
    expect(k.events.find((e) => e.type === 'offer.failed')).toMatchObject({ agentId: '8999', cause: 'unreachable' });
  });

  it('a media failure on one call is published and harms no other call', async () => {
    const k = runtimeKit();
    const one = await talking(k, '13800000001');
    const setRole = k.media.setRole.bind(k.media);
    k.media.setRole = async (b, l, r, w) => (l === one.cust ? Promise.reject(new Error('mixer exploded')) : setRole(b, l, r, w));
    await k.runtime.agentOp(one.ix, '8001', 'hold');
    expect(k.events.find((e) => e.type === 'command.failed')).toMatchObject({ interaction: one.ix, command: 'bridge.setRole', error: 'mixer exploded' });
    const two = k.gateway.inbound('13800000002', '95001');
    await settle();
    const ix2 = k.queue.enqueued.at(-1)!.interactionId;
    await k.runtime.offerToAgent(ix2, '8002', { autoAnswer: true, ringTimeoutMs: 1000 });
    await settle();
    const a2 = k.gateway.legTo('8002');
    k.gateway.emit({ type: 'answered', legId: a2 });
    await settle();
    expect(k.media.hears(two)).toEqual([a2]);
    expect(k.runtime.get(one.ix).state).toBe('on-hold');
  });
});

describe('switch runtime: hold and retrieve (CTI-2)', () => {
  it('on hold the customer hears music only and the agent still hears the customer; retrieve restores both', async () => {
    const k = runtimeKit();
    const { ix, cust, agent } = await talking(k);
    await k.runtime.agentOp(ix, '8001', 'hold');
    expect(k.media.hears(cust)).toEqual(['music']);
    expect(k.media.hears(agent)).toEqual([cust]);
    await k.runtime.agentOp(ix, '8001', 'retrieve');
    expect(k.media.hears(cust)).toEqual([agent]);
    expect(k.media.hears(agent)).toEqual([cust]);
  });

  it.each([
    ['retrieve a call not on hold', 'retrieve', 'NOT_ON_HOLD'],
    ['transfer with no consult', 'transfer', 'NO_CONSULT'],
    ['alternate with no consult', 'alternate', 'NO_CONSULT'],
    ['conference with no consult', 'conference', 'NO_CONSULT'],
  ] as const)('%s is a typed CallModelError (%s)', async (_n, op, code) => {
    const k = runtimeKit();
    const { ix } = await talking(k);
    const err = await k.runtime.agentOp(ix, '8001', op).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallModelError);
    expect((err as CallModelError).code).toBe(code);
  });

  it('another agent may not hold someone else’s call; unknown interactions are not found', async () => {
    const k = runtimeKit();
    const { ix } = await talking(k);
    await expect(k.runtime.agentOp(ix, '8002', 'hold')).rejects.toMatchObject({ code: 'AGENT_NOT_ON_CALL' });
    await expect(k.runtime.agentOp('nope', '8001', 'hold')).rejects.toBeInstanceOf(SwitchRuntimeError);
  });

  it('concurrent requests on one call run one at a time and leave media and model agreeing', async () => {
    const k = runtimeKit();
    const { ix, cust, agent } = await talking(k);
    const ops = Array.from({ length: 12 }, (_, i) => k.runtime.agentOp(ix, '8001', i % 2 === 0 ? 'hold' : 'retrieve').then(() => 'ok', (e: CallModelError) => e.code));
    const results = await Promise.all(ops);
    expect(results.every((r) => r === 'ok')).toBe(true);
    expect(k.runtime.get(ix).state).toBe('talking');
    expect(k.media.hears(cust)).toEqual([agent]);
    const again = await Promise.all([k.runtime.agentOp(ix, '8001', 'hold'), k.runtime.agentOp(ix, '8001', 'hold').catch((e: CallModelError) => e.code)]);
    expect(again[1]).toBe('ALREADY_ON_HOLD');
    expect(k.media.hears(cust)).toEqual(['music']);
  });
});

describe('switch runtime: consult, transfer, conference (CTI-3, CTI-4, TEL-4)', () => {
  async function consulting(k: Kit) {
    const t = await talking(k);
    await k.runtime.consult(t.ix, '8001', { kind: 'agent', agentId: '8002' });
    await settle();
    const other = k.gateway.legTo('8002');
    expect(k.media.hears(t.agent)).toEqual(['player:/ringback.wav']);
    k.gateway.emit({ type: 'answered', legId: other });
    await settle();
    return { ...t, other };
  }

  it('consult: the customer hears music, the agent and the consulted agent hear each other; transfer joins customer and consulted', async () => {
    const k = runtimeKit();
    const { ix, cust, agent, other } = await consulting(k);
    expect(k.media.hears(cust)).toEqual(['music']);
    expect(k.media.hears(agent)).toEqual([other]);
    expect(k.media.hears(other)).toEqual([agent]);
    await k.runtime.agentOp(ix, '8001', 'alternate');
    expect(k.media.hears(agent)).toEqual([cust]);
    expect(k.media.hears(other)).toEqual(['music']);
    await k.runtime.agentOp(ix, '8001', 'alternate');
    await k.runtime.agentOp(ix, '8001', 'transfer');
    expect(k.gateway.hungUp(agent)).toBe(true);
    expect(k.media.hears(cust)).toEqual([other]);
    expect(k.runtime.get(ix)).toMatchObject({ state: 'talking', agentId: '8002' });
  });

  it('conference: all three hear each other; reconnect after a second consult drops the consulted party', async () => {
    const k = runtimeKit();
    const { ix, cust, agent, other } = await consulting(k);
    await k.runtime.agentOp(ix, '8001', 'conference');
    expect(k.media.hears(cust)).toEqual([agent, other].sort());
    expect(k.media.hears(other)).toEqual([agent, cust].sort());
    await k.runtime.consult(ix, '8001', { kind: 'external', number: '913900000000' });
    await settle();
    const ext = k.gateway.dials.at(-1)!;
    expect(ext.target).toEqual({ kind: 'trunk', trunkId: 'carrier', number: '13900000000' });
    await k.runtime.agentOp(ix, '8001', 'reconnect');
    expect(k.gateway.hungUp(ext.legId)).toBe(true);
    expect(k.runtime.get(ix).state).toBe('conferencing');
  });

  it('blind transfer to a queue and to an agent carries the call data (CTI-5)', async () => {
    const k = runtimeKit();
    const { ix, agent } = await talking(k);
    await k.runtime.attachData(ix, { account: 'F001', verified: true });
    await k.runtime.blindTransfer(ix, '8001', { kind: 'queue', queueId: 'vip' });
    expect(k.gateway.hungUp(agent)).toBe(true);
    expect(k.queue.enqueued.at(-1)).toMatchObject({ queueId: 'vip', callData: { account: 'F001', verified: true } });
    await k.runtime.offerToAgent(ix, '8003', { autoAnswer: false, ringTimeoutMs: 1000 });
    await settle();
    expect(k.gateway.dials.at(-1)!.opts.callData).toEqual({ account: 'F001', verified: true });
  });

  it('REFER from the agent phone is a blind transfer; the NOTIFY outcome is 200', async () => {
    const k = runtimeKit();
    const { ix, agent } = await talking(k);
    k.gateway.emit({ type: 'refer', legId: agent, referId: 'r1', target: { user: '8004', uri: 'sip:8004@hotline' } });
    await settle();
    expect(k.gateway.calls).toContain(`refer-outcome ${agent} r1 200`);
    expect(k.gateway.legTo('8004')).toBeDefined();
    expect(k.runtime.get(ix).state).toBe('ringing');
  });
});

describe('switch runtime: supervisor (SUP-2)', () => {
  async function supervised(k: Kit, op: 'monitor' | 'whisper' | 'barge') {
    const t = await talking(k);
    await k.runtime.supervisorOp('8100', '8001', op);
    await settle();
    const sup = k.gateway.legTo('8100');
    expect(k.gateway.dials.at(-1)!.opts.autoAnswer).toBe(true);
    k.gateway.emit({ type: 'answered', legId: sup });
    await settle();
    return { ...t, sup };
  }

  it('monitor: the supervisor hears both, nobody hears the supervisor', async () => {
    const k = runtimeKit();
    const { cust, agent, sup } = await supervised(k, 'monitor');
    expect(k.media.hears(sup)).toEqual([agent, cust].sort());
    expect(k.media.hears(cust)).toEqual([agent]);
    expect(k.media.hears(agent)).toEqual([cust]);
  });

  it('whisper: only the agent hears the supervisor; barge: everyone does', async () => {
    const k = runtimeKit();
    const { cust, agent, sup } = await supervised(k, 'whisper');
    expect(k.media.hears(agent)).toEqual([cust, sup].sort());
    expect(k.media.hears(cust)).toEqual([agent]);
    await k.runtime.supervisorOp('8100', '8001', 'barge');
    expect(k.media.hears(cust)).toEqual([agent, sup].sort());
  });

  it('intercept drops the agent; force release ends the call', async () => {
    const k = runtimeKit();
    const { ix, cust, agent, sup } = await supervised(k, 'monitor');
    await k.runtime.supervisorOp('8100', '8001', 'intercept');
    expect(k.gateway.hungUp(agent)).toBe(true);
    expect(k.media.hears(cust)).toEqual([sup]);
    const k2 = runtimeKit();
    const t2 = await talking(k2);
    await k2.runtime.supervisorOp('8100', '8001', 'force-release');
    expect(k2.gateway.hungUp(t2.cust) && k2.gateway.hungUp(t2.agent)).toBe(true);
    expect(k2.runtime.get(t2.ix).state).toBe('ended');
    expect(ix).toBeDefined();
  });

  it('monitoring an idle agent is AGENT_NOT_ON_CALL', async () => {
    const k = runtimeKit();
    await expect(k.runtime.supervisorOp('8100', '8005', 'monitor')).rejects.toMatchObject({ code: 'AGENT_NOT_ON_CALL' });
  });
});

describe('switch runtime: IVR, internal calls, click-to-dial, recording (CTI-1, CTI-5, IVR-1)', () => {
  it('95000 starts the IVR on the customer leg; digits are published; the IVR hands over to a queue with its inputs', async () => {
    const k = runtimeKit();
    const cust = k.gateway.inbound('13800000001', '95000');
    await settle();
    const req = k.ivr.started[0]!;
    expect(req).toMatchObject({ script: 'main.vxml', mode: 'new', customerLegId: cust, entryPoint: '95000' });
    k.gateway.emit({ type: 'dtmf', legId: cust, digit: '1' });
    await settle();
    expect(k.events.find((e) => e.type === 'dtmf')).toMatchObject({ interaction: req.interactionId, digit: '1' });
    await k.runtime.ivrTransfer(req.interactionId, { kind: 'queue', queueId: 'fund' }, { callData: { menu: 'fund' }, resumeAt: 'fund-menu' });
    expect(k.queue.enqueued[0]).toMatchObject({ queueId: 'fund', callData: { menu: 'fund' } });
    expect(k.ivr.stopped).toEqual([]);
    expect(k.media.hears(cust)).toEqual(['player:/queue.wav']);
  });

  it('the customer hangs up in the IVR: the IVR is stopped', async () => {
    const k = runtimeKit();
    const cust = k.gateway.inbound('13800000001', '95000');
    await settle();
    k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(k.ivr.stopped).toEqual([k.ivr.started[0]!.interactionId]);
  });

  it('extension to extension: the caller rings, the callee is dialled, answer bridges both', async () => {
    const k = runtimeKit();
    const a = k.gateway.inbound('8001', '8002', '8001');
    await settle();
    expect(k.gateway.calls).toContain(`ring ${a}`);
    const b = k.gateway.legTo('8002');
    expect(k.gateway.dials[0]!.opts.callerId).toEqual({ number: '8001' });
    k.gateway.emit({ type: 'answered', legId: b });
    await settle();
    expect(k.gateway.calls).toContain(`answer ${a}`);
    expect(k.media.hears(a)).toEqual([b]);
    const [ix] = k.runtime.list();
    expect(ix).toMatchObject({ agentId: '8001', state: 'talking' });
    await k.runtime.agentOp(ix!.id, '8001', 'hold');
    expect(k.media.hears(b)).toEqual(['music']);
    expect(k.media.hears(a)).toEqual([b]);
  });

  it('click-to-dial rings the agent first (auto-answer), then the number; ringback until the customer answers', async () => {
    const k = runtimeKit();
    const ix = await k.runtime.makeCall('8001', '913900000000', { ticket: 'T-1' });
    await settle();
    expect(k.gateway.dials).toHaveLength(1);
    const agent = k.gateway.legTo('8001');
    expect(k.gateway.dials[0]!.opts.autoAnswer).toBe(true);
    k.gateway.emit({ type: 'answered', legId: agent });
    await settle();
    const cust = k.gateway.dials[1]!;
    expect(cust.target).toEqual({ kind: 'trunk', trunkId: 'carrier', number: '13900000000' });
    expect(cust.opts).toMatchObject({ callerId: { number: '8001' }, mediaNear: agent });
    expect(k.media.hears(agent)).toEqual(['player:/ringback.wav']);
    k.gateway.emit({ type: 'answered', legId: cust.legId });
    await settle();
    expect(k.media.hears(agent)).toEqual([cust.legId]);
    expect(k.runtime.get(ix)).toMatchObject({ state: 'talking', callData: { ticket: 'T-1' } });
    await expect(k.runtime.makeCall('8001', '42')).rejects.toMatchObject({ code: 'no-route' });
  });

  it('click-to-dial whose agent does not answer ends without dialling the customer', async () => {
    const k = runtimeKit();
    const ix = await k.runtime.makeCall('8001', '913900000000');
    await settle();
    k.gateway.emit({ type: 'failed', legId: k.gateway.legTo('8001'), status: 480, cause: 'no-answer' });
    await settle();
    expect(k.gateway.dials).toHaveLength(1);
    expect(k.runtime.get(ix).state).toBe('ended');
  });

  it('recording starts on the conversation bridge and stops at the end of the call', async () => {
    const k = runtimeKit();
    const { ix, cust, agent } = await talking(k);
    const path = await k.runtime.startRecording(ix);
    expect(path).toBe(`/rec/${ix}.wav`);
    const [rec] = k.media.recorders.values();
    expect(rec!.target).toMatchObject({ members: [cust, agent] });
    k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    expect(rec!.stopped).toBe(true);
    await expect(k.runtime.stopRecording(ix)).rejects.toMatchObject({ code: 'INTERACTION_ENDED' });
    await expect(k.runtime.stopRecording('nope')).rejects.toBeInstanceOf(SwitchRuntimeError);
  });

  it('record every call (TEL-5): recording starts when both parties talk, not in the queue or the IVR, and stops at the end', async () => {
    const k = runtimeKit({ recordCalls: true });
    const ivrCall = k.gateway.inbound('13800000009', '95000');
    await settle();
    expect(k.media.recorders.size).toBe(0);
    k.gateway.emit({ type: 'hangup', legId: ivrCall, cause: 'bye' });
    await settle();
    const { ix, cust, agent } = await talking(k);
    expect([...k.media.recorders.values()]).toEqual([{ target: expect.objectContaining({ members: [cust, agent] }), path: `/rec/${ix}.wav`, stopped: false }]);
    expect(await k.runtime.startRecording(ix)).toBe(`/rec/${ix}.wav`);
    expect(k.media.recorders.size).toBe(1);
    expect(k.events.filter((e) => e.type === 'recording.changed')).toHaveLength(1);
    k.gateway.emit({ type: 'hangup', legId: agent, cause: 'bye' });
    await settle();
    expect([...k.media.recorders.values()][0]!.stopped).toBe(true);
    const plain = runtimeKit();
    await talking(plain);
    expect(plain.media.recorders.size).toBe(0);
  });
});
