import type { DtmfMatcher, MatchOptions, MatchResult, MatchStatus } from './dtmf-matcher.ts';
import type { KeypadConventions } from './keypad-conventions.ts';
import { GrammarError } from './srgs-grammar.ts';

export const BUILTIN_TYPES = ['digits', 'number', 'boolean', 'date', 'currency', 'phone', 'time'] as const;
export type BuiltinType = (typeof BUILTIN_TYPES)[number];

/** `digits?minlength=2;maxlength=4` or `builtin:dtmf/digits?length=4` → type and parameters. */
export function parseBuiltinRef(ref: string): { type: BuiltinType; params: Record<string, string> } | undefined {
  const m = /^(?:builtin:(?:dtmf\/|grammar\/)?)?([a-z]+)(?:\?(.*))?$/.exec(ref.trim());
  if (!m || !(BUILTIN_TYPES as readonly string[]).includes(m[1]!)) return undefined;
  const params: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(/[;&]/).filter((x) => x)) {
    const [k, v] = kv.split('=');
    if (k) params[k] = v ?? '';
  }
  return { type: m[1] as BuiltinType, params };
}

type Check = (keys: string, terminated: boolean) => { status: MatchStatus; value?: string | number | boolean };

function intParam(p: Record<string, string>, name: string): number | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new GrammarError(`builtin parameter ${name}=${v} is not a length`);
  return n;
}

/** VoiceXML 2.0 Appendix P builtin DTMF grammars, with the IVR-3 conventions applied. */
export function builtinMatcher(type: BuiltinType, params: Record<string, string>, keypad: KeypadConventions): DtmfMatcher {
  const dec = keypad.decimalKey;
  const allowAll = params['all'] === 'true';
  let check: Check;
  switch (type) {
    case 'digits': {
      const len = intParam(params, 'length');
      const min = len ?? intParam(params, 'minlength') ?? 1;
      const max = len ?? intParam(params, 'maxlength') ?? Infinity;
      if (max < min) throw new GrammarError('digits: maxlength < minlength');
      check = (k) => {
        if (!/^\d*$/.test(k) || k.length > max) return { status: 'nomatch' };
        if (k.length < min) return { status: 'incomplete' };
        return { status: k.length === max ? 'final' : 'complete', value: k };
      };
      break;
    }
    case 'number':
    case 'currency': {
      const esc = dec.replace(/[*#]/g, '\\$&');
      const full = new RegExp(`^\\d+(${esc}\\d{1,${type === 'currency' ? 2 : 9}})?$`);
      const prefix = new RegExp(`^(\\d+${esc}?)?$`);
      check = (k) => {
        if (full.test(k)) {
          const text = k.replace(dec, '.');
          return { status: 'complete', value: type === 'number' ? Number(text) : text };
        }
        return { status: prefix.test(k) ? 'incomplete' : 'nomatch' };
      };
      break;
    }
    case 'boolean':
      check = (k) => (k === '1' ? { status: 'final', value: true } : k === '2' ? { status: 'final', value: false } : { status: 'nomatch' });
      break;
    case 'date':
      check = (k) => {
        if (!/^\d*$/.test(k) || k.length > 8) return { status: 'nomatch' };
        if (k.length < 8) return { status: 'incomplete' };
        const mo = Number(k.slice(4, 6));
        const d = Number(k.slice(6, 8));
        const days = new Date(Date.UTC(Number(k.slice(0, 4)), mo, 0)).getUTCDate();
        return mo >= 1 && mo <= 12 && d >= 1 && d <= days ? { status: 'final', value: k } : { status: 'nomatch' };
      };
      break;
    case 'time':
      check = (k) => {
        if (!/^\d*$/.test(k) || k.length > 4) return { status: 'nomatch' };
        if (k.length < 4) return { status: 'incomplete' };
        const h = Number(k.slice(0, 2));
        const m = Number(k.slice(2));
        return h < 24 && m < 60 ? { status: 'final', value: `${k}h` } : { status: 'nomatch' };
      };
      break;
    case 'phone':
      // '*' separates an extension (VoiceXML writes it as 'x').
      check = (k) => {
        if (/^\d+(\*\d+)?$/.test(k)) return { status: 'complete', value: k.replace('*', 'x') };
        return { status: /^(\d+\*?)?$/.test(k) ? 'incomplete' : 'nomatch' };
      };
      break;
  }
  return {
    match(keys: string, options?: MatchOptions): MatchResult {
      if (keys === '' && allowAll && options?.terminated && keypad.allKey === keypad.endKey)
        return { status: 'final', utterance: keypad.allKey, interpret: () => 'all' };
      if (keys === keypad.allKey && allowAll && keypad.allKey !== keypad.endKey)
        return { status: 'final', utterance: keys, interpret: () => 'all' };
      const r = check(keys, options?.terminated ?? false);
      if (r.status === 'complete' || r.status === 'final') {
        const v = r.value;
        return { status: r.status, utterance: keys, interpret: () => v };
      }
      return { status: r.status, utterance: keys };
    },
  };
}
