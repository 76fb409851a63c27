import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors.ts';
import { parseMessage } from './parser.ts';
import { serializeMessage } from './serializer.ts';
import { nextStreamFrame } from './framing.ts';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));
const BASE = ['Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>', 'Call-ID: x1', 'CSeq: 1 OPTIONS'];

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SipParseError) return `${e.code}/${e.status}`;
    throw e;
  }
  return 'ok';
}

describe('TEL-1 SIP parser framing and scalars', () => {
  it('unfolds, maps compact names, skips leading CRLFs', () => {
    const m = parseMessage(crlf(['', '', 'OPTIONS sip:a@b SIP/2.0', ...BASE, 'Subject: one', '  two', '\ttwo-b', 'l: 0', '', '']), { stream: true });
    expect(m.kind).toBe('request');
    expect(m.headers.get('Subject')).toBe('one two two-b');
    expect(m.headers.get('Content-Length')).toBe('0');
  });

  it.each([
    ['no Content-Length on a datagram: body is the rest', [...BASE], 'abc', false, 'abc'],
    ['extra octets after Content-Length are discarded', [...BASE, 'Content-Length: 2'], 'abc', false, 'ab'],
    ['stream with exact body', [...BASE, 'Content-Length: 3'], 'abc', true, 'abc'],
  ])('%s', (_n, hs, body, stream, expected) => {
    const m = parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', ...hs, '', body]), { stream });
    expect(m.body.toString()).toBe(expected);
  });

  it.each([
    ['Content-Length larger than the datagram', ['Content-Length: 9'], false, 'bad-content-length/400'],
    ['Content-Length larger than the stream data', ['Content-Length: 9'], true, 'incomplete/400'],
    ['stream without Content-Length', [], true, 'bad-content-length/400'],
    ['negative Content-Length', ['Content-Length: -1'], false, 'bad-content-length/400'],
    ['Content-Length over 2^31-1', ['Content-Length: 2147483648'], false, 'bad-content-length/400'],
    ['Max-Forwards over 255', ['Max-Forwards: 256'], false, 'bad-scalar/400'],
    ['Expires not a number', ['Expires: soon'], false, 'bad-scalar/400'],
    ['header without colon', ['Garbage'], false, 'bad-header/400'],
    ['header name with space', ['Bad Name: x'], false, 'bad-header/400'],
  ])('rejects %s', (_n, extra, stream, expected) => {
    expect(code(() => parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', ...BASE, ...extra, '', '']), { stream }))).toBe(expected);
  });

  it.each([
    ['OPTIONS sip:a@b SIP/2.0', 'ok'],
    ['OPTIONS sip:a@b sip/2.0', 'ok'],
    ['OPTIONS sip:a@b SIP/3.0', 'bad-version/505'],
    ['OPTIONS sip:a@b HTTP/1.1', 'bad-start-line/400'],
    ['OPTIONS sip:a@b SIP/2.0 ', 'bad-start-line/400'],
    ['OPTIONS  sip:a@b SIP/2.0', 'bad-start-line/400'],
    ['OPTIONS\tsip:a@b SIP/2.0', 'bad-start-line/400'],
    ['OPT@IONS sip:a@b SIP/2.0', 'bad-method/400'],
    ['OPTIONS sip:a@b?x=y SIP/2.0', 'bad-uri/400'],
    ['INVITE sip:a@b SIP/2.0', 'method-mismatch/400'],
  ])('request line %j -> %s', (line, expected) => {
    expect(code(() => parseMessage(crlf([line, ...BASE, '', '']), { stream: false }))).toBe(expected);
  });

  it.each([
    ['SIP/2.0 200 OK', 'ok'],
    ['SIP/2.0 100 ', 'ok'],
    ['SIP/2.0 180', 'ok'],
    ['SIP/2.0 099 Low', 'bad-status/400'],
    ['SIP/2.0 700 High', 'bad-status/400'],
    ['SIP/2.0 20 Short', 'bad-status/400'],
    ['SIP/1.0 200 OK', 'bad-version/505'],
  ])('status line %j -> %s', (line, expected) => {
    expect(code(() => parseMessage(crlf([line, ...BASE, '', '']), { stream: false }))).toBe(expected);
  });

  it('accepts bare LF line ends', () => {
    const m = parseMessage(Buffer.from(['OPTIONS sip:a@b SIP/2.0', ...BASE, 'Content-Length: 1', '', 'x'].join('\n')), { stream: true });
    expect(m.headers.get('Call-ID')).toBe('x1');
    expect(m.body.toString()).toBe('x');
  });

  it('rejects a message without the empty line and empty input', () => {
    expect(code(() => parseMessage(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x'), { stream: false }))).toBe('incomplete/400');
    expect(code(() => parseMessage(Buffer.from('\r\n\r\n'), { stream: false }))).toBe('incomplete/400');
  });

  it('serializes with a correct Content-Length in place and keeps header order', () => {
    const m = parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', ...BASE, 'Content-Length: 0', 'X-A: 1', '', '']), { stream: false });
    m.body = Buffer.from('hello');
    const out = serializeMessage(m).toString();
    expect(out).toBe(['OPTIONS sip:a@b SIP/2.0', ...BASE, 'Content-Length: 5', 'X-A: 1', '', 'hello'].join('\r\n'));
  });
});

describe('TEL-1 stream framing (RFC 3261 18.3, RFC 5626 keep-alive)', () => {
  const msg = crlf(['OPTIONS sip:a@b SIP/2.0', ...BASE, 'l: 3', '', 'abc']);
  it('frames keep-alives, whole messages and partial data', () => {
    expect(nextStreamFrame(Buffer.from('\r\n\r\n'))).toEqual({ kind: 'keepalive', end: 4, ping: true });
    expect(nextStreamFrame(Buffer.concat([msg, Buffer.from('OPT')]))).toEqual({ kind: 'message', start: 0, end: msg.length });
    expect(nextStreamFrame(msg.subarray(0, msg.length - 1))).toEqual({ kind: 'incomplete' });
    expect(nextStreamFrame(msg.subarray(0, 20))).toEqual({ kind: 'incomplete' });
  });
  it('fails on unframeable streams', () => {
    expect(() => nextStreamFrame(crlf(['OPTIONS sip:a@b SIP/2.0', ...BASE, '', '']))).toThrow(SipParseError);
    expect(() => nextStreamFrame(Buffer.alloc(70000, 0x41))).toThrow(SipParseError);
  });
});
