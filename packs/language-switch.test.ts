// Key 9 on every pack's top menu switches to the other language's service
// (IVR-3 keypad conventions; the seeds' "English service" option): the offer
// is spoken in the other language, the session keeps its identity, and the
// agent's call data names the language the caller chose.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/backoffice/index.ts';
import { bankMessages } from './bank/bank-messages.ts';
import { commonMessages } from './core/common-messages.ts';
import type { Locale } from './core/locale.ts';
import { speechText } from './core/speech.ts';
import { fundMessages } from './fund/fund-messages.ts';
import { securitiesMessages } from './securities/securities-messages.ts';
import { dial, keys, world } from './test-support/dial.ts';

const TOP = { securities: securitiesMessages, fund: fundMessages, bank: bankMessages } as const;
const other = (l: Locale): Locale => (l === 'zh-CN' ? 'en-US' : 'zh-CN');

describe('top menu key 9: the other language (IVR-3)', () => {
  it.each((['securities', 'fund', 'bank'] as const).flatMap((pack) => (['zh-CN', 'en-US'] as const).map((locale) => ({ pack, locale }))))('$pack $locale: 9 leads to the $pack top menu in the other language', async ({ pack, locale }) => {
    const r = await dial(world(), pack, locale, [...keys('9'), { hangup: true }]);
    const offer = speechText(commonMessages(locale).otherLanguage);
    const menus = r.channel.transcript.filter((e) => e.kind === 'prompt' && e.text.includes(speechText(TOP[pack](locale).topMenu)));
    expect(menus.length).toBe(1);
    // The offer is tagged with the other language, so its voice speaks it.
    const first = menus[0]!;
    if (first.kind !== 'prompt') throw new Error('not a prompt');
    expect(first.segments.find((s) => s.kind === 'text' && s.text === offer)).toMatchObject({ lang: other(locale) });
    expect(r.prompts.at(-1)).toContain(speechText(TOP[pack](other(locale)).topMenu));
    expect(r.prompts.at(-1)).toContain(speechText(commonMessages(other(locale)).otherLanguage));
  });

  it('securities zh-CN → 9 → English login; the agent sees the authenticated customer and en-US', async () => {
    const c = DEMO_ACCOUNTS.securities[0]!;
    const r = await dial(world(), 'securities', 'zh-CN', keys('9', '1', `${c.fundAccount}#`, c.password, '*'));
    const en = securitiesMessages('en-US');
    expect(r.heard).toContain(speechText(en.enterFundAccount));
    expect(r.attached).toMatchObject({ pack: 'securities', locale: 'en-US', authenticated: true, customer: { account: c.fundAccount } });
  });

  it('a stale session token on the language page starts over instead of trusting it', async () => {
    const w = world();
    const text = await w.server.handle({ pack: 'fund', locale: 'zh-CN', page: 'lang', query: { s: 'forged' }, fields: {} });
    expect(text).toContain(speechText(commonMessages('zh-CN').sessionExpired));
    expect(text).toContain('fund/zh-CN/start');
  });
});
