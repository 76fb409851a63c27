/**
 * RFC 5118 IPv6 torture messages, read from the wire-legal `wire/` copies
 * (see the fixture MANIFEST.md), with the outcome RFC 5118 states.
 */
import { describe, expect, it } from 'vitest';
import {
  bareHost,
  contactsOf,
  parseMessage,
  parseUri,
  toOf,
  viasOf,
  viaReceived,
  type SipMessage,
  type SipUri,
} from '../../src/protocol/sip/index.ts';
import { datFiles, FIXTURES, outcome, readFixture } from './support.ts';

const DIR = `${FIXTURES}/rfc5118/wire`;
const TOP = `${FIXTURES}/rfc5118`;

type Expect = { valid: (m: SipMessage) => void } | { reject: number };

const ruri = (m: SipMessage): SipUri => parseUri(m.kind === 'request' ? m.uri : '') as SipUri;
const sdpHas = (m: SipMessage, ...lines: string[]) => {
  const body = m.body.toString('latin1');
  for (const l of lines) expect(body).toContain(`${l}\r\n`);
  expect(m.body.length).toBe(Number(m.headers.get('Content-Length')));
};

const TABLE: Record<string, Expect> = {
  'ipv6-good': {
    valid: (m) => {
      expect(ruri(m)).toMatchObject({ scheme: 'sip', host: '[2001:db8::10]' });
      expect(ruri(m).port).toBeUndefined();
      expect(viasOf(m)[0]).toMatchObject({ host: '[2001:db8::9:1]' });
      expect((parseUri(contactsOf(m)[0]!.uri) as SipUri).host).toBe('[2001:db8::1]');
    },
  },
  'ipv6-bad': { reject: 400 },
  'port-ambiguous': {
    valid: (m) => {
      expect(ruri(m).host).toBe('[2001:db8::10:5070]');
      expect(ruri(m).port).toBeUndefined();
    },
  },
  'port-unambiguous': { valid: (m) => expect(ruri(m)).toMatchObject({ host: '[2001:db8::10]', port: 5070 }) },
  'via-received-param-with-delim': { valid: (m) => expect(viaReceived(viasOf(m)[0]!)).toBe('2001:db8::9:255') },
  'via-received-param-no-delim': { valid: (m) => expect(viaReceived(viasOf(m)[0]!)).toBe('2001:db8::9:255') },
  'ipv6-in-sdp': {
    valid: (m) => {
      expect(ruri(m).host).toBe('[2001:db8::10]');
      sdpHas(m, 'c=IN IP6 2001:db8::20');
    },
  },
  'mult-ip-in-header': {
    valid: (m) => {
      const vs = viasOf(m);
      expect(vs.map((v) => [v.transport, bareHost(v.host), v.port])).toEqual([
        ['UDP', '2001:db8::9:1', 6050],
        ['UDP', '192.0.2.1', undefined],
        ['TCP', '2001:db8::9:255', undefined],
      ]);
      expect(viaReceived(vs[2]!)).toBe('192.0.2.200');
    },
  },
  'mult-ip-in-sdp': { valid: (m) => sdpHas(m, 'c=IN IP4 192.0.2.1', 'c=IN IP6 2001:db8::1') },
  'ipv4-mapped-ipv6': {
    valid: (m) => {
      expect(viasOf(m)[0]).toMatchObject({ host: '[::ffff:192.0.2.10]', port: 19823 });
      expect((parseUri(contactsOf(m)[0]!.uri) as SipUri).host).toBe('[::ffff:192.0.2.2]');
      sdpHas(m, 'c=IN IP6 ::ffff:192.0.2.2');
    },
  },
  'ipv6-bug-abnf-3-colons': {
    valid: (m) => {
      expect(ruri(m).host).toBe('[2001:db8:::192.0.2.1]');
      expect((parseUri(toOf(m).uri) as SipUri).host).toBe('[2001:db8:::192.0.2.1]');
    },
  },
  'ipv6-correct-abnf-2-colons': { valid: (m) => expect(ruri(m).host).toBe('[2001:db8::192.0.2.1]') },
};

describe('TEL-1 TEL-2 RFC 5118 IPv6 torture messages (wire/ copies, over UDP)', () => {
  it('the table covers every fixture file', () => {
    expect(Object.keys(TABLE).sort()).toEqual(datFiles(DIR));
    expect(datFiles(DIR)).toHaveLength(12);
  });

  it.each(Object.entries(TABLE))('%s', (name, exp) => {
    const got = outcome(readFixture(DIR, name));
    if ('valid' in exp) {
      expect(got.kind, JSON.stringify(got)).toBe('ok');
      if (got.kind === 'ok') exp.valid(got.msg);
    } else {
      expect(got).toMatchObject({ kind: 'reject', status: exp.reject, code: 'bad-uri' });
    }
  });

  // The archive's own bare-LF files: same headers as wire/ where the archive is
  // self-consistent (not the 3 SDP files with wrong Content-Length, not the 2
  // files without the empty line, which the parser reports as incomplete).
  it.each(['ipv6-good', 'port-ambiguous', 'port-unambiguous', 'mult-ip-in-header', 'via-received-param-no-delim', 'via-received-param-with-delim'])(
    'bare-LF archive copy of %s parses like the wire copy',
    (name) => {
      const a = parseMessage(readFixture(TOP, name), { stream: false });
      const b = parseMessage(readFixture(DIR, name), { stream: false });
      expect([...a.headers]).toEqual([...b.headers]);
      expect(a.body.equals(b.body)).toBe(true);
    },
  );

  it.each(['ipv6-bug-abnf-3-colons', 'ipv6-correct-abnf-2-colons'])('archive copy of %s without the empty line is incomplete', (name) => {
    expect(() => parseMessage(readFixture(TOP, name), { stream: false })).toThrow(expect.objectContaining({ code: 'incomplete' }) as unknown as Error);
  });
});
