/** The two languages every pack speaks, and how numbers, money and dates are said in each. */
export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(s: string): s is Locale {
  return (LOCALES as readonly string[]).includes(s);
}

const group = (s: string): string => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Integer fen as yuan with two decimals: `1234.50元` / `1,234.50 yuan`. */
export function money(fen: number, locale: Locale): string {
  const neg = fen < 0;
  const abs = Math.abs(Math.round(fen));
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  if (locale === 'zh-CN') return `${neg ? '负' : ''}${text}元`;
  const [i, d] = text.split('.');
  return `${neg ? 'minus ' : ''}${group(i!)}.${d} yuan`;
}

/** A count with its unit: `1000股` / `1,000 shares`. */
export function count(n: number, zhUnit: string, enUnit: string, locale: Locale): string {
  return locale === 'zh-CN' ? `${n}${zhUnit}` : `${group(String(n))} ${enUnit}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A `YYYYMMDD` business date as said aloud. */
export function spokenDate(yyyymmdd: string, locale: Locale): string {
  const y = yyyymmdd.slice(0, 4);
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return locale === 'zh-CN' ? `${y}年${m}月${d}日` : `${MONTHS[m - 1] ?? '?'} ${d}, ${y}`;
}

/** A NAV or price kept in 1/10000 yuan, with its four decimals. */
export function milli4(n: number): string {
  return `${Math.floor(n / 10_000)}.${String(n % 10_000).padStart(4, '0')}`;
}

/**
 * An amount keyed on the phone (IVR-3: `*` is the decimal point; the
 * interpreter's currency type hands it over as `12.5`) into integer fen;
 * undefined when it is not a positive amount with at most two decimals.
 */
export function parseAmount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{1,12})(?:[.*](\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : undefined;
}

/** The business date (`YYYYMMDD`) in the center's time zone, Beijing (UTC+8, no daylight saving). */
export function beijingDate(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
}
