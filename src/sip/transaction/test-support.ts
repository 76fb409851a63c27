/**
 * Helpers shared by the transaction, dialog and stack tests: a recording
 * channel (the transport side of a transaction, with the times at which
 * each message left) and small request builders. Test-only; product code
 * does not import this file.
 */
import type { Clock } from '../../shared/clock.ts';
import { createRequest, type SipMessage, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import type { TransactionChannel } from './transaction-types.ts';

export class RecordingChannel implements TransactionChannel {
  readonly sent: Array<{ at: number; message: SipMessage }> = [];
  /** When set, every send rejects with this error. */
  failWith: Error | undefined;

  constructor(
    private readonly clock: Clock,
    readonly reliable = false,
  ) {}

  send(message: SipMessage): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.sent.push({ at: this.clock.now(), message });
    return Promise.resolve();
  }

  /** Send times relative to `t0`, optionally only of one method or status. */
  times(t0: number, filter?: (m: SipMessage) => boolean): number[] {
    return this.sent.filter((s) => !filter || filter(s.message)).map((s) => s.at - t0);
  }
}

let seq = 0;

export function makeRequest(method: string, opts: { branch?: string; callId?: string; cseq?: number; toTag?: string; uri?: string; via?: string; route?: string[] } = {}): SipRequest {
  seq++;
  const branch = opts.branch ?? `z9hG4bKtest${seq}`;
  const headers: Array<[string, string]> = [
    ['Via', opts.via ?? `SIP/2.0/UDP 192.0.2.10:5060;branch=${branch}`],
    ['Max-Forwards', '70'],
    ['From', '"Alice" <sip:alice@example.com>;tag=fromtag1'],
    ['To', `<sip:bob@example.org>${opts.toTag ? `;tag=${opts.toTag}` : ''}`],
    ['Call-ID', opts.callId ?? `call-${seq}@example.com`],
    ['CSeq', `${opts.cseq ?? 1} ${method}`],
  ];
  for (const r of opts.route ?? []) headers.push(['Route', r]);
  return createRequest(method, opts.uri ?? 'sip:bob@example.org', headers);
}

/** Let rejected send promises settle (transport errors arrive asynchronously). */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** A response to `req` as a UAS would build it, with `toTag` (or a random one above 100). */
export function makeResponse(req: SipRequest, status: number, toTag?: string): SipResponse {
  return createResponse(req, status, undefined, toTag === undefined ? {} : { toTag });
}
