import { describe, expect, it } from 'vitest';
import type { PromptSegment } from '../channel/voice-channel.ts';
import { integerEn, integerZh } from './number-words.ts';
import { planPrompt, planText } from './prompt-plan.ts';
import { localeOf, sayAs } from './say-as.ts';

describe('SSML say-as, zh-CN and en-US readings - IVR-1, IVR-3', () => {
  it.each([
    ['digits', '8001', '八零零一', 'eight zero zero one'],
    ['digits', '1 3 9*#', '一三九星号井号', 'one three nine star pound'],
    ['telephone', '95000', '九五零零零', 'nine five zero zero zero'],
    ['currency', '12.50', '十二元五角', 'twelve yuan fifty'],
    ['currency', '12.05', '十二元零五分', 'twelve yuan oh five'],
    ['currency', '12.56', '十二元五角六分', 'twelve yuan fifty-six'],
    ['currency', '12', '十二元整', 'twelve yuan'],
    ['currency', '0.5', '五角', 'fifty fen'],
    ['currency', '¥1,000,003.10', '一百万零三元一角', 'one million three yuan ten'],
    ['currency', '27020.36', '二万七千零二十元三角六分', 'twenty-seven thousand twenty yuan thirty-six'],
    ['currency', 'USD 3.99', '三美元九十九美分', 'three dollars ninety-nine'],
    ['currency', '-5', '负五元整', 'minus five yuan'],
    ['currency', 'about ten', 'about ten', 'about ten'],
    ['date', '20240305', '二零二四年三月五日', 'March fifth, twenty twenty-four'],
    ['date', '2001-12-31', '二零零一年十二月三十一日', 'December thirty-first, two thousand one'],
    ['date', '19991122', '一九九九年十一月二十二日', 'November twenty-second, nineteen ninety-nine'],
    ['date', '20240230', '20240230', '20240230'],
    ['number', '1.2345', '一点二三四五', 'one point two three four five'],
    ['cardinal', '105', '一百零五', 'one hundred five'],
    ['ordinal', '3', '第三', 'third'],
    ['unknown-type', 'as is', 'as is', 'as is'],
  ])('%s "%s" → %s / %s', (type, text, zh, en) => {
    expect(sayAs(type, text, 'zh-CN')).toBe(zh);
    expect(sayAs(type, text, 'en-US')).toBe(en);
  });

  it.each([
    [0, '零', 'zero'],
    [10, '十', 'ten'],
    [19, '十九', 'nineteen'],
    [110, '一百一十', 'one hundred ten'],
    [1010, '一千零一十', 'one thousand ten'],
    [10001, '一万零一', 'ten thousand one'],
    [10500, '一万零五百', 'ten thousand five hundred'],
    [120000, '十二万', 'one hundred twenty thousand'],
    [100010000, '一亿零一万', 'one hundred million ten thousand'],
  ])('integer %d → %s / %s', (n, zh, en) => {
    expect(integerZh(n)).toBe(zh);
    expect(integerEn(n)).toBe(en);
  });

  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['cmn', 'zh-CN'],
    ['en-GB', 'en-US'],
    ['fr-FR', 'zh-CN'],
    [undefined, 'zh-CN'],
  ] as const)('language tag %s → %s (fallback zh-CN)', (tag, want) => {
    expect(localeOf(tag, 'zh-CN')).toBe(want);
  });
});

describe('prompt plan: speech runs per voice, breaks, audio with fallback - IVR-1', () => {
  it('agent announcement in both languages (IVR-5 wording)', () => {
    const seg = (lang: string): PromptSegment[] =>
      lang === 'zh-CN'
        ? [{ kind: 'text', text: '工号' }, { kind: 'say-as', interpretAs: 'digits', text: '8001' }, { kind: 'text', text: '为您服务' }]
        : [{ kind: 'text', text: 'Agent' }, { kind: 'say-as', interpretAs: 'digits', text: '8001' }, { kind: 'text', text: 'is now serving you' }];
    expect(planPrompt(seg('zh-CN'), 'zh-CN')).toEqual([{ kind: 'speech', text: '工号八零零一为您服务', locale: 'zh-CN' }]);
    expect(planPrompt(seg('en-US'), 'en-US')).toEqual([{ kind: 'speech', text: 'Agent eight zero zero one is now serving you', locale: 'en-US' }]);
  });

  it('switches voice on xml:lang, merges breaks, keeps audio fallbacks, drops marks', () => {
    const plan = planPrompt(
      [
        { kind: 'text', text: 'Welcome.' },
        { kind: 'text', text: '欢迎致电。', lang: 'zh-CN' },
        { kind: 'break', ms: 300 },
        { kind: 'break', ms: 200 },
        { kind: 'mark', name: 'm1' },
        { kind: 'audio', url: 'file:///prompts/menu.wav', fallback: [{ kind: 'say-as', interpretAs: 'currency', text: '3.5', lang: 'zh' }] },
        { kind: 'audio', url: '', fallback: [{ kind: 'text', text: 'no source' }] },
        { kind: 'break', ms: 60_000 },
      ],
      'en-US',
    );
    expect(plan).toEqual([
      { kind: 'speech', text: 'Welcome.', locale: 'en-US' },
      { kind: 'speech', text: '欢迎致电。', locale: 'zh-CN' },
      { kind: 'silence', ms: 500 },
      { kind: 'audio', url: 'file:///prompts/menu.wav', fallback: [{ kind: 'speech', text: '三元五角', locale: 'zh-CN' }] },
      { kind: 'speech', text: 'no source', locale: 'en-US' },
      { kind: 'silence', ms: 10_000 },
    ]);
    expect(planText(plan)).toBe('Welcome. 欢迎致电。 [500ms] [audio file:///prompts/menu.wav | 三元五角] no source [10000ms]');
  });
});
