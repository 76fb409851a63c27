import { describe, expect, it } from 'vitest';
import { CATALOGS, format, initialLocale, placeholders, translate } from './catalogs.ts';

const enKeys = Object.keys(CATALOGS['en-US']).sort();
const zhKeys = Object.keys(CATALOGS['zh-CN']).sort();

/** Keys whose text is the same in both languages on purpose. */
const SAME_IN_BOTH = new Set(['app.title', 'lang.zh-CN', 'lang.en-US']);

describe('message catalogs zh-CN and en-US (issue 7: web in two languages)', () => {
  it('have exactly the same keys', () => {
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    expect(enKeys.length).toBeGreaterThan(100);
  });

  it.each(enKeys)('%s: non-empty in both, same placeholders', (key) => {
    const e = CATALOGS['en-US'][key as keyof (typeof CATALOGS)['en-US']];
    const z = CATALOGS['zh-CN'][key as keyof (typeof CATALOGS)['zh-CN']];
    expect(e.trim()).not.toBe('');
    expect(z.trim()).not.toBe('');
    expect(placeholders(z)).toEqual(placeholders(e));
    if (!SAME_IN_BOTH.has(key)) expect(z, `${key} is not translated`).not.toBe(e);
  });
});

describe('format and locale choice', () => {
  it.each([
    ['{n} s', { n: 5 }, '5 s'],
    ['Remove {ext}?', { ext: '8001' }, 'Remove 8001?'],
    ['{a}{b}{a}', { a: 'x', b: 1 }, 'x1x'],
    ['keep {missing}', {}, 'keep {missing}'],
    ['no placeholders', { n: 1 }, 'no placeholders'],
  ])('format(%j, %j) = %j', (template, vars, out) => {
    expect(format(template, vars)).toBe(out);
  });

  it('translate picks the catalog of the locale', () => {
    expect(translate('en-US', 'sip.removeConfirm', { ext: '8003' })).toBe('Remove SIP account 8003 and its registrations?');
    expect(translate('zh-CN', 'sip.removeConfirm', { ext: '8003' })).toBe('删除 SIP 账号 8003 及其注册？');
  });

  it.each([
    ['en-US', ['zh-CN'], 'en-US'],
    ['zh-CN', ['en-GB'], 'zh-CN'],
    [null, ['zh-TW', 'en'], 'zh-CN'],
    [null, ['en-US'], 'en-US'],
    ['fr-FR', ['de'], 'en-US'],
    [undefined, [], 'en-US'],
  ] as const)('saved %s, browser %j → %s', (saved, langs, locale) => {
    expect(initialLocale(saved, langs)).toBe(locale);
  });
});
