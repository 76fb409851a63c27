/**
 * Test helper run as a child process by recovery-crash.test.ts: drives the
 * real call model with up to 50 calls live at once and publishes everything
 * through the real adapters (events table in SQLite, mirrored to JSON
 * lines; call records in SQLite), without end, until it is killed.
 * Prints "ready" once 50 calls are live and 100 have ended.
 *   node bin/run-ts.js src/store/test-crash-writer.ts DATA_DIR
 */
import { join } from 'node:path';
import { acceptInbound, answer, hangup, hold, offer, retrieve, type Interaction, type Outcome } from '../switch/model/index.ts';
import { legOf, testContext } from '../switch/model/test-kit.ts';
import { CallRecorder, logEventsOf, TeeEventLog } from '../switch/records/index.ts';
import { JsonLinesEventLog } from './json-lines-event-log.ts';
import { openStores } from './stores.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: test-crash-writer.ts DATA_DIR');
const stores = await openStores({ kind: 'sqlite', file: join(dir, 'hotline.db') });
const file = await JsonLinesEventLog.open(join(dir, 'events.jsonl'), { fsync: 'never' });
const log = new TeeEventLog(stores.events, file);
await log.catchUp();
const recorder = new CallRecorder(log, stores.callRecords);
const ctx = testContext();

let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Each call walks its script one step at a time: offer, answer, hold, retrieve, hang up. */
const steps: ((ix: Interaction, agent: string) => Outcome)[] = [
  (ix, agent) => offer(ix, agent),
  (ix, agent) => answer(ix, legOf(ix, 'agent', agent)),
  (ix, agent) => hold(ix, agent),
  (ix, agent) => retrieve(ix, agent),
  (ix) => hangup(ix, ix.customerLeg),
];
const live: { ix: Interaction; agent: string; step: number }[] = [];
let started = 0;
let ended = 0;
let ready = false;
for (;;) {
  ctx.clock.advance(250);
  let outcome: Outcome;
  if (live.length < 50 && (live.length < 10 || random() < 0.3)) {
    started++;
    const r = acceptInbound(ctx, { kind: 'customer', id: `1390000${String(started).padStart(4, '0')}` }, { kind: 'queue', queueId: started % 2 ? 'q1' : 'q2' });
    live.push({ ix: r.interaction, agent: String(8000 + started), step: 0 });
    outcome = r.outcome;
  } else {
    const i = Math.floor(random() * live.length);
    const c = live[i]!;
    outcome = steps[c.step]!(c.ix, c.agent);
    c.step++;
    if (c.ix.state === 'ended') {
      live.splice(i, 1);
      ended++;
    }
  }
  await recorder.publish(logEventsOf(outcome, ctx.clock.now()));
  if (!ready && live.length >= 50 && ended >= 100) {
    ready = true;
    process.stdout.write('ready\n');
  }
}
