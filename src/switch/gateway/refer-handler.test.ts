import { describe, expect, it } from 'vitest';
import { offerSdp, settle, setup, sipRequest } from './test-support.ts';
import { parseReferTo, parseReplaces } from './refer-handler.ts';

async function twoCalls() {
  const s = setup();
  const tags: string[] = [];
  for (const [i, callId] of ['call-1@p', 'call-2@p'].entries()) {
    s.inject(sipRequest('INVITE', { branch: `z9hG4bKinv${i}`, callId, body: offerSdp(), fromTag: `ph${i}` }));
    await settle();
    const e = s.events.at(-1);
    if (e?.type !== 'inbound') throw new Error('no call');
    const done = s.gateway.answer(e.call.legId);
    const ok = s.responses('INVITE').filter((r) => r.status === 200 && r.headers.get('Call-ID') === callId)[0]!;
    const toTag = /tag=([^;>]+)/.exec(ok.headers.get('To')!)![1]!;
    tags.push(toTag);
    s.inject(sipRequest('ACK', { branch: `z9hG4bKack${i}`, callId, toTag, fromTag: `ph${i}` }));
    await done;
  }
  const refer = (referTo: string, extra: string[] = []) =>
    s.inject(sipRequest('REFER', { branch: 'z9hG4bKref', callId: 'call-1@p', toTag: tags[0]!, fromTag: 'ph0', cseq: 7, extra: [`Refer-To: ${referTo}`, ...extra] }));
  return { ...s, tags, refer };
}

describe('SIP gateway REFER from phones (RFC 3515, RFC 3891; CTI-4)', () => {
  it('blind: 202, NOTIFY 100 Trying, refer event; the outcome 200 ends the subscription with a sipfrag', async () => {
    const s = await twoCalls();
    s.refer('<sip:8002@192.0.2.1>');
    await settle();
    expect(s.responses('REFER').map((r) => r.status)).toEqual([202]);
    const ev = s.events.at(-1);
    expect(ev).toEqual({ type: 'refer', legId: 'in-1', referId: 'in-1/7', target: { user: '8002', uri: 'sip:8002@192.0.2.1' } });
    const first = s.requests('NOTIFY')[0]!;
    expect(first.headers.get('Event')).toBe('refer;id=7');
    expect(first.headers.get('Subscription-State')).toBe('active;expires=60');
    expect(first.headers.get('Content-Type')).toBe('message/sipfrag;version=2.0');
    expect(first.body.toString()).toBe('SIP/2.0 100 Trying\r\n');
    expect(first.headers.get('Call-ID')).toBe('call-1@p');
    s.gateway.referOutcome('in-1', 'in-1/7', 180);
    s.gateway.referOutcome('in-1', 'in-1/7', 200);
    s.gateway.referOutcome('in-1', 'in-1/7', 200);
    const notes = s.requests('NOTIFY');
    expect(notes.map((n) => n.body.toString().trim())).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing', 'SIP/2.0 200 OK']);
    expect(notes.at(-1)!.headers.get('Subscription-State')).toBe('terminated;reason=noresource');
    const seqs = notes.map((n) => Number(n.headers.get('CSeq')!.split(' ')[0]));
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect((await s.store.list()).find((r) => r.legId === 'in-1')!.localSeq).toBe(seqs[2]);
  });

  it('attended: Refer-To with Replaces naming the other call is mapped to its leg', async () => {
    const s = await twoCalls();
    const replaces = encodeURIComponent(`call-2@p;to-tag=${s.tags[1]};from-tag=ph1`);
    s.refer(`<sip:hotline@192.0.2.1?Replaces=${replaces}>`);
    await settle();
    expect(s.events.at(-1)).toMatchObject({ type: 'refer', legId: 'in-1', replacesLegId: 'in-2', target: { uri: 'sip:hotline@192.0.2.1' } });
  });

  it('Replaces for no known dialog: NOTIFY 481 ends it, no refer event; Refer-Sub: false sends no NOTIFY', async () => {
    const s = await twoCalls();
    s.refer(`<sip:hotline@192.0.2.1?Replaces=${encodeURIComponent('nope;to-tag=a;from-tag=b')}>`);
    await settle();
    expect(s.requests('NOTIFY').map((n) => n.body.toString().trim())).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 481 Call/Transaction Does Not Exist']);
    expect(s.events.filter((e) => e.type === 'refer')).toEqual([]);
    const t = await twoCalls();
    t.refer('<sip:8002@192.0.2.1>', ['Refer-Sub: false']);
    await settle();
    expect(t.responses('REFER')[0]!.headers.get('Refer-Sub')).toBe('false');
    t.gateway.referOutcome('in-1', 'in-1/7', 200);
    expect(t.requests('NOTIFY')).toEqual([]);
  });

  it('a REFER without Refer-To is 400; out of any dialog 481', async () => {
    const s = await twoCalls();
    s.inject(sipRequest('REFER', { branch: 'z9hG4bKr1', callId: 'call-1@p', toTag: s.tags[0]!, fromTag: 'ph0', cseq: 9 }));
    s.inject(sipRequest('REFER', { branch: 'z9hG4bKr2', callId: 'other', extra: ['Refer-To: <sip:1@h>'] }));
    await settle();
    expect(s.responses('REFER').map((r) => r.status)).toEqual([400, 481]);
  });

  it.each([
    ['<sip:8002@h>', { uri: 'sip:8002@h' }],
    ['"Bob" <sip:8002@h;transport=tcp?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>', { uri: 'sip:8002@h;transport=tcp', displayName: 'Bob', replaces: 'abc;to-tag=1;from-tag=2' }],
  ])('parseReferTo %s', (text, want) => {
    expect(parseReferTo(text)).toEqual(want);
  });

  it('parseReplaces needs both tags', () => {
    expect(parseReplaces('abc@h;from-tag=2;to-tag=1')).toEqual({ callId: 'abc@h', toTag: '1', fromTag: '2' });
    expect(parseReplaces('abc@h;to-tag=1')).toBeUndefined();
  });
});
