import { describe, expect, it } from 'vitest';
import { parse } from 'sdp-transform';
import type { SipRequest } from '../../protocol/sip/message.ts';
import { parseDigestCredentials, formatDigestChallenge } from '../../protocol/sip/digest.ts';
import type { Flow } from '../../sip/transport/transport.ts';
import { GatewayError } from './gateway-error.ts';
import { HOST, TRUNK_FLOW, binding, offerSdp, reply, settle, setup, sipRequest } from './test-support.ts';

const A: Flow = { protocol: 'udp', local: { address: HOST, port: 5060 }, remote: { address: '198.51.100.21', port: 5070 } };
const B: Flow = { protocol: 'tcp', local: { address: HOST, port: 5060 }, remote: { address: '198.51.100.22', port: 40123 }, connectionId: 'c1' };

async function twoPhones() {
  const s = setup();
  await s.registrations.put(binding('sip:8001@hotline', 'sip:8001@10.0.0.21:5070', '198.51.100.21', 5070, 'udp'));
  await s.registrations.put(binding('sip:8001@hotline', 'sip:8001@10.0.0.22:5080;transport=tcp', '198.51.100.22', 40123, 'tcp', 1_700_000_000_500));
  return s;
}

const invites = (s: ReturnType<typeof setup>) => {
  const all = s.requests('INVITE');
  const to = (addr: string) => all.filter((r) => r.uri.includes(addr));
  return { all, a: to('10.0.0.21')[0]!, b: to('10.0.0.22')[0]! };
};

describe('SIP gateway outbound calls (TEL-1, CTI-1)', () => {
  it('extension with two contacts: parallel fork over each registered flow; first 2xx wins, the other is CANCELled; a late 2xx is ACKed and BYEd', async () => {
    const s = await twoPhones();
    await s.gateway.dial('out-1', { kind: 'extension', extension: '8001' }, { callerId: { number: '95000', name: 'Hotline' }, autoAnswer: true, interactionId: 'int-9' });
    await settle();
    const { all, a, b } = invites(s);
    expect(all).toHaveLength(2);
    expect(s.udp.sent[0]!.target.remote).toEqual(A.remote);
    expect(s.tcp.sent[0]!.target.remote).toEqual(B.remote);
    expect(a.headers.get('Call-Info')).toBe(`<sip:${HOST}>;answer-after=0`);
    expect(a.headers.get('Alert-Info')).toBe('<http://localhost>;info=alert-autoanswer');
    expect(a.headers.get('X-Hotline-Interaction')).toBe('int-9');
    expect(a.headers.get('From')).toMatch(/^Hotline <sip:95000@192\.0\.2\.1>;tag=/);
    expect(a.headers.get('To')).toBe('<sip:8001@hotline>');
    expect(b.headers.get('Contact')).toBe(`<sip:hotline@${HOST}:5060;transport=tcp>`);
    const offer = parse(a.body.toString());
    expect(offer.media[0]!.port).toBe(s.media.legs.get('out-1')!.port);

    s.inject(reply(a, 180, { toTag: 'pa' }), A);
    s.inject(reply(b, 180, { toTag: 'pb' }), B);
    expect(s.events).toEqual([{ type: 'ringing', legId: 'out-1', early: false }]);
    s.inject(reply(b, 200, { toTag: 'pb', contact: 'sip:8001@10.0.0.22:5080;transport=tcp', body: offerSdp({ port: 5500, pts: '8 101' }) }), B);
    await settle();
    expect(s.events.at(-1)).toEqual({ type: 'answered', legId: 'out-1' });
    expect(s.media.legs.get('out-1')).toMatchObject({ remote: { address: '198.51.100.7', port: 5500 }, codec: 'PCMA' });
    const ack = s.requests('ACK').find((r) => r.headers.get('Call-ID') === b.headers.get('Call-ID'))!;
    expect(ack.uri).toBe('sip:8001@10.0.0.22:5080;transport=tcp');
    expect(s.tcp.sent.at(-1)!.target.remote).toEqual(B.remote);
    await settle();
    const cancel = s.requests('CANCEL')[0]!;
    expect(cancel.headers.get('Call-ID')).toBe(a.headers.get('Call-ID'));
    expect(cancel.headers.get('Reason')).toContain('cause=200');
    // the CANCEL crossed a 200 from A: ACK it, then BYE it
    s.inject(reply(a, 200, { toTag: 'pa', contact: 'sip:8001@10.0.0.21:5070', body: offerSdp() }), A);
    await settle();
    const late = s.requests('BYE');
    expect(late).toHaveLength(1);
    expect(late[0]!.headers.get('Call-ID')).toBe(a.headers.get('Call-ID'));
    expect(s.requests('ACK').filter((r) => r.headers.get('Call-ID') === a.headers.get('Call-ID'))).toHaveLength(1);
    expect(s.events.map((e) => e.type)).toEqual(['ringing', 'answered']);
    expect(await s.store.list()).toMatchObject([{ legId: 'out-1', remoteTag: 'pb', hop: { protocol: 'tcp', address: '198.51.100.22', port: 40123 } }]);
    // the winner hangs up
    s.gateway.hangup('out-1', 'done');
    expect(s.requests('BYE').at(-1)!.headers.get('Call-ID')).toBe(b.headers.get('Call-ID'));
  });

  it('a 183 with SDP is early media: ringing early=true and the engine leg already points at the phone; a 2xx retransmission is ACKed again', async () => {
    const s = await twoPhones();
    await s.registrations.remove('sip:8001@hotline', 'sip:8001@10.0.0.22:5080;transport=tcp');
    await s.gateway.dial('out-1', { kind: 'extension', extension: '8001' }, { callerId: { number: '95000' } });
    await settle();
    const { a } = invites(s);
    s.inject(reply(a, 180, { toTag: 'pa' }), A);
    s.inject(reply(a, 183, { toTag: 'pa', body: offerSdp({ port: 6000 }) }), A);
    await settle();
    expect(s.events).toEqual([{ type: 'ringing', legId: 'out-1', early: false }, { type: 'ringing', legId: 'out-1', early: true }]);
    expect(s.media.legs.get('out-1')!.remote!.port).toBe(6000);
    const ok = reply(a, 200, { toTag: 'pa', contact: 'sip:8001@10.0.0.21:5070', body: offerSdp({ port: 6000 }) });
    s.inject(ok, A);
    s.inject(ok, A);
    await settle();
    const acks = s.requests('ACK');
    expect(acks).toHaveLength(2);
    // the same ACK again, Via branch and all (RFC 3261 13.2.2.4): a phone drops it as a retransmission
    expect(acks[1]!.headers.getAll('Via')).toEqual(acks[0]!.headers.getAll('Via'));
    expect(acks[1]!.headers.getAll('Via')).toHaveLength(1);
    expect(s.events.filter((e) => e.type === 'answered')).toHaveLength(1);
  });

  it('every branch failing: failed with the best status (486 busy over 480)', async () => {
    const s = await twoPhones();
    await s.gateway.dial('out-1', { kind: 'extension', extension: '8001' }, { callerId: { number: '95000' } });
    await settle();
    const { a, b } = invites(s);
    s.inject(reply(a, 480, { toTag: 'pa' }), A);
    expect(s.events).toEqual([]);
    s.inject(reply(b, 486, { toTag: 'pb' }), B);
    expect(s.events).toEqual([{ type: 'failed', legId: 'out-1', status: 486, cause: 'busy' }]);
    expect(s.media.destroyed).toEqual(['out-1']);
    expect(s.requests('ACK')).toHaveLength(2); // the transactions ACK non-2xx finals themselves
  });

  it('ringTimeoutMs: CANCEL on every branch and failed 408 no-answer', async () => {
    const s = await twoPhones();
    await s.gateway.dial('out-1', { kind: 'extension', extension: '8001' }, { callerId: { number: '95000' }, ringTimeoutMs: 20_000 });
    await settle();
    const { a, b } = invites(s);
    s.inject(reply(a, 180, { toTag: 'pa' }), A);
    s.inject(reply(b, 180, { toTag: 'pb' }), B);
    s.clock.advance(20_000);
    await settle();
    expect(s.requests('CANCEL')).toHaveLength(2);
    expect(s.events.at(-1)).toEqual({ type: 'failed', legId: 'out-1', status: 408, cause: 'no-answer' });
  });

  it('hangup before the answer CANCELs (once a provisional came) and emits nothing', async () => {
    const s = await twoPhones();
    await s.gateway.dial('out-1', { kind: 'extension', extension: '8001' }, { callerId: { number: '95000' } });
    await settle();
    const { a, b } = invites(s);
    s.inject(reply(a, 180, { toTag: 'pa' }), A);
    s.gateway.hangup('out-1', 'caller-gone');
    await settle();
    expect(s.requests('CANCEL').map((r) => r.headers.get('Call-ID'))).toEqual([a.headers.get('Call-ID')]);
    s.inject(reply(b, 100), B);
    await settle();
    expect(s.requests('CANCEL')).toHaveLength(2);
    expect(s.events.map((e) => e.type)).toEqual(['ringing']);
  });

  it('typed errors: no contact, unknown trunk, bad URI, duplicate leg ID; mediaNear places the engine leg', async () => {
    const s = setup();
    await expect(s.gateway.dial('x', { kind: 'extension', extension: '8009' }, { callerId: { number: '1' } })).rejects.toMatchObject({ code: 'no-contacts' });
    await expect(s.gateway.dial('x', { kind: 'trunk', trunkId: 'nope', number: '123' }, { callerId: { number: '1' } })).rejects.toMatchObject({ code: 'unknown-trunk' });
    await expect(s.gateway.dial('x', { kind: 'uri', uri: 'mailto:a@b' }, { callerId: { number: '1' } })).rejects.toBeInstanceOf(GatewayError);
    await s.gateway.dial('y', { kind: 'uri', uri: 'sip:uas@198.51.100.30:5090' }, { callerId: { number: '1' }, mediaNear: 'bridge-7' });
    expect(s.media.legs.get('y')!.near).toBe('bridge-7');
    await expect(s.gateway.dial('y', { kind: 'uri', uri: 'sip:uas@198.51.100.30:5090' }, { callerId: { number: '1' } })).rejects.toMatchObject({ code: 'duplicate-leg' });
    expect(s.media.legs.size).toBe(1);
  });

  it('trunk: INVITE to the carrier; a 407 is answered once with the trunk credentials (new CSeq, same Call-ID)', async () => {
    const s = setup();
    await s.gateway.dial('out-t', { kind: 'trunk', trunkId: 'carrier', number: '02161234567' }, { callerId: { number: '95000' } });
    await settle();
    const first = s.requests('INVITE')[0]!;
    expect(first.uri).toBe('sip:02161234567@203.0.113.5');
    expect(s.udp.sent[0]!.target.remote).toEqual({ address: '203.0.113.5', port: 5060 });
    const challenge = formatDigestChallenge({ realm: 'carrier.example', nonce: 'n0nce', algorithm: 'MD5', qop: ['auth'], stale: false });
    s.inject(reply(first, 407, { toTag: 'c1', extra: [['Proxy-Authenticate', challenge]] }), TRUNK_FLOW);
    await settle();
    const second: SipRequest = s.requests('INVITE')[1]!;
    expect(second.headers.get('CSeq')).toBe('2 INVITE');
    expect(second.headers.get('Call-ID')).toBe(first.headers.get('Call-ID'));
    const cr = parseDigestCredentials(second.headers.get('Proxy-Authorization')!);
    expect(cr).toMatchObject({ username: 'acct', realm: 'carrier.example', nonce: 'n0nce', uri: first.uri, qop: 'auth', nc: '00000001' });
    s.inject(reply(second, 407, { toTag: 'c2', extra: [['Proxy-Authenticate', challenge]] }), TRUNK_FLOW);
    await settle();
    s.inject(reply(s.requests('INVITE')[2]!, 407, { toTag: 'c3', extra: [['Proxy-Authenticate', challenge]] }), TRUNK_FLOW);
    await settle();
    expect(s.requests('INVITE')).toHaveLength(3);
    expect(s.events.at(-1)).toEqual({ type: 'failed', legId: 'out-t', status: 407, cause: 'forbidden' });
  });

  it('a trunk with register: true registers at start with its credentials; INVITEs from its host are trusted', async () => {
    const s = setup({ trunks: [{ id: 'reg', host: '203.0.113.5', register: true, username: 'acct', password: 'secret', domain: 'carrier.example', registerExpiresSec: 120 }] });
    await settle();
    const reg = s.requests('REGISTER')[0]!;
    expect(reg.uri).toBe('sip:203.0.113.5');
    expect(reg.headers.get('To')).toBe('<sip:acct@carrier.example>');
    expect(reg.headers.get('Contact')).toBe(`<sip:acct@${HOST}:5060>`);
    expect(reg.headers.get('Expires')).toBe('120');
    const challenge = formatDigestChallenge({ realm: 'carrier.example', nonce: 'r1', algorithm: 'MD5', qop: ['auth'], stale: false });
    s.inject(reply(reg, 401, { toTag: 'x', extra: [['WWW-Authenticate', challenge]] }), TRUNK_FLOW);
    await settle();
    const second = s.requests('REGISTER')[1]!;
    expect(parseDigestCredentials(second.headers.get('Authorization')!)).toMatchObject({ username: 'acct', realm: 'carrier.example', uri: 'sip:203.0.113.5' });
    s.inject(reply(second, 200, { toTag: 'x', extra: [['Contact', `<sip:acct@${HOST}:5060>;expires=120`]] }), TRUNK_FLOW);
    await settle();
    expect(s.gateway.toJSON().trunks).toEqual({ reg: 'registered' });
    s.stack.onMessage(sipRequest('INVITE', { uri: `sip:02161234567@${HOST}`, branch: 'z9hG4bKcarrier', body: offerSdp() }), TRUNK_FLOW);
    await settle();
    expect(s.events.find((e) => e.type === 'inbound')).toMatchObject({ call: { trunkId: 'reg' } });
    s.gateway.stop();
    await settle();
    expect(s.requests('REGISTER').at(-1)!.headers.get('Expires')).toBe('0');
  });
});
