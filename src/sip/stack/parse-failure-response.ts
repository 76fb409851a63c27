/**
 * The answer to a request the parser refused (RFC 3261 section 16.3/8.2:
 * 400 naming the fault, 505 for a bad version, 513 too large). The bytes
 * are not trusted: only the first 16 KiB are read, only Via, From, To,
 * Call-ID and CSeq lines are copied, each short and free of control
 * characters. Responses, ACKs and requests without a Via get no answer.
 */
import { Headers, createResponseMessage, type SipResponse } from '../../protocol/sip/message.ts';
import type { SipParseError } from '../../protocol/sip/errors.ts';
import { canonicalHeaderName } from '../../protocol/sip/header-names.ts';
import { randomTag } from '../../protocol/sip/response.ts';

const COPIED = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq']);
const MAX_SCAN = 16 * 1024;
const MAX_VALUE = 1024;

function clean(value: string): boolean {
  if (value.length === 0 || value.length > MAX_VALUE) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}

export function responseToUnparseable(data: Buffer, error: SipParseError): SipResponse | undefined {
  const text = data.subarray(0, MAX_SCAN).toString('utf8').replace(/^[\r\n]+/, '');
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  const startLine = lines[0] ?? '';
  if (startLine.startsWith('SIP/')) return undefined;
  const method = startLine.split(/[ \t]/)[0] ?? '';
  if (method.length === 0 || method.toUpperCase() === 'ACK') return undefined;
  // unfold continuation lines
  const fields: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) {
      const last = fields[fields.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(name)) continue;
    fields.push([canonicalHeaderName(name), line.slice(colon + 1).trim()]);
  }
  const h = new Headers();
  for (const [name, value] of fields) if (COPIED.has(name) && clean(value)) h.append(name, value);
  if (!h.has('Via')) return undefined;
  const to = h.get('To');
  if (to !== undefined && !/;\s*tag\s*=/i.test(to)) h.set('To', `${to};tag=${randomTag()}`);
  return createResponseMessage(error.status, error.reason.replace(/[\r\n]/g, ' '), h);
}
