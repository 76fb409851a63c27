import { describe, expect, it } from 'vitest';
import {
  acceptInbound,
  answer,
  blindTransfer,
  completeConference,
  completeTransfer,
  consult,
  enqueue,
  forceRelease,
  hangup,
  hold,
  makeCall,
  monitor,
  noAnswer,
  offer,
  refuseInbound,
  retrieve,
  type Interaction,
} from '../model/index.ts';
import { legOf } from '../model/test-kit.ts';
import type { CallRecord, RecordBundle } from './call-record.ts';
import { CallRecordProjection } from './call-record-projection.ts';
import { Tape } from './test-tape.ts';

const T0 = Date.UTC(2026, 0, 5, 1, 0, 0);
const CUSTOMER = { kind: 'customer', id: '13800000000' } as const;

function inboundIvr(t: Tape): Interaction {
  return t.op(acceptInbound(t.ctx, CUSTOMER, { kind: 'ivr', script: 'main.vxml' })).interaction;
}
function inboundQueue(t: Tape): Interaction {
  return t.op(acceptInbound(t.ctx, CUSTOMER, { kind: 'queue', queueId: 'q1' })).interaction;
}
/** Queue q1, 8001 rings 3 s and answers after 15 s in queue. */
function answered(t: Tape): Interaction {
  const ix = inboundQueue(t);
  t.advance(15_000);
  t.op(offer(ix, '8001'));
  t.advance(3_000);
  t.op(answer(ix, legOf(ix, 'agent', '8001')));
  return ix;
}

function project(entries: Iterable<{ seq: number; event: object }>): RecordBundle[] {
  const p = new CallRecordProjection();
  const out: RecordBundle[] = [];
  for (const e of entries) {
    const b = p.apply(e as never);
    if (b) out.push(b);
  }
  return out;
}
/** The last record written for the interaction. */
const finalRecord = (bundles: RecordBundle[]) => bundles[bundles.length - 1]!.record;

interface Case {
  name: string;
  run(t: Tape): void;
  expect: Partial<CallRecord>;
}

const cases: Case[] = [
  {
    name: 'IVR, queue, answer, hold 10 s, customer hangs up, wrap-up 30 s',
    run(t) {
      const ix = inboundIvr(t);
      t.advance(20_000);
      t.op(enqueue(ix, 'funds', 'menu-2'));
      t.advance(12_000);
      t.op(offer(ix, '8001'));
      t.advance(4_000);
      t.op(answer(ix, legOf(ix, 'agent', '8001')));
      t.advance(30_000);
      t.op(hold(ix, '8001'));
      t.advance(10_000);
      t.op(retrieve(ix, '8001'));
      t.advance(20_000);
      t.op(hangup(ix, ix.customerLeg));
      t.advance(30_000);
      t.wrapupEnded(ix.id, '8001');
    },
    expect: {
      direction: 'inbound', customer: '13800000000', ivrScript: 'main.vxml', queueId: 'funds', agents: ['8001'],
      startedAt: T0, queuedAt: T0 + 20_000, offeredAt: T0 + 32_000, answeredAt: T0 + 36_000, endedAt: T0 + 96_000,
      ivrMs: 20_000, queueMs: 12_000, ringMs: 4_000, talkMs: 50_000, holdMs: 10_000, holdCount: 1, wrapupMs: 30_000,
      disposition: 'answered', endedBy: 'party', hungUpBy: 'customer', hungUpParty: '13800000000', cause: 'normal', status: 'ended',
    },
  },
  {
    name: 'the agent hangs up first and the caller rates the call in the survey (IVR-8): the agent hung up, no transfer',
    run(t) {
      const ix = answered(t);
      t.advance(60_000);
      t.op(hangup(ix, legOf(ix, 'agent', '8001'), 'party', 'normal', { script: 'survey-zh.vxml' }));
      t.advance(20_000);
      t.op(hangup(ix, ix.customerLeg, 'system', 'survey-complete'));
    },
    expect: {
      disposition: 'answered', talkMs: 60_000, ivrMs: 20_000, transfers: 0, endedBy: 'system', cause: 'survey-complete',
      hungUpBy: 'agent', hungUpParty: '8001', agents: ['8001'],
    },
  },
  {
    name: 'customer hangs up after 25 s in queue: abandoned in queue',
    run(t) {
      const ix = inboundQueue(t);
      t.advance(25_000);
      t.op(hangup(ix, ix.customerLeg));
    },
    expect: { disposition: 'abandoned-queue', queueMs: 25_000, talkMs: 0, hungUpBy: 'customer', queuedAt: T0, agents: [] },
  },
  {
    name: 'customer hangs up while the agent rings: abandoned in queue',
    run(t) {
      const ix = inboundQueue(t);
      t.advance(5_000);
      t.op(offer(ix, '8001'));
      t.advance(7_000);
      t.op(hangup(ix, ix.customerLeg));
    },
    expect: { disposition: 'abandoned-queue', queueMs: 5_000, ringMs: 7_000, offeredAt: T0 + 5_000, wrapups: [] },
  },
  {
    name: 'the entry point refuses a blacklisted caller before answering: refused',
    run(t) {
      t.op(refuseInbound(t.ctx, CUSTOMER, 'q1', 'blacklist-refused'));
    },
    expect: { disposition: 'refused', cause: 'blacklist-refused', endedBy: 'system', talkMs: 0, agents: [] },
  },
  {
    name: 'customer hangs up in the IVR: abandoned in IVR',
    run(t) {
      const ix = inboundIvr(t);
      t.advance(40_000);
      t.op(hangup(ix, ix.customerLeg));
    },
    expect: { disposition: 'abandoned-ivr', ivrMs: 40_000, hungUpBy: 'customer', ivrScript: 'main.vxml' },
  },
  {
    name: 'the IVR ends the call: IVR completed',
    run(t) {
      const ix = inboundIvr(t);
      t.advance(90_000);
      t.op(hangup(ix, ix.customerLeg, 'system', 'ivr-goodbye'));
    },
    expect: { disposition: 'ivr-completed', ivrMs: 90_000, hungUpBy: 'system', endedBy: 'system', cause: 'ivr-goodbye' },
  },
  {
    name: 'RONA: 8001 does not answer, back to queue, 8002 answers and hangs up',
    run(t) {
      const ix = inboundQueue(t);
      t.advance(2_000);
      t.op(offer(ix, '8001'));
      t.advance(15_000);
      t.op(noAnswer(ix, legOf(ix, 'agent', '8001')));
      t.advance(3_000);
      t.op(offer(ix, '8002'));
      t.advance(2_000);
      t.op(answer(ix, legOf(ix, 'agent', '8002')));
      t.advance(40_000);
      t.op(hangup(ix, legOf(ix, 'agent', '8002')));
    },
    expect: {
      disposition: 'answered', agents: ['8002'], queueMs: 5_000, ringMs: 17_000, talkMs: 40_000, hungUpBy: 'agent', hungUpParty: '8002',
      parties: [CUSTOMER, { kind: 'agent', id: '8001' }, { kind: 'agent', id: '8002' }], wrapups: [{ agentId: '8002', startedAt: T0 + 62_000 }],
    },
  },
  {
    name: 'outbound call the customer never answers: no answer',
    run(t) {
      const { interaction: ix } = t.op(makeCall(t.ctx, '8001', '02150000000'));
      t.advance(30_000);
      t.op(noAnswer(ix, ix.customerLeg));
    },
    expect: { direction: 'outbound', customer: '02150000000', disposition: 'no-answer', ringMs: 30_000, endedBy: 'peer', hungUpBy: 'customer' },
  },
  {
    name: 'outbound call that cannot be dialled: failed',
    run(t) {
      const { interaction: ix } = t.op(makeCall(t.ctx, '8001', '02150000000'));
      t.advance(1_000);
      t.op(noAnswer(ix, ix.customerLeg, 'dial-failed'));
    },
    expect: { direction: 'outbound', disposition: 'failed', cause: 'dial-failed' },
  },
  {
    name: 'outbound call answered, the agent hangs up',
    run(t) {
      const { interaction: ix } = t.op(makeCall(t.ctx, '8001', '02150000000'));
      t.advance(6_000);
      t.op(answer(ix, ix.customerLeg));
      t.advance(45_000);
      t.op(hangup(ix, legOf(ix, 'agent', '8001')));
    },
    expect: { direction: 'outbound', disposition: 'answered', answeredAt: T0 + 6_000, ringMs: 6_000, talkMs: 45_000, agents: ['8001'], hungUpBy: 'agent' },
  },
  {
    name: 'consult 8002 (customer held 20 s), complete as transfer, 8002 hangs up',
    run(t) {
      const ix = answered(t);
      t.advance(10_000);
      t.op(consult(ix, '8001', { kind: 'agent', agentId: '8002' }));
      t.advance(5_000);
      t.op(answer(ix, legOf(ix, 'agent', '8002')));
      t.advance(15_000);
      t.op(completeTransfer(ix, '8001'));
      t.advance(30_000);
      t.op(hangup(ix, legOf(ix, 'agent', '8002')));
    },
    expect: { disposition: 'transferred', transfers: 1, conferences: 0, agents: ['8001', '8002'], holdMs: 20_000, holdCount: 1, talkMs: 40_000, hungUpBy: 'agent', hungUpParty: '8002' },
  },
  {
    name: 'consult an external number, complete as conference, customer hangs up',
    run(t) {
      const ix = answered(t);
      t.advance(10_000);
      t.op(consult(ix, '8001', { kind: 'external', number: '02188888888' }));
      t.advance(4_000);
      const ext = [...ix.legs.values()].find((l) => l.party.kind === 'external')!;
      t.op(answer(ix, ext.id));
      t.advance(6_000);
      t.op(completeConference(ix, '8001'));
      t.advance(60_000);
      t.op(hangup(ix, ix.customerLeg));
    },
    expect: { disposition: 'conferenced', conferences: 1, transfers: 0, holdMs: 10_000, talkMs: 70_000, parties: [CUSTOMER, { kind: 'agent', id: '8001' }, { kind: 'external', id: '02188888888' }] },
  },
  {
    name: 'blind transfer to queue q2, answered by 8003',
    run(t) {
      const ix = answered(t);
      t.advance(20_000);
      t.op(blindTransfer(ix, '8001', { kind: 'queue', queueId: 'q2' }));
      t.advance(8_000);
      t.op(offer(ix, '8003'));
      t.advance(2_000);
      t.op(answer(ix, legOf(ix, 'agent', '8003')));
      t.advance(10_000);
      t.op(hangup(ix, ix.customerLeg));
    },
    expect: { disposition: 'transferred', transfers: 1, queueId: 'q2', queueMs: 23_000, ringMs: 5_000, talkMs: 30_000, agents: ['8001', '8003'] },
  },
  {
    name: 'supervisor monitors, then force-releases the call',
    run(t) {
      const ix = answered(t);
      t.op(monitor(ix, '8100', '8001'));
      t.op(answer(ix, legOf(ix, 'supervisor', '8100')));
      t.advance(12_000);
      t.op(forceRelease(ix, '8001'));
    },
    expect: { disposition: 'answered', hungUpBy: 'system', endedBy: 'system', cause: 'force-release', talkMs: 12_000, parties: [CUSTOMER, { kind: 'agent', id: '8001' }, { kind: 'supervisor', id: '8100' }] },
  },
];

describe('call records from the real call model (CTI-1, CTI-2, CTI-3, CTI-4, SUP-2, RPT-2)', () => {
  it.each(cases)('$name', (c) => {
    const t = new Tape(T0);
    c.run(t);
    const bundles = project(t.entries);
    expect(bundles.length).toBeGreaterThan(0);
    expect(finalRecord(bundles)).toMatchObject(c.expect);
  });

  it('writes the record at the end, again when wrap-up ends, and never for live calls', () => {
    const t = new Tape(T0);
    const ix = answered(t);
    const p = new CallRecordProjection();
    for (const e of t.entries) expect(p.apply(e)).toBeUndefined();
    expect(p.liveRecords().map((b) => b.record.status)).toEqual(['live']);
    t.advance(10_000);
    t.op(hangup(ix, ix.customerLeg));
    t.advance(7_000);
    t.wrapupEnded(ix.id, '8001');
    const out = t.entries.slice(p.lastSeq).map((e) => p.apply(e)).filter((b) => b !== undefined);
    expect(out.map((b) => [b.record.status, b.record.wrapupMs, b.record.wrapups[0]?.endedAt])).toEqual([
      ['ended', 0, undefined],
      ['ended', 7_000, T0 + 35_000],
    ]);
    expect(out[1]!.record.lastSeq).toBe(t.entries.length);
    expect(p.liveRecords()).toEqual([]);
  });

  it('keeps the file of a recording started on the call (TEL-5), not a stop without one', () => {
    const t = new Tape(T0);
    const ix = answered(t);
    t.push({ type: 'recording.changed', interaction: ix.id, recording: true, path: '/data/recordings/a.wav', at: t.now } as never);
    t.advance(5_000);
    t.push({ type: 'recording.changed', interaction: ix.id, recording: false, at: t.now } as never);
    t.op(hangup(ix, ix.customerLeg));
    expect(finalRecord(project(t.entries)).recording).toBe('/data/recordings/a.wav');
    const plain = new Tape(T0);
    const other = answered(plain);
    plain.op(hangup(other, other.customerLeg));
    expect(finalRecord(project(plain.entries))).not.toHaveProperty('recording');
  });

  it('leg records: party, each state time, hold, duration and end cause', () => {
    const t = new Tape(T0);
    const ix = answered(t);
    t.advance(5_000);
    t.op(hold(ix, '8001'));
    t.advance(3_000);
    t.op(retrieve(ix, '8001'));
    t.advance(2_000);
    t.op(hangup(ix, legOf(ix, 'agent', '8001')));
    const agentLeg = [...ix.legs.values()].find((l) => l.party.kind === 'agent')!.id;
    const { legs } = project(t.entries).at(-1)!;
    expect(legs).toEqual([
      {
        legId: ix.customerLeg, interactionId: ix.id, party: CUSTOMER, direction: 'inbound', state: 'terminated',
        createdAt: T0, ringAt: T0, answerAt: T0, endAt: T0 + 28_000, holdMs: 3_000, holdCount: 1, durationMs: 28_000,
        endedBy: 'peer', cause: 'normal', lastSeq: expect.any(Number),
      },
      {
        legId: agentLeg, interactionId: ix.id, party: { kind: 'agent', id: '8001' }, direction: 'outbound', state: 'terminated',
        createdAt: T0 + 15_000, dialAt: T0 + 15_000, answerAt: T0 + 18_000, endAt: T0 + 28_000, holdMs: 0, holdCount: 0, durationMs: 10_000,
        endedBy: 'party', cause: 'normal', lastSeq: expect.any(Number),
      },
    ]);
  });
});

describe('replay (OPS-3): deterministic and idempotent', () => {
  function scenario(): Tape {
    const t = new Tape(T0);
    const ix = answered(t);
    t.op(consult(ix, '8001', { kind: 'agent', agentId: '8002' }));
    t.advance(1_000);
    t.op(answer(ix, legOf(ix, 'agent', '8002')));
    t.op(completeConference(ix, '8001'));
    t.advance(9_000);
    t.op(hangup(ix, ix.customerLeg));
    t.advance(2_000);
    t.wrapupEnded(ix.id, '8002');
    t.wrapupEnded(ix.id, '8001');
    return t;
  }

  it('the same events give the same records', () => {
    expect(project(scenario().entries)).toEqual(project(scenario().entries));
  });

  it('a replayed log and duplicated events change nothing', () => {
    const entries = scenario().entries;
    const once = project(entries);
    const p = new CallRecordProjection();
    const twice: RecordBundle[] = [];
    for (const e of [...entries, ...entries]) {
      const b = p.apply(e);
      if (b) twice.push(b);
      // A duplicate delivered right away is ignored too.
      expect(p.apply(e)).toBeUndefined();
    }
    expect(twice).toEqual(once);
  });

  it('ignores events it cannot read instead of failing', () => {
    const p = new CallRecordProjection();
    const junk = [{ type: 'leg.state', interaction: 'ix-1', at: 'soon' }, { type: 'future.kind', interaction: 'ix-1', at: 1 }, { type: 'interaction.ended', at: 1 }, { type: 'interaction.ended', interaction: 'ix-9', at: 5, by: 'nobody', cause: 'x' }];
    junk.forEach((event, i) => expect(p.apply({ seq: i + 1, event: event as never })).toBeUndefined());
    expect(p.liveRecords()).toEqual([]);
    expect(p.lastSeq).toBe(4);
  });
});
