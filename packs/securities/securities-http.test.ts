// The same securities pack over the HTTP back-office adapter (a broker's own system), and with the back office down (issue 8, SEC-1, SEC-2).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, HttpBackOffice, serveBackOffice, SimulatedBackOffice } from '../../src/backoffice/index.ts';
import { FakeClock } from '../../src/shared/clock.ts';
import { dial, keys, TRADING, worldOf, type World } from '../test-support/dial.ts';

const RICH = DEMO_ACCOUNTS.securities[0]!;
const login = keys('1', `${RICH.fundAccount}#`, RICH.password);

describe('SEC-1 the securities pack over the HTTP back-office contract', () => {
  let app: FastifyInstance;
  let w: World;
  beforeAll(async () => {
    const clock = new FakeClock(TRADING);
    const sim = new SimulatedBackOffice(clock, { customers: 20 });
    app = await serveBackOffice(sim);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    w = worldOf(clock, sim, new HttpBackOffice({ baseUrl: url, timeoutMs: 5000 }));
  });
  afterAll(async () => app?.close());

  it('login, balance, an order placed and cancelled, all over HTTP', async () => {
    const r = await dial(w, 'securities', 'zh-CN', [...login, ...keys('1', '4', '1', '600000', '5*5#', '100#', '1', '5', '#', '1#', '1', '*')]);
    expect(r.heard).toContain('可用资金500000.00元');
    expect(r.heard).toContain('委托已提交');
    expect(r.heard).toContain('撤单成功');
    expect(r.attached).toMatchObject({ authenticated: true, customer: { account: RICH.fundAccount } });
  });

  it('typed errors travel over HTTP and are spoken the same way', async () => {
    const r = await dial(w, 'securities', 'en-US', [...keys('2', '999999'), { hangup: true }]);
    expect(r.heard).toContain('There is no security with this code');
  });
});

describe('SEC-1 the back office down: spoken, with a way back', () => {
  it.each(['zh-CN', 'en-US'] as const)('%s: a quote while nothing answers', async (locale) => {
    const clock = new FakeClock(TRADING);
    const w = worldOf(clock, new SimulatedBackOffice(clock, { customers: 5 }), new HttpBackOffice({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 }));
    const r = await dial(w, 'securities', locale, [...keys('2', '600000'), { hangup: true }]);
    expect(r.heard).toContain(locale === 'zh-CN' ? '后台系统暂时无法访问' : 'The back office cannot be reached right now');
    expect(r.prompts.at(-1)).toContain(locale === 'zh-CN' ? '请输入六位证券代码查询行情' : 'Enter a six digit security code');
  });
});
