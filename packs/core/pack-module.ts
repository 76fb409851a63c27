/**
 * What a pack is to the pack server: named pages, each rendering VoiceXML
 * dialogs from back-office data for one request. A page sees the request's
 * parameters, the caller's server-side session and the BackOffice port;
 * it never sees another caller's session.
 */
import type { BackOffice, BackOfficeError } from '../../src/backoffice/index.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { AgentReason, PackName } from './call-data.ts';
import type { CommonMessages } from './common-messages.ts';
import type { Locale } from './locale.ts';
import type { PackSession } from './pack-session.ts';
import type { Speech } from './speech.ts';
import type { VxmlEl } from './vxml.ts';

export interface PageContext<S> {
  readonly locale: Locale;
  /** Query parameters of the link and fields posted by the document, merged (posted fields win). */
  readonly params: Readonly<Record<string, string>>;
  readonly session: PackSession<S>;
  readonly backOffice: BackOffice;
  readonly common: CommonMessages;
  readonly clock: Clock;
  /** Failed logins in one call before the caller goes to an agent. */
  readonly maxFailedLogins: number;
  /** Relative URL of a page of this pack, carrying the session token. */
  link(page: string, query?: Readonly<Record<string, string>>): string;
  /** The back-office token of the authenticated caller (only on `auth` pages). */
  token(): string;
  /** Dialogs handing the caller to an agent with the call-attached data. */
  toAgent(reason: AgentReason, s?: Speech): VxmlEl[];
  /** The spoken typed error, then on to `next` (default: the page's parent): never dead air. */
  fail(e: BackOfficeError, next?: string): VxmlEl[];
  /** Remember a non-secret input for the agent (IVR-4). */
  note(name: string, value: string): void;
}

export interface PageDef<S> {
  /** Where 0 (back) and errors lead; the pack's home when absent. */
  readonly parent?: string;
  /** Only for a caller the back office authenticated in this call; others are sent to the login page. */
  readonly auth?: boolean;
  render(ctx: PageContext<S>): Promise<readonly VxmlEl[]> | readonly VxmlEl[];
}

export interface PackModule<S> {
  readonly name: PackName;
  /** Transfer destination for agents (an ACD queue). */
  readonly agentQueue: string;
  /** The top menu. */
  readonly home: string;
  readonly loginPage: string;
  welcome(locale: Locale): Speech;
  initialState(): S;
  readonly pages: Readonly<Record<string, PageDef<S>>>;
}

/** Page names the server answers itself. */
export const RESERVED_PAGES = ['', 'start', 'agent', 'lang'] as const;
