import { digitsEn, digitsZh, integerEn, integerZh, ordinalEn, yearEn } from './number-words.ts';

/** The two prompt languages Hotline speaks (espeak-ng voices cmn and en). */
export type PromptLocale = 'zh-CN' | 'en-US';

/** `xml:lang` / `<voice name>` values to a prompt locale: Chinese tags and cmn → zh-CN, everything else → en-US. */
export function localeOf(tag: string | undefined, fallback: PromptLocale): PromptLocale {
  if (!tag) return fallback;
  const t = tag.trim().toLowerCase();
  if (t === '') return fallback;
  if (/^(zh|cmn|yue|chinese|mandarin)\b/.test(t)) return 'zh-CN';
  if (/^en\b|^english/.test(t)) return 'en-US';
  return fallback;
}

interface Currency {
  readonly zh: { readonly major: string; readonly tenth?: string; readonly minor: string };
  readonly en: { readonly major: string; readonly minor: string };
}
const CNY: Currency = { zh: { major: '元', tenth: '角', minor: '分' }, en: { major: 'yuan', minor: 'fen' } };
const CURRENCIES: Record<string, Currency> = {
  CNY,
  RMB: CNY,
  USD: { zh: { major: '美元', minor: '美分' }, en: { major: 'dollars', minor: 'cents' } },
  HKD: { zh: { major: '港元', tenth: '角', minor: '分' }, en: { major: 'Hong Kong dollars', minor: 'cents' } },
};
const SYMBOLS: Record<string, string> = { '¥': 'CNY', '￥': 'CNY', $: 'USD', 'HK$': 'HKD', 元: 'CNY' };

/** "¥1,234.5", "CNY 12.50", "12.5", "-3" → currency code, sign, whole units and hundredths; undefined when it is not an amount. */
export function parseAmount(text: string): { code: string; negative: boolean; major: number; minor: number } | undefined {
  let t = text.trim().replace(/,/g, '');
  let code = 'CNY';
  const m = /^([A-Z]{3}|HK\$|[¥￥$])?\s*(-?)\s*(\d+)(?:\.(\d+))?\s*([A-Z]{3}|元|yuan)?$/i.exec(t);
  if (!m) return undefined;
  const prefix = m[1] ?? m[5];
  if (prefix) {
    const up = prefix.toUpperCase();
    code = SYMBOLS[prefix] ?? SYMBOLS[up] ?? (up === 'YUAN' ? 'CNY' : up);
  }
  if (!CURRENCIES[code]) return undefined;
  t = `${m[3]!}.${(m[4] ?? '0').padEnd(3, '0')}`;
  const cents = Math.round(Number(t) * 100);
  if (!Number.isSafeInteger(cents)) return undefined;
  return { code, negative: m[2] === '-', major: Math.floor(cents / 100), minor: cents % 100 };
}

/** 12.50 → 十二元五角; 12.05 → 十二元零五分; 12 → 十二元整. */
function currencyZh(a: NonNullable<ReturnType<typeof parseAmount>>): string {
  const c = CURRENCIES[a.code]!.zh;
  const sign = a.negative ? '负' : '';
  const tenths = Math.floor(a.minor / 10);
  const hundredths = a.minor % 10;
  if (a.minor === 0) return `${sign}${integerZh(a.major)}${c.major}整`;
  let minor: string;
  if (c.tenth) {
    minor = tenths > 0 ? `${integerZh(tenths)}${c.tenth}` : '';
    if (hundredths > 0) minor += `${a.major > 0 && tenths === 0 ? '零' : ''}${integerZh(hundredths)}${c.minor}`;
  } else minor = `${integerZh(a.minor)}${c.minor}`;
  return a.major > 0 ? `${sign}${integerZh(a.major)}${c.major}${minor}` : `${sign}${minor}`;
}

/** 12.50 → "twelve yuan fifty"; 12.05 → "twelve yuan oh five"; 0.5 → "fifty fen"; 1 → "one yuan". */
function currencyEn(a: NonNullable<ReturnType<typeof parseAmount>>): string {
  const c = CURRENCIES[a.code]!.en;
  const sign = a.negative ? 'minus ' : '';
  if (a.major === 0 && a.minor > 0) return `${sign}${integerEn(a.minor)} ${c.minor}`;
  const major = `${sign}${integerEn(a.major)} ${c.major}`;
  if (a.minor === 0) return major;
  return `${major} ${a.minor < 10 ? `oh ${integerEn(a.minor)}` : integerEn(a.minor)}`;
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** YYYYMMDD or YYYY-MM-DD (IVR-3 keypad dates) → year, month, day; undefined when not a real date. */
export function parseDate(text: string): { y: number; m: number; d: number } | undefined {
  const m = /^\s*(\d{4})-?(\d{2})-?(\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return { y, m: mo, d };
}

function decimalZh(text: string): string | undefined {
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?\s*$/.exec(text.replace(/,/g, ''));
  if (!m) return undefined;
  return `${m[1] ? '负' : ''}${integerZh(Number(m[2]))}${m[3] ? `点${digitsZh(m[3])}` : ''}`;
}

function decimalEn(text: string): string | undefined {
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?\s*$/.exec(text.replace(/,/g, ''));
  if (!m) return undefined;
  return `${m[1] ? 'minus ' : ''}${integerEn(Number(m[2]))}${m[3] ? ` point ${digitsEn(m[3])}` : ''}`;
}

/**
 * SSML `<say-as>` (the subset Hotline speaks): the words a TTS voice is
 * given for `text` read as `interpretAs` in `locale`. Text that does not fit
 * the type (an amount that is not a number, an impossible date) and unknown
 * types are spoken as written.
 */
export function sayAs(interpretAs: string, text: string, locale: PromptLocale): string {
  const zh = locale === 'zh-CN';
  switch (interpretAs.toLowerCase()) {
    case 'digits':
    case 'characters':
    case 'spell-out':
    case 'telephone':
      return zh ? digitsZh(text.replace(/\s+/g, '')) : digitsEn(text.replace(/\s+/g, ''));
    case 'currency': {
      const a = parseAmount(text);
      if (!a) return text;
      return zh ? currencyZh(a) : currencyEn(a);
    }
    case 'date': {
      const d = parseDate(text);
      if (!d) return text;
      return zh ? `${digitsZh(String(d.y))}年${integerZh(d.m)}月${integerZh(d.d)}日` : `${MONTHS_EN[d.m - 1]!} ${ordinalEn(d.d)}, ${yearEn(d.y)}`;
    }
    case 'number':
    case 'cardinal':
      return (zh ? decimalZh(text) : decimalEn(text)) ?? text;
    case 'ordinal': {
      const n = /^\s*(\d+)\s*$/.exec(text);
      if (!n) return text;
      return zh ? `第${integerZh(Number(n[1]))}` : ordinalEn(Number(n[1]));
    }
    default:
      return text;
  }
}
