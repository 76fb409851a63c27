/**
 * SIP message model (RFC 3261 section 7). Messages keep header values as the
 * text that arrived (unfolded), in arrival order; typed views (Via, CSeq,
 * name-addr...) are parsed on demand by the functions in this folder. Bodies
 * are bytes and are never re-encoded, so multipart bodies stay intact.
 */
import { canonicalHeaderName } from './header-names.ts';

export const SIP_VERSION = 'SIP/2.0';

/** Ordered multi-map of header fields. Names are stored in canonical long form. */
export class Headers implements Iterable<[string, string]> {
  private readonly fields: Array<[string, string]> = [];

  constructor(init?: Iterable<[string, string]>) {
    if (init) for (const [n, v] of init) this.append(n, v);
  }

  /** First field value of that header, as it arrived (not split at commas). */
  get(name: string): string | undefined {
    const n = canonicalHeaderName(name);
    for (const [k, v] of this.fields) if (k === n) return v;
    return undefined;
  }

  /** Every field line of that header, in order (a line may hold comma-separated values). */
  getAll(name: string): string[] {
    const n = canonicalHeaderName(name);
    const out: string[] = [];
    for (const [k, v] of this.fields) if (k === n) out.push(v);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Number of field lines with that name. */
  count(name: string): number {
    return this.getAll(name).length;
  }

  append(name: string, value: string): this {
    this.fields.push([canonicalHeaderName(name), value]);
    return this;
  }

  /** Insert before the first field of that name (or at the end): used for Via and Record-Route. */
  prepend(name: string, value: string): this {
    const n = canonicalHeaderName(name);
    const i = this.fields.findIndex(([k]) => k === n);
    if (i < 0) this.fields.push([n, value]);
    else this.fields.splice(i, 0, [n, value]);
    return this;
  }

  /** Replace every field of that name by one field (kept at the first one's position). */
  set(name: string, value: string): this {
    const n = canonicalHeaderName(name);
    const i = this.fields.findIndex(([k]) => k === n);
    this.delete(n);
    if (i < 0) this.fields.push([n, value]);
    else this.fields.splice(i, 0, [n, value]);
    return this;
  }

  delete(name: string): this {
    const n = canonicalHeaderName(name);
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]![0] === n) this.fields.splice(i, 1);
    return this;
  }

  /** Remove only the first field line of that name (e.g. our own top Via on a response). */
  deleteFirst(name: string): this {
    const n = canonicalHeaderName(name);
    const i = this.fields.findIndex(([k]) => k === n);
    if (i >= 0) this.fields.splice(i, 1);
    return this;
  }

  clone(): Headers {
    return new Headers(this.fields);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.fields[Symbol.iterator]();
  }
}

export interface SipRequest {
  readonly kind: 'request';
  method: string;
  /** Request-URI exactly as on the wire (parse with parseUri when needed). */
  uri: string;
  version: string;
  headers: Headers;
  body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  version: string;
  headers: Headers;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export function isRequest(m: SipMessage): m is SipRequest {
  return m.kind === 'request';
}

export function isResponse(m: SipMessage): m is SipResponse {
  return m.kind === 'response';
}

export function createRequest(method: string, uri: string, headers: Headers | Iterable<[string, string]> = [], body: Buffer = Buffer.alloc(0)): SipRequest {
  return { kind: 'request', method, uri, version: SIP_VERSION, headers: headers instanceof Headers ? headers : new Headers(headers), body };
}

export function createResponseMessage(status: number, reason: string, headers: Headers | Iterable<[string, string]> = [], body: Buffer = Buffer.alloc(0)): SipResponse {
  return { kind: 'response', status, reason, version: SIP_VERSION, headers: headers instanceof Headers ? headers : new Headers(headers), body };
}

export function cloneMessage<T extends SipMessage>(m: T): T {
  return { ...m, headers: m.headers.clone(), body: Buffer.from(m.body) };
}
