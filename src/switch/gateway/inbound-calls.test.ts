import { describe, expect, it } from 'vitest';
import { parse } from 'sdp-transform';
import { computeDigestResponse, computeHa1, parseChallenges, toDigestChallenge } from '../../protocol/sip/digest.ts';
import { GatewayError } from './gateway-error.ts';
import { HOST, PHONE, TRUNK_FLOW, offerSdp, settle, setup, sipRequest } from './test-support.ts';

const INVITE = (o: Partial<Parameters<typeof sipRequest>[1]> = {}) => sipRequest('INVITE', { branch: 'z9hG4bKinv1', body: offerSdp(), ...o });

async function offered(s: ReturnType<typeof setup>, o: Partial<Parameters<typeof sipRequest>[1]> = {}) {
  s.inject(INVITE(o));
  await settle();
  const e = s.events.find((x) => x.type === 'inbound');
  if (!e || e.type !== 'inbound') throw new Error(`no inbound event: ${JSON.stringify(s.events)}`);
  return e.call;
}

async function answered(s: ReturnType<typeof setup>) {
  const call = await offered(s);
  const done = s.gateway.answer(call.legId);
  const ok = s.responses('INVITE').find((r) => r.status === 200)!;
  const toTag = /tag=([^;>]+)/.exec(ok.headers.get('To')!)![1]!;
  s.inject(sipRequest('ACK', { branch: 'z9hG4bKack1', toTag }));
  await done;
  return { call, toTag, ok };
}

describe('SIP gateway inbound calls (TEL-1, CTI-1)', () => {
  it('INVITE with an offer to a public number: engine leg at the offered address, inbound event, 180, 200 with our answer retransmitted until the ACK', async () => {
    const s = setup();
    const call = await offered(s);
    expect(call).toMatchObject({ legId: 'in-1', from: { user: '13800138000', displayName: 'Caller' }, to: { user: '95000' }, source: { address: '198.51.100.7', port: 5062, transport: 'udp' } });
    expect(call.account).toBeUndefined();
    expect(s.media.legs.get('in-1')).toMatchObject({ remote: { address: '198.51.100.7', port: 4000 }, codec: 'PCMU', inactivityMs: 30_000 });
    s.gateway.ring(call.legId);
    let acked = false;
    const done = s.gateway.answer(call.legId).then(() => (acked = true));
    s.clock.advance(1600);
    const oks = s.responses('INVITE').filter((r) => r.status === 200);
    expect(s.responses('INVITE').map((r) => r.status)).toEqual([180, 200, 200, 200]);
    const answer = parse(oks[0]!.body.toString());
    expect(answer.connection?.ip).toBe('192.0.2.10');
    expect(answer.media[0]!.port).toBe(s.media.legs.get('in-1')!.port);
    expect(answer.media[0]!.payloads).toBe('0 101');
    expect(oks[0]!.headers.get('Contact')).toBe(`<sip:hotline@${HOST}:5060>`);
    const toTag = /tag=([^;>]+)/.exec(oks[0]!.headers.get('To')!)![1]!;
    expect(s.responses('INVITE')[0]!.headers.get('To')).toContain(`tag=${toTag}`);
    s.inject(sipRequest('ACK', { branch: 'z9hG4bKack1', toTag }));
    await done;
    expect(acked).toBe(true);
    expect(s.events.map((e) => e.type)).toEqual(['inbound', 'answered']);
    s.clock.advance(10_000);
    expect(s.responses('INVITE').filter((r) => r.status === 200)).toHaveLength(3);
    expect(await s.store.list()).toMatchObject([{ legId: 'in-1', callId: 'call-1@198.51.100.7', localTag: toTag, remoteTag: 'caller1', remoteTarget: 'sip:caller@198.51.100.7:5062', hop: { protocol: 'udp', address: '198.51.100.7', port: 5062 } }]);
  });

  it('INVITE without SDP: our offer in the 200, the answer in the ACK sets the engine leg', async () => {
    const s = setup();
    const call = await offered(s, { body: '' });
    expect(s.media.legs.get(call.legId)!.remote).toBeUndefined();
    const done = s.gateway.answer(call.legId);
    const ok = s.responses('INVITE').find((r) => r.status === 200)!;
    expect(parse(ok.body.toString()).media[0]!.payloads).toBe('0 8 101');
    const toTag = /tag=([^;>]+)/.exec(ok.headers.get('To')!)![1]!;
    s.inject(sipRequest('ACK', { branch: 'z9hG4bKack1', toTag, body: offerSdp({ port: 4100, pts: '8 101' }) }));
    await done;
    await settle();
    expect(s.media.legs.get(call.legId)).toMatchObject({ remote: { port: 4100 }, codec: 'PCMA' });
  });

  it('INVITE without SDP whose ACK brings no answer: BYE and hangup no-sdp-answer', async () => {
    const s = setup();
    const call = await offered(s, { body: '' });
    const done = s.gateway.answer(call.legId);
    const toTag = /tag=([^;>]+)/.exec(s.responses('INVITE').find((r) => r.status === 200)!.headers.get('To')!)![1]!;
    s.inject(sipRequest('ACK', { branch: 'z9hG4bKack1', toTag }));
    await expect(done).rejects.toThrow(GatewayError);
    expect(s.requests('BYE')).toHaveLength(1);
    expect(s.events.at(-1)).toEqual({ type: 'hangup', legId: call.legId, cause: 'no-sdp-answer' });
  });

  it('CANCEL before the answer: 200 to the CANCEL, 487 to the INVITE, failed 487, engine leg gone', async () => {
    const s = setup();
    const call = await offered(s);
    s.gateway.ring(call.legId);
    s.inject(sipRequest('CANCEL', { branch: 'z9hG4bKinv1' }));
    await settle();
    expect(s.responses('CANCEL').map((r) => r.status)).toEqual([200]);
    expect(s.responses('INVITE').map((r) => r.status)).toEqual([180, 487]);
    expect(s.events.at(-1)).toEqual({ type: 'failed', legId: call.legId, status: 487, cause: 'cancelled' });
    expect(s.media.destroyed).toEqual([call.legId]);
    expect(() => s.gateway.ring(call.legId)).toThrow(GatewayError);
  });

  it('BYE from the phone: 200, hangup bye, engine leg destroyed, dialog record removed', async () => {
    const s = setup();
    const { call, toTag } = await answered(s);
    s.inject(sipRequest('BYE', { branch: 'z9hG4bKbye1', toTag, cseq: 2 }));
    await settle();
    expect(s.responses('BYE').map((r) => r.status)).toEqual([200]);
    expect(s.events.at(-1)).toEqual({ type: 'hangup', legId: call.legId, cause: 'bye' });
    expect(s.media.destroyed).toEqual([call.legId]);
    expect(await s.store.list()).toEqual([]);
  });

  it('hangup(): BYE after the answer (to the flow the call came on); a final error before it; idempotent', async () => {
    const s = setup();
    const { call, toTag } = await answered(s);
    s.gateway.hangup(call.legId, 'agent-released');
    s.gateway.hangup(call.legId, 'again');
    const byes = s.requests('BYE');
    expect(byes).toHaveLength(1);
    expect(byes[0]!.uri).toBe('sip:caller@198.51.100.7:5062');
    expect(byes[0]!.headers.get('To')).toContain('tag=caller1');
    expect(byes[0]!.headers.get('From')).toContain(`tag=${toTag}`);
    expect(s.udp.sent.at(-1)!.target.remote).toEqual(PHONE.remote);
    const t = setup();
    const c2 = await offered(t);
    t.gateway.hangup(c2.legId, 'busy');
    expect(t.responses('INVITE').map((r) => r.status)).toEqual([486]);
    expect(t.events.map((e) => e.type)).toEqual(['inbound']);
  });

  it('reject(): the given final status; a bad status is a typed error', async () => {
    const s = setup();
    const call = await offered(s);
    expect(() => s.gateway.reject(call.legId, 200)).toThrow(GatewayError);
    s.gateway.reject(call.legId, 603, 'Decline');
    expect(s.responses('INVITE').map((r) => `${r.status} ${r.reason}`)).toEqual(['603 Decline']);
    expect(s.media.destroyed).toEqual([call.legId]);
  });

  it('no ACK within the timeout: answer() rejects, BYE, hangup no-ack', async () => {
    const s = setup({ ackTimeoutMs: 5000 });
    const call = await offered(s);
    const done = s.gateway.answer(call.legId);
    s.clock.advance(5000);
    await expect(done).rejects.toMatchObject({ code: 'no-ack' });
    expect(s.requests('BYE')).toHaveLength(1);
    expect(s.events.at(-1)).toEqual({ type: 'hangup', legId: call.legId, cause: 'no-ack' });
  });

  it.each([
    ['malformed SDP', 'hello, not SDP', 488, '399'],
    ['bad port', offerSdp({ port: 99999 }), 488, '399'],
    ['no common codec', offerSdp({ pts: '9 18' }).replace('a=rtpmap:101 telephone-event/8000\r\n', ''), 488, '305'],
    ['no audio', offerSdp().replace('m=audio', 'm=video'), 488, '304'],
  ])('%s: %s with Warning %s, no leg', async (_n, body, status, warning) => {
    const s = setup();
    s.inject(INVITE({ body }));
    await settle();
    const r = s.responses('INVITE').at(-1)!;
    expect(r.status).toBe(status);
    expect(r.headers.get('Warning')).toMatch(new RegExp(`^${warning} `));
    expect(s.events).toEqual([]);
    expect(s.media.legs.size).toBe(0);
  });

  it('a body that is not SDP is 415', async () => {
    const s = setup();
    s.inject(INVITE({ body: 'hello', type: 'text/plain' }));
    await settle();
    expect(s.responses('INVITE').at(-1)!.status).toBe(415);
  });
});

describe('SIP gateway inbound admission (TEL-2, OPS-1)', () => {
  it('an INVITE to a non-public number is challenged 407; the digest answer of account 8001 is accepted and named', async () => {
    const s = setup();
    const uri = `sip:8002@${HOST}`;
    s.inject(INVITE({ uri }));
    await settle();
    const ch = s.responses('INVITE').at(-1)!;
    expect(ch.status).toBe(407);
    expect(s.events).toEqual([]);
    const challenge = toDigestChallenge(parseChallenges(ch.headers.getAll('Proxy-Authenticate'))[0]!);
    const ha1 = computeHa1('MD5', '8001', 'hotline', 'demo-8001');
    const response = computeDigestResponse({ algorithm: 'MD5', ha1, nonce: challenge.nonce, method: 'INVITE', uri, qop: 'auth', nc: '00000001', cnonce: 'abc' });
    const auth = `Digest username="8001", realm="hotline", nonce="${challenge.nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="abc"`;
    const call = await offered(s, { uri, branch: 'z9hG4bKinv2', cseq: 2, extra: [`Proxy-Authorization: ${auth}`] });
    expect(call.account).toBe('8001');
    expect(call.to.user).toBe('8002');
  });

  it('a wrong password gets a new challenge; a trusted trunk address needs none and is named', async () => {
    const s = setup();
    s.inject(INVITE({ uri: `sip:8002@${HOST}`, extra: ['Proxy-Authorization: Digest username="8001", realm="hotline", nonce="x", uri="sip:8002@192.0.2.1", response="00", algorithm=MD5'] }));
    await settle();
    expect(s.responses('INVITE').at(-1)!.status).toBe(407);
    expect(s.events).toEqual([]);
    const t = setup();
    t.stack.onMessage(INVITE({ uri: `sip:02161234567@${HOST}` }), TRUNK_FLOW);
    await settle();
    const e = t.events[0];
    expect(e?.type === 'inbound' && e.call.trunkId).toBe('carrier');
  });
});
