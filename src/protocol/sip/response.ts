/**
 * Building a response to a request (RFC 3261 section 8.2.6) and random
 * identifiers (tags, branches, Call-IDs).
 */
import { randomHex } from '../../shared/random.ts';
import { Headers, SIP_VERSION, type SipRequest, type SipResponse } from './message.ts';
import { BRANCH_MAGIC_COOKIE } from './via.ts';
import { reasonPhrase } from './reason-phrases.ts';

export interface ResponseOptions {
  /** Tag to add to To when the request's To has none (default: a random tag). */
  toTag?: string;
  /** Extra header fields, appended in order. */
  headers?: [string, string][];
  body?: Buffer;
  /** Content-Type of the body. */
  contentType?: string;
}

/** 64 random bits in hex: a From/To tag (RFC 3261 19.3 asks for at least 32). */
export function randomTag(): string {
  return randomHex(8);
}

/** A branch with the RFC 3261 magic cookie and 96 random bits. */
export function randomBranch(): string {
  return `${BRANCH_MAGIC_COOKIE}${randomHex(12)}`;
}

/** A globally unique Call-ID (128 random bits), optionally `@host`. */
export function randomCallId(host?: string): string {
  const id = randomHex(16);
  return host ? `${id}@${host}` : id;
}

const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

function hasTag(to: string): boolean {
  // a ;tag parameter outside the <...> part and outside quotes
  let inQuote = false;
  let angle = false;
  for (let i = 0; i < to.length; i++) {
    const c = to[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (c === ';' && !angle && /^\s*tag\s*=/i.test(to.slice(i + 1))) return true;
  }
  return false;
}

/**
 * Response to `req`: Via (all, in order), From, To (with a tag added when
 * status > 100 and none present), Call-ID, CSeq; Timestamp on 100;
 * Record-Route on 1xx/2xx to dialog-creating requests (RFC 3261 12.1.1).
 */
export function createResponse(req: SipRequest, status: number, reason?: string, opts: ResponseOptions = {}): SipResponse {
  const h = new Headers();
  for (const [name, value] of req.headers) {
    switch (name) {
      case 'Via':
      case 'From':
      case 'Call-ID':
      case 'CSeq':
        h.append(name, value);
        break;
      case 'To':
        h.append(name, status > 100 && !hasTag(value) ? `${value};tag=${opts.toTag ?? randomTag()}` : value);
        break;
      case 'Timestamp':
        if (status === 100) h.append(name, value);
        break;
      case 'Record-Route':
        if (status > 100 && status < 300 && DIALOG_CREATING.has(req.method)) h.append(name, value);
        break;
      default:
        break;
    }
  }
  for (const [n, v] of opts.headers ?? []) h.append(n, v);
  const body = opts.body ?? Buffer.alloc(0);
  if (opts.contentType !== undefined) h.set('Content-Type', opts.contentType);
  return { kind: 'response', status, reason: reason ?? reasonPhrase(status), version: SIP_VERSION, headers: h, body };
}
