import { describe, expect, it } from 'vitest';
import { type BValue, BencodeError, bdecode, bencode } from './bencode.ts';

describe('bencode for the rtpengine ng protocol (bench support, issue 3)', () => {
  it.each<[BValue, string]>([
    [42, 'i42e'],
    [-7, 'i-7e'],
    ['spam', '4:spam'],
    ['', '0:'],
    [['a', 1], 'l1:ai1ee'],
    [{ 'to-tag': 'x', command: 'offer' }, 'd7:command5:offer6:to-tag1:xe'],
    [{ sdp: 'v=0\r\n', flags: ['trust-address'] }, 'd5:flagsl13:trust-addresse3:sdp5:v=0\r\ne'],
  ])('%j encodes as %s and decodes back', (v, text) => {
    expect(bencode(v).toString('latin1')).toBe(text);
    expect(bdecode(Buffer.from(text, 'latin1'))).toEqual(v);
  });

  it('counts string lengths in bytes, not characters', () => {
    const b = bencode('号码');
    expect(b.toString('latin1').startsWith('6:')).toBe(true);
    expect(bdecode(b)).toBe('号码');
  });

  it.each(['i4', '5:abc', 'x', 'd1:ai1e', 'i1ei2e', 'di1ei2ee', 'iabce'])('rejects %s with a typed error', (text) => {
    expect(() => bdecode(Buffer.from(text, 'latin1'))).toThrow(BencodeError);
  });
});
