// The pack server: server-side sessions a caller cannot forge, documents that cannot be injected into,
// call-attached data for the agent (issue 8, IVR-1, IVR-4, CRM-2).
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, SimulatedBackOffice } from '../../src/backoffice/index.ts';
import { FetchError, MountingFetcher, HttpFileFetcher, type FetchRequest, type ResourceFetcher } from '../../src/ivr/fetch/index.ts';
import { ScriptedChannel } from '../../src/ivr/channel/scripted-channel.ts';
import { IvrRunner } from '../../src/ivr/ivr-runner.ts';
import { FakeClock } from '../../src/shared/clock.ts';
import { securitiesPack } from '../securities/securities-pack.ts';
import { dial, keys, quiet, TRADING, world } from '../test-support/dial.ts';
import type { MailboxSource } from './mailbox.ts';
import { DEFAULT_PACK_PREFIX, PackServer } from './pack-server.ts';

const RICH = DEMO_ACCOUNTS.securities[0]!;

function server(mailbox: MailboxSource = { read: async () => undefined }, clock = new FakeClock(TRADING)) {
  let n = 0;
  const backOffice = new SimulatedBackOffice(clock, { customers: 5 });
  const s = new PackServer({ backOffice, clock, logger: quiet, prefix: DEFAULT_PACK_PREFIX, packs: [securitiesPack({ mailbox })], newToken: () => `tok${++n}` });
  return { s, clock, backOffice };
}
const get = (s: PackServer, page: string, query: Record<string, string> = {}, fields: Record<string, string> = {}) =>
  s.handle({ pack: 'securities', locale: 'zh-CN', page, query, fields });

describe('IVR-4 pack sessions live on the server', () => {
  it('start opens a session whose token is in every link; the entry document posts the IVR session id', async () => {
    const { s } = server();
    expect(await get(s, '')).toContain('<submit next="start" method="post" namelist="ivr ani"/>');
    const doc = await get(s, 'start', {}, { ivr: 'call-7', ani: 'sip:13800000000@x' });
    expect(doc).toContain('menu?s=tok1');
    expect(s.attachedData('call-7')).toMatchObject({ ivrSessionId: 'call-7', ani: 'sip:13800000000@x', authenticated: false, path: ['start'] });
  });

  it.each([
    ['no token', {}],
    ['a forged token', { s: 'forged' }],
  ])('%s on an authenticated page: start over, nothing of anyone else', async (_n, query) => {
    const { s } = server();
    await get(s, 'start');
    await get(s, 'login-check', { s: 'tok1' }, { account: RICH.fundAccount, password: RICH.password });
    const doc = await get(s, 'balance', query);
    expect(doc).toContain('操作超时，请重新开始。');
    expect(doc).toContain(`${DEFAULT_PACK_PREFIX}securities/zh-CN/start`);
    expect(doc).not.toContain('可用资金');
  });

  it('an authenticated page without a login goes to the login page', async () => {
    const { s } = server();
    await get(s, 'start');
    const doc = await get(s, 'balance', { s: 'tok1' });
    expect(doc).toContain('请先登录。');
    expect(doc).toContain('login?s=tok1');
  });

  it('a token of another locale or pack is not accepted', async () => {
    const { s } = server();
    await get(s, 'start');
    const other = await s.handle({ pack: 'securities', locale: 'en-US', page: 'menu', query: { s: 'tok1' }, fields: {} });
    expect(other).toContain('Your session timed out');
  });

  it('a session idle past the timeout is gone', async () => {
    const { s, clock } = server();
    await get(s, 'start');
    await get(s, 'login-check', { s: 'tok1' }, { account: RICH.fundAccount, password: RICH.password });
    expect(await get(s, 'balance', { s: 'tok1' })).toContain('可用资金');
    clock.advance(16 * 60_000);
    expect(await get(s, 'balance', { s: 'tok1' })).toContain('操作超时');
  });

  it('an expired pack session logs its back-office session out', async () => {
    const { s, clock, backOffice } = server();
    await get(s, 'start', {}, { ivr: 'call-9' });
    await get(s, 'login-check', { s: 'tok1' }, { account: RICH.fundAccount, password: RICH.password });
    const token = s.sessions.byIvrSession('call-9')!.identity!.backOfficeToken;
    await expect(backOffice.getBalance(token)).resolves.toBeDefined();
    clock.advance(16 * 60_000);
    await get(s, 'menu', { s: 'tok1' });
    await Promise.resolve();
    await expect(backOffice.getBalance(token)).rejects.toMatchObject({ code: 'not-authenticated' });
  });

  it('a second bootstrap for the same IVR session does not take over its attached data', async () => {
    const { s } = server();
    await get(s, 'start', {}, { ivr: 'call-1' });
    await get(s, 'login-check', { s: 'tok1' }, { account: RICH.fundAccount, password: RICH.password });
    await get(s, 'start', {}, { ivr: 'call-1' });
    expect(s.attachedData('call-1')).toMatchObject({ authenticated: true, customer: { account: RICH.fundAccount } });
  });

  it.each([
    ['unknown pack', { pack: 'insurance', locale: 'zh-CN', page: 'menu' }],
    ['unknown locale', { pack: 'securities', locale: 'fr-FR', page: 'menu' }],
    ['unknown page', { pack: 'securities', locale: 'zh-CN', page: 'nope' }],
  ])('%s is not found (the interpreter turns it into error.badfetch)', async (_n, r) => {
    const { s } = server();
    await expect(s.handle({ ...r, query: {}, fields: {} })).rejects.toBeInstanceOf(FetchError);
  });
});

describe('IVR-1 generated documents are escaped', () => {
  it('a mailbox text with markup is read out as text, the document stays well-formed', async () => {
    const evil = 'A&B <exit expr="1"/> ]]> "quoted" \u0007';
    const { s } = server({ read: async () => evil });
    await get(s, 'start');
    const doc = await get(s, 'mailbox-announcements', { s: 'tok1' });
    expect(doc).toContain('A&amp;B &lt;exit expr=&quot;1&quot;/&gt; ]]&gt; &quot;quoted&quot;');
    expect(doc).not.toContain('<exit expr="1"/>');
    // And the interpreter speaks exactly the text.
    const fetcher = new MountingFetcher(new HttpFileFetcher(new FakeClock(TRADING)), [{ prefix: s.prefix, fetcher: s }]);
    const ch = new ScriptedChannel([{ keys: '3' }, { keys: '5' }, { hangup: true }]);
    await new IvrRunner({ logger: quiet, fetcher }).run(s.entryUrl('securities', 'zh-CN'), ch);
    expect(ch.prompts().join(' ')).toContain('券商公告： A&B <exit expr="1"/> ]]> "quoted"');
  });
});

describe('IVR-4, CRM-2 call-attached data and secrets', () => {
  it('neither the password nor the back-office token appears in any document or in the attached data', async () => {
    const w = world();
    const served: string[] = [];
    const spy: ResourceFetcher = {
      async fetch(req: FetchRequest) {
        const r = await w.server.fetch(req);
        served.push(r.text);
        return r;
      },
    };
    const fetcher = new MountingFetcher(new HttpFileFetcher(w.clock), [{ prefix: w.server.prefix, fetcher: spy }]);
    const ch = new ScriptedChannel([...keys('1', `${RICH.fundAccount}#`, RICH.password, '6', '1', '100#', RICH.bankPassword, '1', '*')]);
    await new IvrRunner({ logger: quiet, fetcher }).run(w.server.entryUrl('securities', 'zh-CN'), ch, 'secret-call', { hotline: { sessionId: 'secret-call' } });
    const data = w.server.attachedData('secret-call');
    expect(data).toMatchObject({ authenticated: true, reason: 'caller', inputs: { account: RICH.fundAccount, transferAmount: '100' } });
    const token = w.server.sessions.byIvrSession('secret-call')?.identity?.backOfficeToken;
    expect(token).toBeTruthy();
    for (const text of [...served, JSON.stringify(data)]) {
      expect(text).not.toContain(token!);
      expect(text).not.toContain(RICH.password);
      expect(text).not.toContain(RICH.bankPassword);
    }
  });

  it('the attached data is what the agent transfer carries and what the session exits with', async () => {
    const w = world();
    const r = await dial(w, 'securities', 'en-US', keys('1', `${RICH.fundAccount}#`, RICH.password, '2', '600000', '*'));
    expect(r.outcome).toEqual({ kind: 'exit', value: r.attached });
    expect(r.attached?.path).toEqual(['start', 'menu', 'login', 'login-check', 'account', 'positions', 'positions-list', 'account', 'agent']);
    expect(r.attached?.inputs).toEqual({ account: RICH.fundAccount, positions: '600000' });
  });
});

describe('IVR-4 agents busy', () => {
  it.each([['busy'], ['noanswer']] as const)('%s: said so, back to the top menu with the session intact', async (outcome) => {
    const w = world();
    const r = await dial(w, 'securities', 'zh-CN', [...keys('1', `${RICH.fundAccount}#`, RICH.password, '*'), { transfer: outcome }, ...keys('1'), { hangup: true }]);
    expect(r.heard).toContain('对不起，座席正忙，请稍后再拨。 交易服务请按1');
    expect(r.prompts.at(-1)).toContain('王建国，您好。');
  });
});
