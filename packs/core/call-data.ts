/**
 * IVR-4, CRM-1: what travels with the caller to the agent. Built by the
 * pack server from its own session (never from values the caller's
 * documents could set), attached to the `<transfer>` as `aai` and returned
 * by the session's `<exit>`; PackServer.attachedData() answers the same for
 * a screen pop that only knows the IVR session.
 */
import type { Locale } from './locale.ts';

export type PackName = 'securities' | 'fund' | 'bank';

export const AGENT_REASONS = ['caller', 'retries', 'account-locked', 'card-lost', 'too-many-logins', 'contact-change'] as const;
export type AgentReason = (typeof AGENT_REASONS)[number];

export interface AttachedCustomer {
  readonly customerId: string;
  readonly name: string;
  /** Fund account or card number that authenticated. */
  readonly account: string;
  readonly kind: 'securities' | 'fund' | 'bank';
}

export interface CallAttachedData {
  readonly pack: PackName;
  readonly locale: Locale;
  readonly ivrSessionId?: string;
  readonly ani?: string;
  readonly reason?: AgentReason;
  /** True only when the back office accepted the password or PIN in this call. */
  readonly authenticated: boolean;
  readonly customer?: AttachedCustomer;
  /** An account that locked (wrong passwords) during this call. */
  readonly lockedAccount?: string;
  /** The shareholder account the caller switched to, if any. */
  readonly shareholderAccount?: string;
  /** Pages visited, oldest first (the IVR path the agent sees). */
  readonly path: readonly string[];
  /** Non-secret IVR inputs by name (codes, dates, amounts; never passwords or PINs). */
  readonly inputs: Readonly<Record<string, string>>;
  /** A request the caller made that an agent completes (CRM-2: contact change of an authenticated customer). */
  readonly request?: { readonly kind: 'update-mobile'; readonly mobile: string };
}
