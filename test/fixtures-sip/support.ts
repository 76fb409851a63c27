/** Shared helpers for the SIP fixture tests: read fixtures, classify outcomes. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_FIXTURES } from '../support/fixtures.ts';
import { checkRequest, isDroppableResponse, parseMessage, SipParseError, type SipMessage } from '../../src/protocol/sip/index.ts';

export const FIXTURES = SHARED_FIXTURES;

export function datFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dat'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function readFixture(dir: string, name: string): Buffer {
  return readFileSync(join(dir, `${name}.dat`));
}

/** What a server does with a datagram: 'ok', or the status it answers, or 'drop'. */
export type Outcome = { kind: 'ok'; msg: SipMessage } | { kind: 'reject'; status: number; code: string; reason: string } | { kind: 'drop' };

export function outcome(data: Buffer, stream = false, supportedOptionTags: string[] = []): Outcome {
  let msg: SipMessage;
  try {
    msg = parseMessage(data, { stream });
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    // a response that cannot be parsed is dropped, never answered
    if (data.subarray(0, 4).toString('latin1').toUpperCase() === 'SIP/') return { kind: 'drop' };
    return { kind: 'reject', status: e.status, code: e.code, reason: e.reason };
  }
  if (msg.kind === 'response') return isDroppableResponse(msg) ? { kind: 'drop' } : { kind: 'ok', msg };
  const r = checkRequest(msg, { supportedOptionTags });
  return r ? { kind: 'reject', status: r.status, code: 'check', reason: r.reason } : { kind: 'ok', msg };
}

// PROTOS c07-sip case files (see fixtures/protos-sip/MANIFEST.md)
export const PROTOS_FILL: [string, string][] = [
  ['<From-Address>', '127.0.0.1'],
  ['<From-IP>', '127.0.0.1'],
  ['<Local-Port>', '5070'],
  ['<Branch-ID>', '7f3a9c'],
  ['<Call-ID>', 'a1b2c3d4'],
  ['<CSeq>', '1'],
  ['<Teardown-Method>', 'CANCEL'],
  ['<From>', 'protos@127.0.0.1'],
  ['<To>', 'ivr@127.0.0.1'],
];

function replaceAll(buf: Buffer, from: string, to: string): Buffer {
  const f = Buffer.from(from, 'latin1');
  const t = Buffer.from(to, 'latin1');
  const parts: Buffer[] = [];
  let i = 0;
  for (let j = buf.indexOf(f); j >= 0; j = buf.indexOf(f, i)) {
    parts.push(buf.subarray(i, j), t);
    i = j + f.length;
  }
  parts.push(buf.subarray(i));
  return Buffer.concat(parts);
}

/** Split a case file into its two PDUs and fill the placeholders (Content-Length last). */
export function protosPdus(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < file.length) {
    const sp = file.indexOf(0x20, pos);
    const len = Number(file.toString('latin1', pos, sp));
    if (!Number.isInteger(len) || sp < 0) throw new Error(`bad PDU length at ${pos}`);
    let pdu = file.subarray(sp + 1, sp + 1 + len);
    for (const [k, v] of PROTOS_FILL) pdu = replaceAll(pdu, k, v);
    const he = pdu.indexOf('\r\n\r\n');
    if (he >= 0) pdu = replaceAll(pdu, '<Content-Length>', String(pdu.length - he - 4));
    out.push(pdu);
    pos = sp + 1 + len;
  }
  return out;
}

