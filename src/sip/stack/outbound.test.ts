import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { createRequest, type SipRequest } from '../../protocol/sip/message.ts';
import { parseMessage } from '../../protocol/sip/parser.ts';
import { topVia } from '../../protocol/sip/via.ts';
import type { Flow } from '../transport/transport.ts';
import { RecordingTransport, quiet } from './test-support.ts';
import { NextHopError, resolveNextHop } from './next-hop.ts';
import { SipStack } from './sip-stack.ts';

function req(uri: string, via = 'SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKx;rport', route?: string): SipRequest {
  const h: Array<[string, string]> = [
    ['Via', via],
    ['From', '<sip:a@example.com>;tag=1'],
    ['To', '<sip:b@example.com>'],
    ['Call-ID', 'c1'],
    ['CSeq', '1 OPTIONS'],
    ['Max-Forwards', '70'],
  ];
  if (route) h.push(['Route', route]);
  return createRequest('OPTIONS', uri, h);
}

const udpFlow = (address: string, port: number): Flow => ({ protocol: 'udp', local: { address: '192.0.2.1', port: 5060 }, remote: { address, port } });

describe('Via stamping through the stack, RFC 3261 18.2 / RFC 3581 (TEL-2)', () => {
  it('stamps received/rport on the first Via only and answers to the source port; other Via lines stay', async () => {
    const udp = new RecordingTransport('udp', { address: '192.0.2.1', port: 5060 });
    const s = new SipStack({ transports: [udp], clock: new FakeClock(), logger: quiet });
    const data =
      'OPTIONS sip:192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKtop;rport\r\nVia: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bKlow\r\n' +
      'Max-Forwards: 69\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: v1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    s.onMessage(Buffer.from(data), udpFlow('203.0.113.7', 40000));
    await Promise.resolve();
    expect(udp.sent[0]!.target.remote).toEqual({ address: '203.0.113.7', port: 40000 });
    const res = parseMessage(udp.sent[0]!.data, { stream: false });
    expect(res.headers.getAll('Via')).toEqual(['SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKtop;rport=40000;received=203.0.113.7', 'SIP/2.0/UDP 10.0.0.9;branch=z9hG4bKlow']);
  });
});

describe('next hop, RFC 3261 8.1.2 / RFC 3263 A and AAAA only (TEL-1)', () => {
  const resolver = { lookup: async (h: string) => (h === 'trunk.example.net' ? ['198.51.100.20'] : Promise.reject(new Error('NXDOMAIN'))) };
  const cases = [
    { uri: 'sip:b@192.0.2.9', route: undefined, hop: { protocol: 'udp', remote: { address: '192.0.2.9', port: 5060 } } },
    { uri: 'sip:b@192.0.2.9:5080;transport=tcp', route: undefined, hop: { protocol: 'tcp', remote: { address: '192.0.2.9', port: 5080 } } },
    { uri: 'sips:b@[2001:db8::1]', route: undefined, hop: { protocol: 'tls', remote: { address: '2001:db8::1', port: 5061 } } },
    { uri: 'sip:b@trunk.example.net', route: undefined, hop: { protocol: 'udp', remote: { address: '198.51.100.20', port: 5060 } } },
    { uri: 'sip:b@192.0.2.9', route: '<sip:192.0.2.50:5090;lr>', hop: { protocol: 'udp', remote: { address: '192.0.2.50', port: 5090 } } },
    { uri: 'sip:192.0.2.60', route: '<sip:b@192.0.2.9>', hop: { protocol: 'udp', remote: { address: '192.0.2.60', port: 5060 } } },
  ];
  it.each(cases)('$uri via $route', async ({ uri, route, hop }) => {
    expect(await resolveNextHop(req(uri, undefined, route), resolver)).toEqual(hop);
  });

  it('typed failures: unresolvable name, tel: URI, unknown transport', async () => {
    const codes: string[] = [];
    for (const uri of ['sip:b@nowhere.invalid', 'tel:+861012345', 'sip:b@192.0.2.9;transport=sctp']) {
      await resolveNextHop(req(uri), resolver).catch((e: unknown) => codes.push(e instanceof NextHopError ? e.code : 'other'));
    }
    expect(codes).toEqual(['unresolvable', 'unsupported-scheme', 'unsupported-transport']);
  });
});

describe('SipStack outgoing requests (TEL-1)', () => {
  function stack() {
    const clock = new FakeClock();
    const udp = new RecordingTransport('udp', { address: '192.0.2.1', port: 5060 });
    const tcp = new RecordingTransport('tcp', { address: '192.0.2.1', port: 5060 });
    const s = new SipStack({ transports: [udp, tcp], clock, logger: quiet });
    return { clock, udp, tcp, s };
  }
  const outgoing = () => createRequest('OPTIONS', 'sip:b@192.0.2.9', [['From', '<sip:a@example.com>;tag=1'], ['To', '<sip:b@example.com>'], ['Call-ID', 'o1'], ['CSeq', '1 OPTIONS'], ['Max-Forwards', '70']]);

  it('adds our Via with a fresh branch and rport, retransmits on UDP by Timer E', async () => {
    const { clock, udp, s } = stack();
    await s.sendRequest(outgoing());
    clock.advance(1600);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(3);
    const m = parseMessage(udp.sent[0]!.data, { stream: false });
    const via = topVia(m);
    expect(via.transport).toBe('UDP');
    expect(via.params.get('branch')).toMatch(/^z9hG4bK.{8,}/);
    expect(via.params.has('rport')).toBe(true);
    expect(`${via.host}:${via.port}`).toBe('192.0.2.1:5060');
    expect(s.toJSON()).toMatchObject({ transactionsAlive: 1 });
  });

  it('switches to TCP when the request is over 1300 bytes (18.1.1)', async () => {
    const { udp, tcp, s } = stack();
    const big = outgoing();
    big.body = Buffer.alloc(1400, 'v');
    big.headers.set('Content-Type', 'text/plain');
    await s.sendRequest(big);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(0);
    expect(tcp.sent).toHaveLength(1);
    expect(topVia(parseMessage(tcp.sent[0]!.data, { stream: true })).transport).toBe('TCP');
    expect(tcp.sent[0]!.target).toEqual({ remote: { address: '192.0.2.9', port: 5060 } });
  });

  it('a response routes back to the client transaction; Timer F reports 408 otherwise', async () => {
    const { clock, udp, s } = stack();
    const statuses: number[] = [];
    const r = outgoing();
    await s.sendRequest(r, { onResponse: (res) => statuses.push(res.status) });
    const sent = udp.sent[0]!.data.toString();
    const reply = sent.replace(/^OPTIONS sip:b@192.0.2.9 SIP\/2.0/, 'SIP/2.0 200 OK').replace('<sip:b@example.com>', '<sip:b@example.com>;tag=r');
    s.onMessage(Buffer.from(reply), udpFlow('192.0.2.9', 5060));
    expect(statuses).toEqual([200]);
    const second = outgoing();
    second.headers.set('Call-ID', 'o2');
    await s.sendRequest(second, { onResponse: (res) => statuses.push(res.status) });
    clock.advance(32_000);
    expect(statuses).toEqual([200, 408]);
  });
});
