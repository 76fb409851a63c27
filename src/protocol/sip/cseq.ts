/** CSeq header (RFC 3261 section 20.16): `1 INVITE`, sequence number below 2^31. */
import { SipParseError } from './errors.ts';
import type { SipMessage } from './message.ts';
import { isToken, trimLws } from './params.ts';

export interface CSeq {
  seq: number;
  method: string;
}

export const MAX_SCALAR = 2 ** 31 - 1;

/** Parse a decimal scalar within 0..2^31-1, or undefined when not one. */
export function parseScalar(s: string): number | undefined {
  const t = trimLws(s);
  if (t.length === 0 || t.length > 10) return undefined;
  let v = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    v = v * 10 + (c - 0x30);
  }
  return v <= MAX_SCALAR ? v : undefined;
}

export function parseCSeq(value: string): CSeq {
  const t = trimLws(value);
  let i = 0;
  while (i < t.length && t.charCodeAt(i) !== 0x20 && t.charCodeAt(i) !== 0x09) i++;
  const seq = parseScalar(t.slice(0, i));
  const method = trimLws(t.slice(i));
  if (seq === undefined) throw new SipParseError('bad-cseq', 'malformed CSeq');
  if (!isToken(method)) throw new SipParseError('bad-cseq', 'malformed CSeq');
  return { seq, method };
}

export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}

/** The CSeq of a message. Throws SipParseError when missing or malformed. */
export function cseqOf(msg: SipMessage): CSeq {
  const v = msg.headers.get('CSeq');
  if (v === undefined) throw new SipParseError('missing-header', 'missing CSeq');
  return parseCSeq(v);
}
