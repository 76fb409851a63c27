/**
 * Cuts a byte stream (TCP, TLS) into SIP messages (RFC 3261 section 18.3):
 * the header section ends at the first empty line, the body is exactly
 * Content-Length bytes (mandatory on streams). CRLFs between messages are
 * skipped (section 7.5); each CRLFCRLF there is an RFC 5626 keep-alive ping
 * that the transport answers with one CRLF.
 *
 * Pure: bytes in, outputs out. It reads only the start line (to refuse
 * non-SIP data early) and the Content-Length / `l` header; parsing is the
 * stack's job.
 *
 *   between --(non-CRLF byte)--> headers --(empty line, valid length)--> body
 *      ^                            |                                     |
 *      +------(message emitted)-----+-------------------------------------+
 *   any --(framing fault)--> failed (terminal: the connection is closed)
 */

export type FramerState = 'between' | 'headers' | 'body' | 'failed';

export type FramingErrorCode =
  | 'missing-content-length'
  | 'bad-content-length'
  | 'header-too-large'
  | 'body-too-large'
  | 'not-sip';

export class FramingError extends Error {
  override readonly name = 'FramingError';
  constructor(
    readonly code: FramingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type FramerOutput =
  | { kind: 'message'; data: Buffer }
  /** RFC 5626 double-CRLF ping: write "\r\n" back. */
  | { kind: 'ping' }
  | { kind: 'error'; error: FramingError; partial: Buffer };

export interface StreamFramerOptions {
  /** Largest header section (start line included), bytes. */
  maxHeaderBytes: number;
  /** Largest Content-Length accepted, bytes. */
  maxBodyBytes: number;
}

export const DEFAULT_FRAMER_OPTIONS: StreamFramerOptions = { maxHeaderBytes: 64 * 1024, maxBodyBytes: 1024 * 1024 };

const CR = 0x0d;
const LF = 0x0a;
const HT = 0x09;
const MAX_LENGTH_DIGITS = 10;
const SHRINK_ABOVE = 256 * 1024;

export class StreamFramer {
  private readonly opts: StreamFramerOptions;
  private st: FramerState = 'between';
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Line ends seen in the current run between messages. */
  private lineEnds = 0;
  /** Headers: offset (from start) where the scan for the empty line resumes. */
  private scan = 0;
  private startLineChecked = false;
  /** Body: total message length (header section + body). */
  private msgLen = 0;

  constructor(opts: Partial<StreamFramerOptions> = {}) {
    this.opts = { ...DEFAULT_FRAMER_OPTIONS, ...opts };
    if (!(this.opts.maxHeaderBytes > 0) || !(this.opts.maxBodyBytes >= 0)) throw new RangeError('framer limits must be positive');
  }

  get state(): FramerState {
    return this.st;
  }

  /** Bytes held waiting for the rest of a message. */
  buffered(): number {
    return this.end - this.start;
  }

  /** Feed one chunk; returns every message, ping and error it completes, in stream order. */
  push(chunk: Uint8Array): FramerOutput[] {
    if (this.st === 'failed') return [];
    this.append(chunk);
    const out: FramerOutput[] = [];
    let moved = true;
    while (moved) {
      const st: FramerState = this.st;
      if (st === 'between') moved = this.skipLineEnds(out);
      else if (st === 'headers') moved = this.scanHeaders(out);
      else if (st === 'body') moved = this.takeBody(out);
      else moved = false;
    }
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // give back the memory of a large message once it is out
      if (this.buf.length > SHRINK_ABOVE) this.buf = Buffer.alloc(0);
    }
    return out;
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      const need = live + chunk.length;
      if (need <= this.buf.length && this.start > 0) {
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2, 4096));
        this.buf.copy(next, 0, this.start, this.end);
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** True when a message starts (state moved to headers). */
  private skipLineEnds(out: FramerOutput[]): boolean {
    while (this.start < this.end) {
      const c = this.buf[this.start]!;
      if (c === CR) {
        this.start++;
      } else if (c === LF) {
        this.start++;
        if (++this.lineEnds === 2) {
          this.lineEnds = 0;
          out.push({ kind: 'ping' });
        }
      } else {
        this.lineEnds = 0;
        this.scan = 0;
        this.startLineChecked = false;
        this.st = 'headers';
        return true;
      }
    }
    return false;
  }

  /** True when the header section is complete and valid (state moved to body). */
  private scanHeaders(out: FramerOutput[]): boolean {
    const b = this.buf;
    const base = this.start;
    let i = base + this.scan;
    let headerEnd = -1;
    while (i < this.end) {
      const c = b[i]!;
      if (c === LF) {
        if (!this.startLineChecked) {
          if (!looksLikeSipStartLine(b, base, i)) return this.fail(out, 'not-sip', 'start line is not SIP');
          this.startLineChecked = true;
        }
        if (i + 1 >= this.end) break;
        const n1 = b[i + 1]!;
        if (n1 === LF) {
          headerEnd = i + 2;
          break;
        }
        if (n1 === CR) {
          if (i + 2 >= this.end) break;
          if (b[i + 2] === LF) {
            headerEnd = i + 3;
            break;
          }
        }
      } else if ((c < 0x20 && c !== CR && c !== HT) || c === 0x7f) {
        return this.fail(out, 'not-sip', `control byte 0x${c.toString(16)} in header section`);
      }
      i++;
    }
    if (headerEnd < 0) {
      this.scan = i - base;
      if (this.end - base > this.opts.maxHeaderBytes) return this.fail(out, 'header-too-large', `header section over ${this.opts.maxHeaderBytes} bytes`);
      return false;
    }
    const headerLen = headerEnd - base;
    if (headerLen > this.opts.maxHeaderBytes) return this.fail(out, 'header-too-large', `header section over ${this.opts.maxHeaderBytes} bytes`);
    const length = contentLength(b.toString('latin1', base, headerEnd));
    if (length instanceof FramingError) return this.failWith(out, length);
    if (length > this.opts.maxBodyBytes) return this.fail(out, 'body-too-large', `Content-Length ${length} over ${this.opts.maxBodyBytes}`);
    this.msgLen = headerLen + length;
    this.scan = 0;
    this.st = 'body';
    return true;
  }

  /** True when a message was emitted. */
  private takeBody(out: FramerOutput[]): boolean {
    if (this.end - this.start < this.msgLen) return false;
    const data = Buffer.from(this.buf.subarray(this.start, this.start + this.msgLen));
    this.start += this.msgLen;
    this.msgLen = 0;
    this.st = 'between';
    out.push({ kind: 'message', data });
    return true;
  }

  private fail(out: FramerOutput[], code: FramingErrorCode, message: string): false {
    return this.failWith(out, new FramingError(code, message));
  }

  private failWith(out: FramerOutput[], error: FramingError): false {
    const partial = Buffer.from(this.buf.subarray(this.start, this.end));
    this.st = 'failed';
    this.buf = Buffer.alloc(0);
    this.start = 0;
    this.end = 0;
    out.push({ kind: 'error', error, partial });
    return false;
  }
}

/** The first line holds the SIP version: `SIP/2.0 200 OK` or `INVITE sip:a@b SIP/2.0` (any version, for 505). */
function looksLikeSipStartLine(b: Buffer, from: number, lf: number): boolean {
  const line = b.toString('latin1', from, lf).toUpperCase();
  return line.startsWith('SIP/') || /\sSIP\/\S+\s*$/.test(line);
}

/**
 * Content-Length of a header section (start line first). Folded lines are
 * joined; the compact form `l` counts; names are case-insensitive. Repeated
 * fields must agree.
 */
export function contentLength(headerSection: string): number | FramingError {
  const lines = headerSection.split(/\r?\n/);
  let found: number | undefined;
  let current: string | undefined;
  const consider = (field: string | undefined): FramingError | undefined => {
    if (field === undefined) return undefined;
    const colon = field.indexOf(':');
    if (colon < 0) return undefined;
    const name = field.slice(0, colon).trim().toLowerCase();
    if (name !== 'content-length' && name !== 'l') return undefined;
    const value = field.slice(colon + 1).replace(/[ \t]+/g, ' ').trim();
    if (!/^[0-9]+$/.test(value) || value.replace(/^0+(?=\d)/, '').length > MAX_LENGTH_DIGITS) {
      return new FramingError('bad-content-length', `invalid Content-Length "${value.slice(0, 40)}"`);
    }
    const n = Number(value);
    if (found !== undefined && found !== n) return new FramingError('bad-content-length', 'conflicting Content-Length fields');
    found = n;
    return undefined;
  };
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.length > 0 && (line[0] === ' ' || line[0] === '\t') && current !== undefined) {
      current += ` ${line.trim()}`;
      continue;
    }
    const err = consider(current);
    if (err) return err;
    current = line.length > 0 ? line : undefined;
  }
  const err = consider(current);
  if (err) return err;
  if (found === undefined) return new FramingError('missing-content-length', 'Content-Length is required on stream transports');
  return found;
}
