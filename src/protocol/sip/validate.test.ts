import { describe, expect, it } from 'vitest';
import { createRequest, createResponseMessage } from './message.ts';
import { checkRequest, isDroppableResponse } from './validate.ts';

const BASE: [string, string][] = [
  ['Via', 'SIP/2.0/UDP h;branch=z9hG4bK1'],
  ['From', '<sip:a@b>;tag=1'],
  ['To', '<sip:c@d>'],
  ['Call-ID', 'x1'],
];
const inv = (extra: [string, string][], body = '', uri = 'sip:c@d') =>
  createRequest('INVITE', uri, [...BASE, ['CSeq', '1 INVITE'], ...extra], Buffer.from(body));

describe('TEL-1 TEL-2 request checks (RFC 3261 8.2)', () => {
  it.each([
    ['a plain INVITE with SDP', inv([['Content-Type', 'application/sdp']], 'v=0'), undefined],
    ['missing Call-ID', createRequest('BYE', 'sip:c@d', [['Via', 'SIP/2.0/UDP h'], ['From', '<sip:a@b>'], ['To', '<sip:c@d>'], ['CSeq', '1 BYE']]), 400],
    ['two Call-IDs', inv([['Call-ID', 'x2']]), 400],
    ['tel Request-URI', inv([], '', 'tel:+8613800138000'), undefined],
    ['mailto Request-URI', inv([], '', 'mailto:a@b'), 416],
    ['Require with unknown tag', inv([['Require', '100rel, foo']]), 420],
    ['multipart with SDP', inv([['Content-Type', 'multipart/mixed;boundary=xx']], '--xx\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--xx--'), undefined],
    ['multipart without SDP', inv([['Content-Type', 'multipart/mixed;boundary=xx']], '--xx\r\nContent-Type: text/plain\r\n\r\nhi\r\n--xx--'), 415],
    ['body without Content-Type', inv([], 'v=0'), 400],
    ['gzip encoding', inv([['Content-Type', 'application/sdp'], ['Content-Encoding', 'gzip']], 'v=0'), 415],
    ['Accept application/*', inv([['Accept', 'text/plain, application/*']]), undefined],
    ['empty Accept', inv([['Accept', '']]), 406],
    ['malformed Via', inv([['Via', 'SIP/2.0/UDP a b']]), 400],
  ])('%s', (_n, req, status) => {
    expect(checkRequest(req)?.status).toBe(status);
  });

  it('420 lists the unsupported tags; supported ones pass', () => {
    expect(checkRequest(inv([['Require', '100rel, foo']]), { supportedOptionTags: ['100rel'] })).toEqual({
      status: 420,
      reason: 'Bad Extension',
      headers: [['Unsupported', 'foo']],
    });
    expect(checkRequest(inv([['Require', '100REL']]), { supportedOptionTags: ['100rel'] })).toBeUndefined();
  });

  it('ACK and CANCEL skip the Require check', () => {
    const ack = createRequest('ACK', 'sip:c@d', [...BASE, ['CSeq', '1 ACK'], ['Require', 'foo']]);
    expect(checkRequest(ack)).toBeUndefined();
  });
});

describe('TEL-1 responses to drop', () => {
  const ok = (vias: string[], status = 200) =>
    createResponseMessage(status, 'OK', [...vias.map((v): [string, string] => ['Via', v]), ...BASE.slice(1), ['CSeq', '1 INVITE']]);
  it.each([
    ['normal', ok(['SIP/2.0/UDP h;branch=z9hG4bK1']), false, {}],
    ['broadcast sent-by', ok(['SIP/2.0/UDP h;branch=z9hG4bK1', 'SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK2']), true, {}],
    ['multicast sent-by', ok(['SIP/2.0/UDP 224.0.1.75;branch=z9hG4bK1']), true, {}],
    ['status 700', ok(['SIP/2.0/UDP h;branch=z9hG4bK1'], 700), true, {}],
    ['no Via', ok([]), true, {}],
    ['two Vias at a UAC', ok(['SIP/2.0/UDP h;branch=z9hG4bK1', 'SIP/2.0/UDP g;branch=z9hG4bK2']), true, { uac: true }],
    ['two Vias at a proxy', ok(['SIP/2.0/UDP h;branch=z9hG4bK1', 'SIP/2.0/UDP g;branch=z9hG4bK2']), false, {}],
  ])('%s', (_n, res, drop, opts) => {
    expect(isDroppableResponse(res, opts)).toBe(drop);
  });
});
