/**
 * serialize(parse(x)) parses to the same message: same start line, same
 * header list (Content-Length rewritten from the body), same body. Over every
 * fixture that parses, and over generated messages (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createRequest,
  createResponseMessage,
  parseMessage,
  serializeMessage,
  startLine,
  type SipMessage,
} from '../../src/protocol/sip/index.ts';
import { datFiles, FIXTURES, readFixture } from './support.ts';

function same(a: SipMessage, b: SipMessage): void {
  expect(startLine(b)).toBe(startLine(a));
  const noCl = (m: SipMessage) => [...m.headers].filter(([n]) => n !== 'Content-Length');
  expect(noCl(b)).toEqual(noCl(a));
  expect(b.headers.get('Content-Length')).toBe(String(a.body.length));
  expect(b.body.equals(a.body)).toBe(true);
}

function parsesOrUndefined(buf: Buffer): SipMessage | undefined {
  try {
    return parseMessage(buf, { stream: false });
  } catch {
    return undefined;
  }
}

const fixtures: [string, Buffer][] = [
  ...datFiles(`${FIXTURES}/rfc4475`).map((n): [string, Buffer] => [`rfc4475/${n}`, readFixture(`${FIXTURES}/rfc4475`, n)]),
  ...datFiles(`${FIXTURES}/rfc5118/wire`).map((n): [string, Buffer] => [`rfc5118/${n}`, readFixture(`${FIXTURES}/rfc5118/wire`, n)]),
];
const valid = fixtures.filter(([, b]) => parsesOrUndefined(b) !== undefined);

describe('TEL-1 SIP round trip', () => {
  it('has the expected number of parseable fixtures', () => {
    // 49 + 12 files; rejected at parse: 19 of RFC 4475, 1 of RFC 5118
    expect(valid).toHaveLength(41);
  });

  it.each(valid)('%s survives serialize/parse unchanged', (_name, raw) => {
    const a = parseMessage(raw, { stream: false });
    const wire = serializeMessage(a);
    const b = parseMessage(wire, { stream: true });
    same(a, b);
    expect(serializeMessage(b).equals(wire)).toBe(true);
  });
});

// generators for well-formed messages
const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,12}$/);
const hostname = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,3}$/);
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().map((a) => `[${a}]`);
const host = fc.oneof(hostname, ipv4, ipv6);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const user = fc.stringMatching(/^([A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-F]{2}){1,16}$/);
const uriParam = fc.stringMatching(/^[A-Za-z0-9\-_.!~*'()]{1,8}(=[A-Za-z0-9\-_.!~*'()[\]/:&+$]{1,8})?$/);
const hostport = fc.tuple(host, port).map(([h, p]) => (p === undefined ? h : `${h}:${p}`));
const sipUri = fc.tuple(fc.constantFrom('sip', 'sips'), fc.option(user, { nil: undefined }), hostport, fc.array(uriParam, { maxLength: 3 }))
  .map(([s, u, hp, ps]) => `${s}:${u === undefined ? '' : `${u}@`}${hp}${ps.map((p) => `;${p}`).join('')}`);
const displayName = fc.option(fc.string({ unit: fc.constantFrom('a', 'B', ' ', '"', '\\', 'é', '大', ',', ';', '<'), minLength: 1, maxLength: 12 }), { nil: undefined });
const quoted = (s: string) => `"${s.replace(/["\\]/g, (m) => `\\${m}`)}"`;
const nameAddr = fc.tuple(displayName, sipUri, fc.option(token, { nil: undefined }))
  .map(([d, u, tag]) => `${d === undefined ? '' : `${quoted(d)} `}<${u}>${tag === undefined ? '' : `;tag=${tag}`}`);
const via = fc.tuple(fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'), hostport, token, fc.boolean())
  .map(([t, hp, b, rport]) => `SIP/2.0/${t} ${hp};branch=z9hG4bK${b}${rport ? ';rport' : ''}`);
const text = fc.string({ unit: fc.constantFrom('a', 'z', '0', ' ', ',', ';', ':', '=', '"', '<', '>', '@', 'ü', '電', '\t'), maxLength: 30 })
  .map((s) => s.replace(/^[ \t]+|[ \t]+$/g, '').replace(/[ \t]{2,}/g, ' '));
const extHeader = fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/), text);
const body = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));

const commonHeaders = fc.record({
  vias: fc.array(via, { minLength: 1, maxLength: 4 }),
  from: nameAddr,
  to: nameAddr,
  callId: fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]{1,20}(@[a-z0-9.]{1,10})?$/),
  seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  ext: fc.array(extHeader, { maxLength: 5 }),
  body,
});

describe('TEL-1 SIP round trip (generated messages)', () => {
  it('requests', () => {
    fc.assert(
      fc.property(fc.constantFrom('INVITE', 'REGISTER', 'OPTIONS', 'BYE', 'X-CUSTOM.1'), sipUri, commonHeaders, (method, uri, h) => {
        const req = createRequest(method, uri, [
          ...h.vias.map((v): [string, string] => ['Via', v]),
          ['From', h.from],
          ['To', h.to],
          ['Call-ID', h.callId],
          ['CSeq', `${h.seq} ${method}`],
          ['Max-Forwards', '70'],
          ...h.ext,
        ], h.body);
        const wire = serializeMessage(req);
        same(req, parseMessage(wire, { stream: true }));
        same(req, parseMessage(wire, { stream: false }));
      }),
      { numRuns: 300 },
    );
  });

  it('responses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 699 }), text, commonHeaders, (status, reason, h) => {
        const res = createResponseMessage(status, reason, [
          ...h.vias.map((v): [string, string] => ['Via', v]),
          ['From', h.from],
          ['To', h.to],
          ['Call-ID', h.callId],
          ['CSeq', `${h.seq} INVITE`],
          ...h.ext,
        ], h.body);
        same(res, parseMessage(serializeMessage(res), { stream: true }));
      }),
      { numRuns: 300 },
    );
  });
});
