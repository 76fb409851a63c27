// Fund pack dialogs (issue 8, SEC-8, IVR-3, IVR-4): NAV, purchase and redemption status, how-to guidance.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/backoffice/index.ts';
import { speechText } from '../core/speech.ts';
import { dial, keys, world, type World } from '../test-support/dial.ts';
import { fundMessages, GUIDE_TOPICS } from './fund-messages.ts';

const INV = DEMO_ACCOUNTS.fund[0]!;
const login = keys('2', `${INV.fundAccount}#`, INV.password);

/** A purchase and a redemption placed through the port before the call, so there is a status to hear. */
async function withRequests(w: World): Promise<void> {
  const s = await w.backOffice.loginWithFundAccount('fund', INV.fundAccount, INV.password);
  await w.backOffice.purchaseFund(s.token, '160002', 1_000_050);
  await w.backOffice.redeemFund(s.token, '110001', 10_000);
  await w.backOffice.logout(s.token);
}

describe.each(['zh-CN', 'en-US'] as const)('SEC-8 fund pack (%s)', (locale) => {
  const zh = locale === 'zh-CN';

  it('NAV by fund code, two codes in a row, then 0 back', async () => {
    const w = world();
    const nav = await w.backOffice.getFundNav('110001');
    const r = await dial(w, 'fund', locale, [...keys('1', '110001', '160002', '0'), { hangup: true }]);
    expect(r.heard).toContain(zh ? `${nav.name}，` : `${nav.name}: net asset value`);
    expect(r.heard).toContain(`${Math.floor(nav.navMilli4 / 10_000)}.${String(nav.navMilli4 % 10_000).padStart(4, '0')}`);
    expect(r.heard).toContain((await w.backOffice.getFundNav('160002')).name);
    expect(r.prompts.at(-1)).toContain(speechText(fundMessages(locale).topMenu));
  });

  it('an unknown fund code is spoken as such and asked again', async () => {
    const r = await dial(world(), 'fund', locale, [...keys('1', '999999'), { hangup: true }]);
    expect(r.heard).toContain(zh ? '基金代码不存在' : 'There is no fund with this code');
    expect(r.prompts.at(-1)).toContain(speechText(fundMessages(locale).enterFundCode));
  });

  it.each([
    { name: '# for all requests', keys: ['1', '#'], zh: ['第1笔，', '第2笔，', '申购', '赎回', '已受理，待确认'], en: ['Request 1:', 'Request 2:', 'purchase of', 'redemption of', 'submitted, awaiting confirmation'] },
    { name: 'requests of one fund code', keys: ['1', '160002'], zh: ['第1笔，申购', '金额10000.50元'], en: ['Request 1: purchase of', '10,000.50 yuan'] },
    { name: 'holdings', keys: ['2'], zh: ['持有'], en: ['units at'] },
  ])('after login: $name, then an agent sees the authenticated investor', async (c) => {
    const w = world();
    await withRequests(w);
    const r = await dial(w, 'fund', locale, [...login, ...keys(...c.keys, '*')]);
    for (const h of zh ? c.zh : c.en) expect(r.heard).toContain(h);
    expect(r.attached).toMatchObject({ pack: 'fund', authenticated: true, customer: { account: INV.fundAccount, kind: 'fund' } });
  });

  it('no request for a fund code that has none', async () => {
    const w = world();
    await withRequests(w);
    const r = await dial(w, 'fund', locale, [...login, ...keys('1', '110011'), { hangup: true }]);
    expect(r.heard).toContain(speechText(fundMessages(locale).noRequests));
  });

  it.each(GUIDE_TOPICS.map((t, i) => ({ t, key: String(i + 1) })))('how-to guidance: $t', async ({ t, key }) => {
    const r = await dial(world(), 'fund', locale, [...keys('3', key), { hangup: true }]);
    expect(r.heard).toContain(speechText(fundMessages(locale).guide(t)));
    expect(r.prompts.at(-1)).toContain(speechText(fundMessages(locale).guideMenu));
  });

  it('three wrong passwords lock the fund account and reach an agent (IVR-4)', async () => {
    const w = world();
    const bad = `${INV.fundAccount}#`;
    const r = await dial(w, 'fund', locale, keys('2', bad, '000000', bad, '000000', bad, '000000'));
    expect(r.attached).toMatchObject({ pack: 'fund', reason: 'account-locked', lockedAccount: INV.fundAccount, authenticated: false });
    expect(r.transfers[0]).toMatchObject({ dest: 'queue:fund' });
  });
});
