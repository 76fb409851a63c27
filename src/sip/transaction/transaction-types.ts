/**
 * Shared types of the transaction layer: the channel a transaction sends on,
 * the context it is built with, and the typed delegates (transaction users)
 * it reports to. No string event names: every upward call is an optional
 * method on a delegate.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SipMessage, SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import type { TimerSettings } from './timer-settings.ts';

/** Where a transaction's messages go: one destination on one transport. */
export interface TransactionChannel {
  /** Reliable (stream) transports skip retransmissions and zero the wait timers D, I, J, K. */
  readonly reliable: boolean;
  /** Send one message; a rejection is a transport error (RFC 3261 section 17.1.4 / 17.2.4). */
  send(message: SipMessage): Promise<void>;
}

export interface TransactionContext {
  clock: Clock;
  timers: TimerSettings;
  channel: TransactionChannel;
  logger?: Logger;
  /** Called once when the transaction reaches Terminated (the layer removes it from its table). */
  onTerminated?: (tx: AnyTransaction) => void;
}

/** Why a client transaction produced a local response instead of a received one. */
export type LocalFailure = 'timeout' | 'transport-error';

export interface ClientTransactionUser {
  /**
   * Every response the TU must see: received provisional and final responses
   * (for INVITE, each 2xx as well), and the local 408 (Timer B/F) or 503
   * (transport error) the transaction generates itself.
   */
  onResponse?(response: SipResponse, local?: LocalFailure): void;
  /** The ACK (INVITE, Completed) could not be sent; the TU already had the final response. */
  onTransportError?(error: unknown): void;
  onTerminated?(): void;
}

export interface ServerTransactionUser {
  /** A response could not be sent (17.2.4); the transaction is terminated (or, in Accepted, keeps waiting). */
  onTransportError?(error: unknown): void;
  /** INVITE server: Timer H fired without an ACK for the non-2xx final response. */
  onAckTimeout?(): void;
  onTerminated?(): void;
}

/** A transaction of any of the four kinds (structural, to avoid import cycles). */
export interface AnyTransaction {
  readonly kind: 'ict' | 'nict' | 'ist' | 'nist';
  readonly request: SipRequest;
  readonly state: string;
  readonly key: string;
  /** Stop every timer and terminate now (stack shutdown). */
  dispose(): void;
}

export function isProvisional(status: number): boolean {
  return status >= 100 && status < 200;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function isFinalNon2xx(status: number): boolean {
  return status >= 300 && status < 700;
}
