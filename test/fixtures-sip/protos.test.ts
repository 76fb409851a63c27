/**
 * PROTOS c07-sip smoke test over the 106 sample cases: placeholders filled
 * as the MANIFEST describes, each INVITE and teardown parsed as a datagram
 * and as a stream. The parser must return a message or throw SipParseError,
 * never anything else, and stay fast (no hang, no runaway). The valid
 * reference case 0000000 must parse and pass the request checks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkRequest, parseMessage, serializeMessage, SipParseError, type SipMessage } from '../../src/protocol/sip/index.ts';
import { FIXTURES, protosPdus } from './support.ts';

const DIR = `${FIXTURES}/protos-sip/sample`;

type Result = 'ok' | 'parse-error';

function tryParse(pdu: Buffer, stream: boolean): { r: Result; msg?: SipMessage } {
  try {
    const msg = parseMessage(pdu, { stream });
    // a parsed message must also serialize and re-parse
    parseMessage(serializeMessage(msg), { stream: true });
    if (msg.kind === 'request') checkRequest(msg);
    return { r: 'ok', msg };
  } catch (e) {
    if (e instanceof SipParseError) return { r: 'parse-error' };
    throw e;
  }
}

describe('TEL-1 OPS-2 PROTOS c07-sip sample robustness', () => {
  const files = readdirSync(DIR).sort();

  it('has the 106 sample cases', () => {
    expect(files).toHaveLength(106);
  });

  it('the valid reference case parses and passes the request checks', () => {
    const [invite, teardown] = protosPdus(readFileSync(`${DIR}/0000000`));
    const m = parseMessage(invite!, { stream: true });
    expect(m.kind === 'request' && m.method).toBe('INVITE');
    expect(checkRequest(m as never)).toBeUndefined();
    expect(m.body.toString('latin1')).toContain('m=audio 9876 RTP/AVP 0');
    expect(parseMessage(teardown!, { stream: true })).toMatchObject({ kind: 'request', method: 'CANCEL' });
  });

  it('every case parses or fails with SipParseError, quickly', () => {
    const tally = { ok: 0, 'parse-error': 0 };
    const started = performance.now();
    for (const f of files) {
      const pdus = protosPdus(readFileSync(`${DIR}/${f}`));
      expect(pdus).toHaveLength(2);
      for (const pdu of pdus) {
        const t0 = performance.now();
        for (const stream of [false, true]) tally[tryParse(pdu, stream).r]++;
        expect(performance.now() - t0, `case ${f}`).toBeLessThan(250);
      }
    }
    expect(performance.now() - started).toBeLessThan(5000);
    // both outcomes occur: anomalies are rejected, and benign ones accepted
    expect(tally.ok).toBeGreaterThan(100);
    expect(tally['parse-error']).toBeGreaterThan(50);
  });
});
