import { describe, expect, it } from 'vitest';
import { createRequest } from './message.ts';
import { createResponse, randomBranch, randomCallId, randomTag } from './response.ts';
import { parseNameAddr } from './name-addr.ts';

describe('TEL-1 createResponse (RFC 3261 8.2.6)', () => {
  const req = createRequest('INVITE', 'sip:b@h', [
    ['Via', 'SIP/2.0/UDP p1;branch=z9hG4bK1'],
    ['Via', 'SIP/2.0/UDP u1;branch=z9hG4bK0'],
    ['Record-Route', '<sip:p1;lr>'],
    ['From', '"A" <sip:a@h>;tag=f1'],
    ['To', '<sip:b@h>'],
    ['Call-ID', 'c1'],
    ['CSeq', '7 INVITE'],
    ['Timestamp', '54'],
    ['Max-Forwards', '70'],
  ]);

  it('copies Via in order, From, To, Call-ID, CSeq; Timestamp on 100; no To tag on 100', () => {
    const r = createResponse(req, 100);
    expect([...r.headers]).toEqual([
      ['Via', 'SIP/2.0/UDP p1;branch=z9hG4bK1'],
      ['Via', 'SIP/2.0/UDP u1;branch=z9hG4bK0'],
      ['From', '"A" <sip:a@h>;tag=f1'],
      ['To', '<sip:b@h>'],
      ['Call-ID', 'c1'],
      ['CSeq', '7 INVITE'],
      ['Timestamp', '54'],
    ]);
    expect(r.reason).toBe('Trying');
  });

  it('adds a To tag above 100, copies Record-Route on 2xx, adds headers and body', () => {
    const r = createResponse(req, 200, undefined, { toTag: 't9', headers: [['Contact', '<sip:b@10.0.0.1>']], body: Buffer.from('v=0'), contentType: 'application/sdp' });
    expect(parseNameAddr(r.headers.get('To')!).params.get('tag')).toBe('t9');
    expect(r.headers.get('Record-Route')).toBe('<sip:p1;lr>');
    expect(r.headers.get('Content-Type')).toBe('application/sdp');
    expect(r.headers.has('Timestamp')).toBe(false);
    expect(r.body.toString()).toBe('v=0');
    expect(r.reason).toBe('OK');
  });

  it('keeps an existing To tag and uses a given reason', () => {
    const inDialog = createRequest('BYE', 'sip:b@h', [['To', '<sip:b@h>;tag=x'], ['Record-Route', '<sip:p1;lr>']]);
    const r = createResponse(inDialog, 486, 'Busy - agent on call');
    expect(r.headers.get('To')).toBe('<sip:b@h>;tag=x');
    expect(r.headers.has('Record-Route')).toBe(false);
    expect(r.reason).toBe('Busy - agent on call');
  });

  it('makes random identifiers', () => {
    expect(randomBranch()).toMatch(/^z9hG4bK[0-9a-f]{24}$/);
    expect(randomTag()).not.toBe(randomTag());
    expect(randomCallId('h.example')).toMatch(/^[0-9a-f]{32}@h\.example$/);
  });
});
