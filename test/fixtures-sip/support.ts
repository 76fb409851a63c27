/** Shared helpers for the SIP fixture tests: read fixtures, classify outcomes. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRequest, isDroppableResponse, parseMessage, SipParseError, type SipMessage } from '../../src/protocol/sip/index.ts';

export const FIXTURES = '/work/shared/fixtures';

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
