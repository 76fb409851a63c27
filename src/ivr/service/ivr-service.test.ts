import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { ScriptedChannel } from '../channel/scripted-channel.ts';
import { FetchError, type ResourceFetcher } from '../fetch/resource-fetcher.ts';
import type { IvrStepEvent } from '../interpreter/ivr-step-event.ts';
import { EntryPointTable } from './entry-point-table.ts';
import { IvrService } from './ivr-service.ts';
import { MenuUsageCounter } from './menu-usage-counter.ts';
import { NoticeBoard } from './notice-board.ts';

const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
const V = (body: string) => `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml">${body}</vxml>`;
const DOCS: Record<string, string> = {
  'http://apps.test/main.vxml': V(
    `<form id="hello"><block><prompt>Welcome.</prompt><goto next="#menu"/></block></form>` +
      `<menu id="menu"><prompt>Balance 1, prices 2.</prompt><choice dtmf="1" next="#acct"/><choice dtmf="2" next="#bye"/></menu>` +
      `<form id="acct"><field name="a" type="digits?length=4"><prompt>Account?</prompt></field><block><goto next="#menu"/></block></form>` +
      `<form id="bye"><block><exit expr="session.connection.local.uri"/></block></form>`,
  ),
};
const fetcher: ResourceFetcher = {
  async fetch(req) {
    const u = req.url.split('?')[0]!;
    const text = DOCS[u];
    if (text === undefined) throw new FetchError('not-found', `${req.url}: 404`);
    return { url: req.url, text, version: 'v1' };
  },
};
const H = 3_600_000;

function service(clock: FakeClock, steps?: (e: IvrStepEvent) => void) {
  return new IvrService({
    logger,
    clock,
    fetcher,
    steps,
    entryPoints: new EntryPointTable([{ dnis: '95555', application: 'http://apps.test/main.vxml' }]),
    notices: new NoticeBoard([
      { id: 'holiday', text: 'Closed on Monday.', from: 10 * H, until: 20 * H },
      { id: 'night', text: 'Agents are off duty.', from: 22 * H, until: 30 * H, dnis: ['95555'] },
    ]),
  });
}

describe('IVR-7 notices before the first dialog', () => {
  it('plays the notices in force, then the application; steps logged (IVR-6)', async () => {
    const steps: IvrStepEvent[] = [];
    const ch = new ScriptedChannel([{ keys: '2' }]);
    const r = await service(new FakeClock(12 * H), (e) => steps.push(e)).handleCall({ dnis: '+95555', channel: ch, sessionId: 'c1' });
    expect(r, JSON.stringify(r)).toMatchObject({ kind: 'ran', noticesPlayed: ['holiday'], outcome: { kind: 'exit', value: '95555' } });
    expect(ch.prompts()).toEqual(['Closed on Monday.', 'Welcome. Balance 1, prices 2.']);
    expect(steps[0]).toMatchObject({ sessionId: 'c1', kind: 'prompt', node: 'notice:holiday', result: 'played' });
  });

  it('outside every window the application starts at once', async () => {
    const ch = new ScriptedChannel([{ keys: '2' }]);
    const r = await service(new FakeClock(21 * H)).handleCall({ dnis: '95555', channel: ch });
    expect(r).toMatchObject({ kind: 'ran', noticesPlayed: [] });
    expect(ch.prompts()[0]).toBe('Welcome. Balance 1, prices 2.');
  });

  it('a caller who hangs up during the notices never reaches the application', async () => {
    const ch = new ScriptedChannel([]);
    await ch.disconnect();
    const steps: IvrStepEvent[] = [];
    const r = await service(new FakeClock(12 * H), (e) => steps.push(e)).handleCall({ dnis: '95555', channel: ch });
    expect(r).toMatchObject({ kind: 'ran', outcome: { kind: 'hangup' } });
    expect(steps.map((s) => s.kind)).toEqual(['prompt']);
  });

  it('an unknown DNIS is reported, nothing is played', async () => {
    const ch = new ScriptedChannel([{ keys: '1' }]);
    expect(await service(new FakeClock(12 * H)).handleCall({ dnis: '12345', channel: ch })).toEqual({ kind: 'no-entry-point', dnis: '12345' });
    expect(ch.transcript).toEqual([]);
  });
});

describe('IVR-6 usage counted per menu node', () => {
  it('counts menu choices, noinput and nomatch per node across calls; field values are never kept', async () => {
    const svc = service(new FakeClock(21 * H));
    await svc.handleCall({ dnis: '95555', channel: new ScriptedChannel([{ keys: '1' }, { keys: '1234' }, { keys: '2' }]) });
    await svc.handleCall({ dnis: '95555', channel: new ScriptedChannel([{ silence: true }, { keys: '9' }, { keys: '2' }]) });
    const snap = svc.usage.snapshot();
    expect(snap.since).toBe(21 * H);
    expect(snap.nodes).toEqual([
      { node: 'http://apps.test/main.vxml#acct/a', kind: 'field', attempts: 1, outcomes: { filled: 1 } },
      { node: 'http://apps.test/main.vxml#menu', kind: 'menu', attempts: 5, outcomes: { '#bye': 2, '#acct': 1, noinput: 1, nomatch: 1 } },
    ]);
    expect(JSON.stringify(snap)).not.toContain('1234');
  });

  it('a query string does not split a node; reset empties the counters', () => {
    const c = new MenuUsageCounter();
    const e = (node: string, result: string): IvrStepEvent => ({ sessionId: 's', seq: 1, at: 5, kind: 'menu', node, result, durationMs: 1 });
    c.record(e('http://a/m.vxml?lang=en#main', '#x'));
    c.record(e('http://a/m.vxml?lang=zh#main', '#x'));
    c.record({ ...e('http://a/m.vxml#main', 'done'), kind: 'block' });
    // Generated documents (the packs) name their targets with a session token: one outcome all the same.
    c.record(e('http://a/m.vxml?s=t1#main', 'balance?s=t1'));
    c.record(e('http://a/m.vxml?s=t2#main', 'balance?s=t2'));
    expect(c.snapshot().nodes).toEqual([{ node: 'http://a/m.vxml#main', kind: 'menu', attempts: 4, outcomes: { '#x': 2, balance: 2 } }]);
    c.reset();
    expect(c.snapshot()).toEqual({ since: undefined, nodes: [] });
  });
});
