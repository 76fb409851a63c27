// Securities pack without login: quotes and the SEC-3 voice mailboxes read from text files (issue 8).
import { describe, expect, it } from 'vitest';
import type { Locale } from '../core/locale.ts';
import { dial, keys, world } from '../test-support/dial.ts';

interface Case {
  readonly name: string;
  readonly keys: readonly string[];
  readonly heard: Record<Locale, readonly string[]>;
}

const CASES: Case[] = [
  { name: 'quote by stock code (SEC-2)', keys: ['2', '600000'], heard: { 'zh-CN': ['证券代码 600000 ，海明智能，最新价5.59元', '成交量'], 'en-US': ['Code 600000 , 海明智能: last 5.59 yuan', 'volume'] } },
  { name: 'two quotes in a row, then 0 back to the menu', keys: ['2', '600000', '000001', '0'], heard: { 'zh-CN': ['海明智能', '北诚软件', '交易服务请按1'], 'en-US': ['海明智能', '北诚软件', 'For trading services press 1'] } },
  { name: 'special note of a code, from its text file (SEC-3)', keys: ['3', '1', '600000'], heard: { 'zh-CN': ['特别提示： 演示内容：海明智能（600000）今日披露三季度业绩预告'], 'en-US': ['Special note: Demo content: 600000 published its third-quarter earnings preview'] } },
  { name: 'special note: no latest information for this security', keys: ['3', '1', '000001'], heard: { 'zh-CN': ['该证券暂时没有最新信息。'], 'en-US': ['There is no latest information for this security.'] } },
  { name: 'market analysis of institution 1', keys: ['3', '2', '1'], heard: { 'zh-CN': ['万国测评： 演示内容：万国测评认为'], 'en-US': ['Wanguo Ratings: Demo content: Wanguo Ratings expects'] } },
  { name: 'market analysis of institution 2', keys: ['3', '2', '2'], heard: { 'zh-CN': ['神光预测： 演示内容'], 'en-US': ['Shenguang Forecast: Demo content'] } },
  { name: 'market analysis of an institution with no text', keys: ['3', '2', '3'], heard: { 'zh-CN': ['联证论市暂时没有大势分析。'], 'en-US': ['There is no market analysis from Lianzheng Market View'] } },
  { name: 'recommendations', keys: ['3', '3'], heard: { 'zh-CN': ['个股推荐： 演示内容：本周关注'], 'en-US': ['Recommendations: Demo content: this week watch'] } },
  { name: 'comment by code', keys: ['3', '4', '600000'], heard: { 'zh-CN': ['个股点评： 演示内容：海明智能基本面稳健'], 'en-US': ['Comment: Demo content: 600000 has sound fundamentals'] } },
  { name: 'comment: none for this code', keys: ['3', '4', '601001'], heard: { 'zh-CN': ['该证券暂时没有点评。'], 'en-US': ['There is no comment on this security yet.'] } },
  { name: 'broker announcements', keys: ['3', '5'], heard: { 'zh-CN': ['券商公告： 演示内容：本公司将于本周六'], 'en-US': ['Broker announcements: Demo content: our systems will be upgraded'] } },
];

describe.each(['zh-CN', 'en-US'] as const)('SEC-2, SEC-3 public securities services (%s)', (locale) => {
  const w = world();
  it.each(CASES)('$name', async (c) => {
    const r = await dial(w, 'securities', locale, [...keys(...c.keys), { hangup: true }]);
    for (const h of c.heard[locale]) expect(r.heard).toContain(h);
    expect(r.outcome).toEqual({ kind: 'hangup' });
  });

  it('the trading menu asks for a login first; the caller stays unauthenticated when reaching an agent', async () => {
    const r = await dial(w, 'securities', locale, keys('1', '*'));
    expect(r.attached).toMatchObject({ authenticated: false, reason: 'caller', path: ['start', 'menu', 'login', 'agent'] });
  });
});
