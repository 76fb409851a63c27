/**
 * SIP message serializer. Header order and values are kept as they are in
 * the model; Content-Length is always written from the body (at the place of
 * the first Content-Length field, or last when there was none).
 */
import type { SipMessage } from './message.ts';

/** The start line without CRLF. */
export function startLine(msg: SipMessage): string {
  return msg.kind === 'request' ? `${msg.method} ${msg.uri} ${msg.version}` : `${msg.version} ${msg.status} ${msg.reason}`;
}

export function serializeMessage(msg: SipMessage): Buffer {
  let head = `${startLine(msg)}\r\n`;
  let wroteLength = false;
  for (const [name, value] of msg.headers) {
    if (name === 'Content-Length') {
      if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
      wroteLength = true;
      continue;
    }
    head += `${name}: ${value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
  head += '\r\n';
  if (msg.body.length === 0) return Buffer.from(head, 'utf8');
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + msg.body.length);
  out.write(head, 0, 'utf8');
  msg.body.copy(out, headLen);
  return out;
}
