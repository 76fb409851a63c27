import { describe, expect, it } from 'vitest';
import { parse } from 'sdp-transform';
import { offerSdp, settle, setup, sipRequest } from './test-support.ts';

async function answeredCall() {
  const s = setup();
  s.inject(sipRequest('INVITE', { branch: 'z9hG4bKinv1', body: offerSdp() }));
  await settle();
  const e = s.events[0];
  if (e?.type !== 'inbound') throw new Error('no inbound call');
  const legId = e.call.legId;
  const done = s.gateway.answer(legId);
  const toTag = /tag=([^;>]+)/.exec(s.responses('INVITE').find((r) => r.status === 200)!.headers.get('To')!)![1]!;
  s.inject(sipRequest('ACK', { branch: 'z9hG4bKack1', toTag }));
  await done;
  let cseq = 1;
  const reinvite = (body: string, branch: string) => {
    cseq++;
    s.inject(sipRequest('INVITE', { branch, toTag, cseq, body }));
    return cseq;
  };
  const ack = (seq: number, branch: string, body?: string) => s.inject(sipRequest('ACK', { branch, toTag, cseq: seq, ...(body ? { body } : {}) }));
  return { ...s, legId, toTag, reinvite, ack, next: () => ++cseq };
}

describe('SIP gateway in-dialog requests (TEL-1, CTI-2)', () => {
  it.each([
    ['sendonly', 'recvonly', true],
    ['inactive', 'inactive', true],
  ])('re-INVITE %s from the phone is answered %s, the engine leg follows, remote-hold reported; sendrecv resumes', async (dir, want, held) => {
    const s = await answeredCall();
    const seq = s.reinvite(offerSdp({ port: 4200, dir }), 'z9hG4bKre1');
    await settle();
    const ok = s.responses('INVITE').filter((r) => r.status === 200).at(-1)!;
    expect(ok.headers.get('CSeq')).toBe(`${seq} INVITE`);
    const answer = parse(ok.body.toString());
    expect(answer.media[0]!.direction).toBe(want);
    expect(answer.origin!.sessionVersion).toBe(2);
    expect(s.media.legs.get(s.legId)!.remote).toEqual({ address: '198.51.100.7', port: 4200 });
    expect(s.events.at(-1)).toEqual({ type: 'remote-hold', legId: s.legId, held });
    s.ack(seq, 'z9hG4bKreack1');
    const seq2 = s.reinvite(offerSdp({ port: 4200 }), 'z9hG4bKre2');
    await settle();
    expect(parse(s.responses('INVITE').filter((r) => r.status === 200).at(-1)!.body.toString()).media[0]!.direction).toBe('sendrecv');
    expect(s.events.at(-1)).toEqual({ type: 'remote-hold', legId: s.legId, held: false });
    s.ack(seq2, 'z9hG4bKreack2');
    expect(s.events.filter((e) => e.type === 'remote-hold')).toHaveLength(2);
  });

  it('RFC 2543 hold (c=0.0.0.0) keeps the engine leg sending where it did', async () => {
    const s = await answeredCall();
    s.reinvite(offerSdp({ address: '0.0.0.0' }), 'z9hG4bKre1');
    await settle();
    expect(s.media.legs.get(s.legId)!.remote).toEqual({ address: '198.51.100.7', port: 4000 });
    expect(s.events.at(-1)).toEqual({ type: 'remote-hold', legId: s.legId, held: true });
  });

  it('a re-INVITE without SDP gets our offer; the ACK answer updates the engine leg', async () => {
    const s = await answeredCall();
    const seq = s.reinvite('', 'z9hG4bKre1');
    await settle();
    const ok = s.responses('INVITE').filter((r) => r.status === 200).at(-1)!;
    expect(parse(ok.body.toString()).media[0]!.payloads).toBe('0 8 101');
    s.ack(seq, 'z9hG4bKreack', offerSdp({ port: 4300, pts: '8' }));
    await settle();
    expect(s.media.legs.get(s.legId)).toMatchObject({ remote: { port: 4300 }, codec: 'PCMA' });
  });

  it('a re-INVITE we cannot take is 488 and the call goes on; a second one before the ACK of the first is 500 with Retry-After', async () => {
    const s = await answeredCall();
    s.reinvite(offerSdp({ pts: '18' }).replace('a=rtpmap:101 telephone-event/8000\r\n', ''), 'z9hG4bKre1');
    await settle();
    expect(s.responses('INVITE').at(-1)!.status).toBe(488);
    s.reinvite(offerSdp({ port: 4400 }), 'z9hG4bKre2');
    s.reinvite(offerSdp({ port: 4500 }), 'z9hG4bKre3');
    await settle();
    const last = s.responses('INVITE').at(-1)!;
    expect(last.status).toBe(500);
    expect(Number(last.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(s.media.legs.get(s.legId)!.remote!.port).toBe(4400);
    expect(s.events.map((e) => e.type)).toEqual(['inbound', 'answered']);
  });

  it('BYE or re-INVITE for an unknown dialog is 481; BYE with an old CSeq is 500', async () => {
    const s = await answeredCall();
    s.inject(sipRequest('BYE', { branch: 'z9hG4bKb1', toTag: 'nosuch', cseq: 5 }));
    s.inject(sipRequest('INVITE', { branch: 'z9hG4bKb2', toTag: 'nosuch', cseq: 5, body: offerSdp() }));
    s.inject(sipRequest('INFO', { branch: 'z9hG4bKb3', toTag: s.toTag, cseq: 5 }));
    s.inject(sipRequest('BYE', { branch: 'z9hG4bKb4', toTag: s.toTag, cseq: 3 }));
    await settle();
    expect(s.responses('BYE').map((r) => r.status)).toEqual([481, 500]);
    expect(s.responses('INVITE').at(-1)!.status).toBe(481);
  });

  it('in-dialog OPTIONS is answered 200; INFO dtmf-relay becomes a dtmf event', async () => {
    const s = await answeredCall();
    s.inject(sipRequest('OPTIONS', { branch: 'z9hG4bKo1', toTag: s.toTag, cseq: s.next() }));
    s.inject(sipRequest('INFO', { branch: 'z9hG4bKi1', toTag: s.toTag, cseq: s.next(), type: 'application/dtmf-relay', body: 'Signal=5\r\nDuration=160\r\n' }));
    await settle();
    expect(s.responses('OPTIONS').map((r) => r.status)).toEqual([200]);
    expect(s.responses('INFO').map((r) => r.status)).toEqual([200]);
    expect(s.events.at(-1)).toEqual({ type: 'dtmf', legId: s.legId, digit: '5' });
  });

  it('engine dtmf becomes a dtmf event; RTP inactivity ends the call with BYE, unless the phone holds it', async () => {
    const s = await answeredCall();
    s.media.fire({ type: 'dtmf', legId: s.legId, digit: '#', source: 'rfc4733', durationMs: 100 });
    expect(s.events.at(-1)).toEqual({ type: 'dtmf', legId: s.legId, digit: '#' });
    const seq = s.reinvite(offerSdp({ dir: 'inactive' }), 'z9hG4bKre1');
    await settle();
    s.ack(seq, 'z9hG4bKreack1');
    s.media.fire({ type: 'inactive', legId: s.legId, silentMs: 30_000 });
    expect(s.requests('BYE')).toHaveLength(0);
    const seq2 = s.reinvite(offerSdp({}), 'z9hG4bKre2');
    await settle();
    s.ack(seq2, 'z9hG4bKreack2');
    s.media.fire({ type: 'inactive', legId: s.legId, silentMs: 30_000 });
    expect(s.requests('BYE')).toHaveLength(1);
    expect(s.events.at(-1)).toEqual({ type: 'hangup', legId: s.legId, cause: 'rtp-timeout' });
    expect(s.media.destroyed).toEqual([s.legId]);
  });
});
