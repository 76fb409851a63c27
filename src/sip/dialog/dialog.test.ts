import { describe, expect, it } from 'vitest';
import { createRequest, type SipRequest } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { createUacDialog, createUasDialog, createsDialog } from './dialog-factory.ts';
import { DialogError } from './dialog-error.ts';
import { targetFor } from './route-set.ts';

function invite(extra: Array<[string, string]> = []): SipRequest {
  return createRequest('INVITE', 'sip:bob@biloxi.example.com', [
    ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds'],
    ['Max-Forwards', '70'],
    ['To', 'Bob <sip:bob@biloxi.example.com>'],
    ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
    ['Call-ID', 'a84b4c76e66710@pc33.atlanta.example.com'],
    ['CSeq', '314159 INVITE'],
    ['Contact', '<sip:alice@pc33.atlanta.example.com>'],
    ...extra,
  ]);
}

function answer(req: SipRequest, status: number, extra: Array<[string, string]> = []) {
  return createResponse(req, status, undefined, { toTag: 'a6c85cf', headers: [['Contact', '<sip:bob@192.0.2.4>'], ...extra] });
}

const rr: Array<[string, string]> = [
  ['Record-Route', '<sip:p2.example.com;lr>'],
  ['Record-Route', '<sip:p1.example.com;lr>'],
];

describe('dialogs, RFC 3261 section 12 (TEL-1)', () => {
  it('UAC: a 2xx creates a confirmed dialog; route set is Record-Route reversed, target from Contact', () => {
    const req = invite();
    const res = answer(req, 200, rr);
    const d = createUacDialog(req, res);
    expect(d.state).toBe('confirmed');
    expect(d.id).toEqual({ callId: 'a84b4c76e66710@pc33.atlanta.example.com', localTag: '1928301774', remoteTag: 'a6c85cf' });
    expect(d.routeSet).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(d.remoteTarget).toBe('sip:bob@192.0.2.4');
    expect(d.localSeq).toBe(314159);
    expect(d.remoteSeq).toBeUndefined();
  });

  it('UAC: a 1xx with a To tag creates an early dialog that a 2xx confirms; 100 and tagless 1xx do not', () => {
    const req = invite();
    const ringing = answer(req, 180);
    expect(createsDialog(ringing)).toBe(true);
    expect(createsDialog(createResponse(req, 100))).toBe(false);
    const d = createUacDialog(req, ringing);
    expect(d.state).toBe('early');
    const ok = createResponse(req, 200, undefined, { toTag: 'a6c85cf', headers: [['Contact', '<sip:bob@192.0.2.99>']] });
    d.confirm(ok);
    expect(d.state).toBe('confirmed');
    expect(d.remoteTarget).toBe('sip:bob@192.0.2.99');
  });

  it('UAS: route set is Record-Route in order, remote target from the request Contact, remote CSeq recorded', () => {
    const req = invite(rr);
    const d = createUasDialog(req, answer(req, 200));
    expect(d.routeSet).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(d.remoteTarget).toBe('sip:alice@pc33.atlanta.example.com');
    expect(d.id.localTag).toBe('a6c85cf');
    expect(d.id.remoteTag).toBe('1928301774');
    expect(d.remoteSeq).toBe(314159);
    expect(d.localSeq).toBeUndefined();
  });

  it('in-dialog requests: Request-URI = remote target, Route = route set, local CSeq incremented', () => {
    const req = invite();
    const d = createUacDialog(req, answer(req, 200, rr));
    const bye = d.createRequest('BYE');
    expect(bye.uri).toBe('sip:bob@192.0.2.4');
    expect(bye.headers.getAll('Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(bye.headers.get('CSeq')).toBe('314160 BYE');
    expect(bye.headers.get('From')).toBe('"Alice" <sip:alice@atlanta.example.com>;tag=1928301774'.replace('"Alice"', 'Alice'));
    expect(bye.headers.get('To')).toContain(';tag=a6c85cf');
    expect(bye.headers.has('Via')).toBe(false);
    expect(d.createRequest('INFO').headers.get('CSeq')).toBe('314161 INFO');
  });

  it('ACK for a 2xx keeps the INVITE CSeq number and does not advance the local CSeq', () => {
    const req = invite();
    const d = createUacDialog(req, answer(req, 200));
    const ack = d.createAck(314159);
    expect(ack.method).toBe('ACK');
    expect(ack.headers.get('CSeq')).toBe('314159 ACK');
    expect(d.createRequest('BYE').headers.get('CSeq')).toBe('314160 BYE');
  });

  const routing = [
    { name: 'empty route set', target: 'sip:bob@192.0.2.4', routes: [] as string[], uri: 'sip:bob@192.0.2.4', out: [] as string[] },
    { name: 'loose first hop', target: 'sip:bob@192.0.2.4', routes: ['<sip:p1.example.com;lr>'], uri: 'sip:bob@192.0.2.4', out: ['<sip:p1.example.com;lr>'] },
    {
      name: 'strict first hop',
      target: 'sip:bob@192.0.2.4',
      routes: ['<sip:p1.example.com;method=INVITE>', '<sip:p2.example.com;lr>'],
      uri: 'sip:p1.example.com',
      out: ['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4>'],
    },
  ];
  it.each(routing)('12.2.1.1 targeting: $name', ({ target, routes, uri, out }) => {
    expect(targetFor(target, routes)).toEqual({ uri, routes: out });
  });

  it('remote CSeq: lower is out of order (500), equal or higher accepted; ACK/CANCEL do not move it', () => {
    const req = invite();
    const d = createUasDialog(req, answer(req, 200));
    const inDialog = (method: string, seq: number) =>
      createRequest(method, 'sip:bob@192.0.2.4', [
        ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
        ['To', 'Bob <sip:bob@biloxi.example.com>;tag=a6c85cf'],
        ['Call-ID', 'a84b4c76e66710@pc33.atlanta.example.com'],
        ['CSeq', `${seq} ${method}`],
      ]);
    d.receiveRequest(inDialog('ACK', 314159));
    d.receiveRequest(inDialog('INFO', 314160));
    expect(d.remoteSeq).toBe(314160);
    let err: unknown;
    try {
      d.receiveRequest(inDialog('INFO', 314100));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DialogError);
    expect((err as DialogError).code).toBe('cseq-out-of-order');
    expect((err as DialogError).status).toBe(500);
    d.receiveRequest(inDialog('ACK', 1));
    expect(d.remoteSeq).toBe(314160);
  });

  it('target refresh: re-INVITE and UPDATE replace the remote target, other methods do not', () => {
    const req = invite();
    const d = createUasDialog(req, answer(req, 200));
    const mk = (method: string, seq: number, contact: string) =>
      createRequest(method, 'sip:bob@192.0.2.4', [
        ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
        ['To', 'Bob <sip:bob@biloxi.example.com>;tag=a6c85cf'],
        ['Call-ID', 'a84b4c76e66710@pc33.atlanta.example.com'],
        ['CSeq', `${seq} ${method}`],
        ['Contact', contact],
      ]);
    d.receiveRequest(mk('INFO', 314160, '<sip:alice@198.51.100.1>'));
    expect(d.remoteTarget).toBe('sip:alice@pc33.atlanta.example.com');
    d.receiveRequest(mk('INVITE', 314161, '<sip:alice@198.51.100.2>'));
    expect(d.remoteTarget).toBe('sip:alice@198.51.100.2');
    d.receiveRequest(mk('UPDATE', 314162, '<sip:alice@198.51.100.3;transport=tcp>'));
    expect(d.remoteTarget).toBe('sip:alice@198.51.100.3;transport=tcp');
  });

  it('UAC target refresh: the 2xx to our re-INVITE carries the new target', () => {
    const req = invite();
    const d = createUacDialog(req, answer(req, 200));
    const reinvite = d.createRequest('INVITE');
    const ok = createResponse(reinvite, 200, undefined, { headers: [['Contact', '<sip:bob@203.0.113.9>']] });
    d.receiveRefreshResponse(ok);
    expect(d.remoteTarget).toBe('sip:bob@203.0.113.9');
  });

  it('states: early -> confirmed -> terminated; a terminated dialog refuses new requests', () => {
    const req = invite();
    const d = createUasDialog(req, answer(req, 183));
    expect(d.state).toBe('early');
    d.confirm();
    expect(d.state).toBe('confirmed');
    d.terminate();
    expect(d.state).toBe('terminated');
    expect(() => d.createRequest('BYE')).toThrow(DialogError);
    expect(() => d.confirm()).toThrow(DialogError);
  });

  it('a 2xx without Contact cannot make a UAC dialog', () => {
    const req = invite();
    const res = createResponse(req, 200, undefined, { toTag: 'x' });
    expect(() => createUacDialog(req, res)).toThrow(DialogError);
  });
});
