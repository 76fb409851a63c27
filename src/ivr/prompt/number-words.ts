/**
 * Numbers as words for the TTS engine, in Mandarin (Chinese characters, the
 * way a hotline reads them) and English. Pure functions over non-negative
 * integers below 10^16 (larger values are read digit by digit).
 */

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const ZH_SMALL_UNITS = ['', '十', '百', '千'];
const ZH_BIG_UNITS = ['', '万', '亿', '万亿'];

const EN_ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const EN_BIG = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

const EN_KEYS: Record<string, string> = { '*': 'star', '#': 'pound' };
const ZH_KEYS: Record<string, string> = { '*': '星号', '#': '井号' };

/** Keys read one by one: "8001" → 八零零一 / "eight zero zero one"; * and # by name; other characters as they are. */
export function digitsZh(s: string): string {
  return [...s].map((c) => (/[0-9]/.test(c) ? ZH_DIGITS[Number(c)]! : (ZH_KEYS[c] ?? c))).filter((c) => c.trim() !== '').join('');
}

export function digitsEn(s: string): string {
  return [...s].map((c) => (/[0-9]/.test(c) ? EN_ONES[Number(c)]! : (EN_KEYS[c] ?? c))).filter((c) => c.trim() !== '').join(' ');
}

/** A group of four digits (0..9999) in Chinese; `zeroFirst` when a higher group came before and this one has leading zeros. */
function zhGroup(n: number, zeroFirst: boolean): string {
  let out = '';
  let zero = zeroFirst;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out !== '') zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += ZH_DIGITS[d]! + ZH_SMALL_UNITS[pos]!;
  }
  return out;
}

/** 12 → 十二, 105 → 一百零五, 10001 → 一万零一, 120000 → 十二万. */
export function integerZh(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return digitsZh(String(n));
  if (n === 0) return ZH_DIGITS[0]!;
  const groups: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 10_000)) groups.push(v % 10_000);
  if (groups.length > ZH_BIG_UNITS.length) return digitsZh(String(n));
  let out = '';
  let pendingZero = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    out += zhGroup(g, out !== '' && (pendingZero || g < 1000)) + ZH_BIG_UNITS[i]!;
    pendingZero = false;
  }
  // 一十二 is read 十二 at the start of a number.
  return out.startsWith('一十') ? out.slice(1) : out;
}

function enBelowThousand(n: number): string {
  const parts: string[] = [];
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (h > 0) parts.push(`${EN_ONES[h]!} hundred`);
  if (r > 0) parts.push(r < 20 ? EN_ONES[r]! : EN_TENS[Math.floor(r / 10)]! + (r % 10 ? `-${EN_ONES[r % 10]!}` : ''));
  return parts.join(' ');
}

/** 1234 → "one thousand two hundred thirty-four" (American style, no "and"). */
export function integerEn(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return digitsEn(String(n));
  if (n === 0) return EN_ONES[0]!;
  const parts: string[] = [];
  let i = 0;
  for (let v = n; v > 0; v = Math.floor(v / 1000), i++) {
    const g = v % 1000;
    if (g > 0) parts.unshift(enBelowThousand(g) + (EN_BIG[i] ? ` ${EN_BIG[i]!}` : ''));
  }
  return parts.join(' ');
}

const EN_ORDINAL_IRREGULAR: Record<string, string> = { one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth' };

/** 5 → "fifth", 21 → "twenty-first", 30 → "thirtieth". */
export function ordinalEn(n: number): string {
  const words = integerEn(n);
  const m = /^(.*?)([a-z]+)$/.exec(words)!;
  const last = m[2]!;
  const ord = EN_ORDINAL_IRREGULAR[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return m[1]! + ord;
}

/** A year as spoken: 1999 → "nineteen ninety-nine", 2000 → "two thousand", 2005 → "two thousand five", 2024 → "twenty twenty-four". */
export function yearEn(y: number): string {
  if (y >= 2000 && y < 2010) return integerEn(y);
  if (y >= 1000 && y < 10_000 && y % 100 !== 0) {
    const lo = y % 100;
    return `${integerEn(Math.floor(y / 100))} ${lo < 10 ? `oh ${EN_ONES[lo]!}` : integerEn(lo)}`;
  }
  if (y >= 1000 && y < 10_000 && y % 1000 !== 0) return `${integerEn(Math.floor(y / 100))} hundred`;
  return integerEn(y);
}
