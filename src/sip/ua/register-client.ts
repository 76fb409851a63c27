/**
 * Client-side registration (RFC 3261 section 10.2): keeps one binding of
 * our Contact at a registrar (a carrier's trunk), answering its digest
 * challenges (401/407; twice at most per exchange), refreshing before it expires, and
 * retrying after failures. Knows nothing of calls.
 *
 *   idle --start--> registering --2xx--> registered --refresh timer--> registering
 *                       |  ^                                              |
 *                       v  |retry timer                                   |
 *                     failed <------------- final error / timeout --------+
 *   any --stop--> stopped (a REGISTER with Expires: 0 when registered)
 */
import { Headers, createRequest, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { contactsOf } from '../../protocol/sip/name-addr.ts';
import { randomCallId, randomTag } from '../../protocol/sip/response.ts';
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { NextHop } from '../stack/next-hop.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { answerChallenge, pickChallenge, type ClientCredentials } from './digest-client.ts';

export type RegisterState = 'idle' | 'registering' | 'registered' | 'failed' | 'stopped';

const TABLE: Readonly<Record<RegisterState, readonly RegisterState[]>> = {
  idle: ['registering', 'stopped'],
  registering: ['registered', 'failed', 'stopped'],
  registered: ['registering', 'stopped'],
  failed: ['registering', 'stopped'],
  stopped: [],
};

export interface RegisterClientOptions {
  stack: Pick<SipStack, 'sendRequest'>;
  clock: Clock;
  logger: Logger;
  /** Request-URI: the registrar's domain, e.g. `sip:carrier.example`. */
  registrarUri: string;
  /** Address-of-record, e.g. `sip:account@carrier.example`. */
  aor: string;
  /** Our Contact header value, e.g. `<sip:account@203.0.113.1:5060>`. */
  contact: string;
  credentials?: ClientCredentials;
  expiresSec?: number;
  /** Where to send (default: resolve the Request-URI). */
  hop?: NextHop;
  /** Wait after a failure before trying again, ms (default 30 000). */
  retryMs?: number;
  userAgent?: string;
  onStateChange?(state: RegisterState, detail: { status?: number; expiresSec?: number }): void;
}

export class RegisterClient {
  private current: RegisterState = 'idle';
  private readonly callId = randomCallId();
  private readonly tag = randomTag();
  private cseq = 0;
  private timer: TimerHandle | undefined;
  /** Challenges answered in this REGISTER exchange (a wrong password gets a fresh nonce each time). */
  private authTries = 0;
  /** Seconds granted by the registrar in the last 2xx. */
  grantedSec = 0;

  constructor(private readonly o: RegisterClientOptions) {}

  get state(): RegisterState {
    return this.current;
  }

  start(): void {
    if (this.current !== 'idle') return;
    this.register();
  }

  /** Stop refreshing; when registered, remove the binding (Expires: 0). */
  stop(): void {
    if (this.current === 'stopped') return;
    const wasRegistered = this.current === 'registered';
    this.timer?.cancel();
    this.move('stopped', {});
    if (wasRegistered) {
      this.authTries = 0;
      this.sendAuthenticated(this.build(0), () => undefined);
    }
  }

  private move(next: RegisterState, detail: { status?: number; expiresSec?: number }): void {
    if (!TABLE[this.current].includes(next)) throw new Error(`bug: registration cannot move ${this.current} -> ${next}`);
    this.current = next;
    this.o.onStateChange?.(next, detail);
  }

  private register(): void {
    this.move('registering', {});
    this.authTries = 0;
    this.sendAuthenticated(this.build(this.o.expiresSec ?? 600), (res) => this.onResponse(res));
  }

  /** Send; a 401/407 is answered with our credentials (at most twice: once, and once more for a stale nonce). */
  private sendAuthenticated(req: SipRequest, then: (res: SipResponse) => void): void {
    this.send(req, (res) => {
      const creds = this.o.credentials;
      const picked = (res.status === 401 || res.status === 407) && creds && this.authTries < 2 ? pickChallenge(res) : undefined;
      if (!picked || !creds) {
        then(res);
        return;
      }
      this.authTries++;
      const retry = this.build(Number(req.headers.get('Expires') ?? 0));
      retry.headers.append(picked.header, answerChallenge(retry, picked.challenge, creds));
      this.sendAuthenticated(retry, then);
    });
  }

  private build(expires: number): SipRequest {
    const h = new Headers();
    h.append('Max-Forwards', '70');
    h.append('From', `<${this.o.aor}>;tag=${this.tag}`);
    h.append('To', `<${this.o.aor}>`);
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${++this.cseq} REGISTER`);
    h.append('Contact', this.o.contact);
    h.append('Expires', String(expires));
    if (this.o.userAgent) h.append('User-Agent', this.o.userAgent);
    return createRequest('REGISTER', this.o.registrarUri, h);
  }

  private send(req: SipRequest, then: (res: SipResponse) => void): void {
    this.o.stack.sendRequest(req, { onResponse: (res) => void (res.status >= 200 && then(res)) }, this.o.hop).catch((err: unknown) => {
      this.o.logger.warn({ aor: this.o.aor, err: String(err) }, 'REGISTER not sent');
      then({ kind: 'response', status: 503, reason: 'Service Unavailable', version: 'SIP/2.0', headers: new Headers(), body: Buffer.alloc(0) });
    });
  }

  private onResponse(res: SipResponse): void {
    if (this.current !== 'registering') return;
    if (res.status >= 200 && res.status < 300) {
      this.grantedSec = this.granted(res);
      this.move('registered', { status: res.status, expiresSec: this.grantedSec });
      // Refresh a little before the binding runs out (never sooner than 5 s from now).
      const refreshMs = Math.max(5, this.grantedSec - Math.min(30, this.grantedSec / 5)) * 1000;
      this.timer = this.o.clock.setTimeout(() => this.register(), refreshMs);
      return;
    }
    this.o.logger.warn({ aor: this.o.aor, status: res.status }, 'registration refused');
    this.move('failed', { status: res.status });
    this.timer = this.o.clock.setTimeout(() => this.register(), this.o.retryMs ?? 30_000);
  }

  /** The expiry the registrar granted our contact (its Contact expires, else Expires, else what we asked). */
  private granted(res: SipResponse): number {
    const mine = this.o.contact.replace(/^.*<|>.*$/g, '');
    for (const c of contactsOf(res)) {
      if (c.uri === mine) {
        const e = Number(c.params.get('expires'));
        if (Number.isFinite(e) && e > 0) return e;
      }
    }
    const e = Number(res.headers.get('Expires'));
    return Number.isFinite(e) && e > 0 ? e : (this.o.expiresSec ?? 600);
  }
}
