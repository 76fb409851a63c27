import { describe, expect, it } from 'vitest';
import { contentLength, FramingError, StreamFramer, type FramerOutput } from './stream-framer.ts';

function msg(body = '', headers: string[] = []): string {
  const hs = ['Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1', 'Call-ID: a@b', ...headers];
  return `OPTIONS sip:x@example.com SIP/2.0\r\n${hs.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

type Out = { kind: 'message'; text: string } | { kind: 'ping' } | { kind: 'error'; code: string };

function simplify(o: FramerOutput[]): Out[] {
  return o.map((x) =>
    x.kind === 'message' ? { kind: 'message', text: x.data.toString('utf8') } : x.kind === 'ping' ? { kind: 'ping' } : { kind: 'error', code: x.error.code },
  );
}

function feed(chunks: Array<Buffer | string>, opts?: ConstructorParameters<typeof StreamFramer>[0]): Out[] {
  const f = new StreamFramer(opts);
  const out: FramerOutput[] = [];
  for (const c of chunks) out.push(...f.push(typeof c === 'string' ? Buffer.from(c) : c));
  return simplify(out);
}

const m1 = msg('v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n', ['Content-Type: application/sdp']);
const m2 = msg();
const m3 = msg('héllo wörld — UTF-8 body');
const STREAM = `\r\n${m1}\r\n\r\n${m2}${m3}\r\n\r\n\r\n\r\n`;
const EXPECTED: Out[] = [
  { kind: 'message', text: m1 },
  { kind: 'ping' },
  { kind: 'message', text: m2 },
  { kind: 'message', text: m3 },
  { kind: 'ping' },
  { kind: 'ping' },
];

describe('StreamFramer (TEL-2, RFC 3261 18.3, RFC 5626 keep-alive)', () => {
  it('frames several messages and pings in one chunk', () => {
    expect(feed([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same result when the stream is split at every byte boundary', () => {
    const bytes = Buffer.from(STREAM);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it('gives the same result fed one byte at a time and in every chunk size up to 64', () => {
    const bytes = Buffer.from(STREAM);
    for (let size = 1; size <= 64; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(feed(chunks), `chunk size ${size}`).toEqual(EXPECTED);
    }
  });

  it('frames a 60 KB message split in 1000 chunks without quadratic copying', () => {
    const big = msg('x'.repeat(60_000));
    const bytes = Buffer.from(big + m2);
    const chunks: Buffer[] = [];
    const size = Math.ceil(bytes.length / 1000);
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    const t0 = performance.now();
    expect(feed(chunks)).toEqual([
      { kind: 'message', text: big },
      { kind: 'message', text: m2 },
    ]);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it.each([
    ['compact l:', 'l: 5'],
    ['lower case name', 'content-length: 5'],
    ['upper case name', 'CONTENT-LENGTH: 5'],
    ['space before colon', 'Content-Length   : 5'],
    ['folded value', 'Content-Length:\r\n   5'],
    ['leading zeros', 'Content-Length: 0005'],
    ['repeated and equal', 'Content-Length: 5\r\nl: 5'],
  ])('reads Content-Length written as %s', (_name, header) => {
    const text = `MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\r\n${header}\r\nTo: <sip:a@b>\r\n\r\nhello`;
    expect(feed([text + m2])).toEqual([
      { kind: 'message', text },
      { kind: 'message', text: m2 },
    ]);
  });

  it('accepts bare-LF line ends and responses', () => {
    const text = 'SIP/2.0 200 OK\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\nContent-Length: 2\n\nok';
    expect(feed([text])).toEqual([{ kind: 'message', text }]);
  });

  it('does not take a header whose name only ends in "l" or "content-length" for the length', () => {
    expect(contentLength('SIP/2.0 200 OK\r\nX-Url: 7\r\nX-Content-Length: 9\r\nl: 3\r\n')).toBe(3);
  });

  it.each([
    ['missing', 'Via: x\r\n', 'missing-content-length'],
    ['empty', 'Content-Length: \r\n', 'bad-content-length'],
    ['negative', 'Content-Length: -1\r\n', 'bad-content-length'],
    ['not a number', 'Content-Length: ten\r\n', 'bad-content-length'],
    ['two values', 'Content-Length: 1 2\r\n', 'bad-content-length'],
    ['conflicting fields', 'Content-Length: 1\r\nl: 2\r\n', 'bad-content-length'],
    ['huge', `Content-Length: ${'9'.repeat(30)}\r\n`, 'bad-content-length'],
    ['over the body limit', 'Content-Length: 1048577\r\n', 'body-too-large'],
  ])('fails on a %s Content-Length', (_name, header, code) => {
    const out = feed([`INVITE sip:a@b SIP/2.0\r\n${header}\r\n`, m2]);
    expect(out).toEqual([{ kind: 'error', code }]);
  });

  it('fails once the header section exceeds the limit, without waiting for its end', () => {
    const f = new StreamFramer({ maxHeaderBytes: 1024 });
    expect(f.push(Buffer.from('INVITE sip:a@b SIP/2.0\r\n'))).toEqual([]);
    const out = f.push(Buffer.from(`X-Pad: ${'a'.repeat(2000)}`));
    expect(simplify(out)).toEqual([{ kind: 'error', code: 'header-too-large' }]);
    expect(f.state).toBe('failed');
    expect(f.buffered()).toBe(0);
    expect(f.push(Buffer.from(m2))).toEqual([]);
  });

  it('keeps the partial bytes for the error report', () => {
    const f = new StreamFramer();
    const bad = 'INVITE sip:a@b SIP/2.0\r\nVia: x\r\n\r\nbody';
    const out = f.push(Buffer.from(bad));
    expect(out).toHaveLength(1);
    const e = out[0]!;
    expect(e.kind === 'error' && e.error instanceof FramingError && e.partial.toString()).toBe(bad);
  });

  it.each([
    ['HTTP request', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['TLS ClientHello on a plain port', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])],
    ['binary garbage', Buffer.from([0x41, 0x00, 0xff, 0x10, 0x0a])],
    ['a line of text', 'hello world\n'],
  ])('refuses %s as not SIP', (_name, data) => {
    expect(feed([data])).toEqual([{ kind: 'error', code: 'not-sip' }]);
  });

  it('refuses garbage fed byte by byte as soon as it is seen', () => {
    const f = new StreamFramer();
    const bytes = Buffer.from('GET / HTTP/1.1\r\n');
    const outs: FramerOutput[] = [];
    for (const b of bytes) outs.push(...f.push(Buffer.from([b])));
    expect(simplify(outs)).toEqual([{ kind: 'error', code: 'not-sip' }]);
  });

  it('counts CRLFs split across chunks as one ping and treats a lone CRLF as nothing', () => {
    expect(feed(['\r', '\n\r', '\n'])).toEqual([{ kind: 'ping' }]);
    expect(feed(['\r\n'])).toEqual([]);
    expect(feed(['\r\n', m2])).toEqual([{ kind: 'message', text: m2 }]);
  });

  it('frames random chunkings of random message mixes identically (property)', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const parts: string[] = [];
      const expected: Out[] = [];
      const count = 1 + rnd(6);
      for (let k = 0; k < count; k++) {
        if (rnd(3) === 0) {
          parts.push('\r\n\r\n');
          expected.push({ kind: 'ping' });
        }
        const m = msg('b'.repeat(rnd(300)));
        parts.push(m);
        expected.push({ kind: 'message', text: m });
      }
      const bytes = Buffer.from(parts.join(''));
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; ) {
        const n = 1 + rnd(200);
        chunks.push(bytes.subarray(i, i + n));
        i += n;
      }
      expect(feed(chunks)).toEqual(expected);
    }
  });
});
