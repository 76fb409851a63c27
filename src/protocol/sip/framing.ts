/**
 * Stream framing (RFC 3261 section 18.3, RFC 5626 section 3.5.1): find where
 * the next message ends in a TCP/TLS byte stream, so a transport can cut it
 * out and hand it to parseMessage({ stream: true }).
 */
import { MAX_SCALAR } from './cseq.ts';
import { SipParseError } from './errors.ts';
import { findHeaderEnd, parseDecimal } from './parser.ts';

export type StreamFrame =
  /** Leading CRLFs: a keep-alive ping (`\r\n\r\n`) or stray line ends; consume `end` octets. */
  | { kind: 'keepalive'; end: number; ping: boolean }
  /** One whole message occupies `[start, end)`. */
  | { kind: 'message'; start: number; end: number }
  | { kind: 'incomplete' };

export interface FrameOptions {
  /** Largest header section accepted before the empty line (default 64 KiB). */
  maxHeaderBytes?: number;
  /** Largest Content-Length accepted (default 1 MiB). */
  maxBodyBytes?: number;
}

const CL_NAMES = ['content-length', 'l'];

/** Frame the next item in `buf`. Throws SipParseError when the stream cannot be framed (the transport closes it). */
export function nextStreamFrame(buf: Buffer, opts: FrameOptions = {}): StreamFrame {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x0d || buf[i] === 0x0a)) i++;
  if (i > 0) return { kind: 'keepalive', end: i, ping: i >= 4 };
  if (buf.length === 0) return { kind: 'incomplete' };
  const maxHead = opts.maxHeaderBytes ?? 65536;
  const maxBody = opts.maxBodyBytes ?? 1 << 20;
  const he = findHeaderEnd(buf, 0);
  if (he === undefined) {
    if (buf.length > maxHead) throw new SipParseError('too-large', 'header section too large');
    return { kind: 'incomplete' };
  }
  if (he.headEnd > maxHead) throw new SipParseError('too-large', 'header section too large');
  const cl = contentLength(buf.toString('latin1', 0, he.headEnd));
  if (cl > maxBody) throw new SipParseError('too-large', 'body too large');
  const end = he.bodyStart + cl;
  return end <= buf.length ? { kind: 'message', start: 0, end } : { kind: 'incomplete' };
}

function contentLength(head: string): number {
  let found: number | undefined;
  for (const raw of head.split('\n')) {
    const colon = raw.indexOf(':');
    if (colon <= 0) continue;
    const c0 = raw.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) continue;
    const name = raw.slice(0, colon).trim().toLowerCase();
    if (!CL_NAMES.includes(name)) continue;
    const v = parseDecimal(raw.slice(colon + 1).trim(), MAX_SCALAR);
    if (v === undefined) throw new SipParseError('bad-content-length', 'malformed Content-Length');
    if (found !== undefined && found !== v) throw new SipParseError('bad-content-length', 'several Content-Length values');
    found = v;
  }
  if (found === undefined) throw new SipParseError('bad-content-length', 'missing Content-Length');
  return found;
}
