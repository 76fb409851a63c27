/**
 * Who may see the customer behind a call and file its wrap-up note (CTI-6,
 * CRM-1, CRM-3): supervisors and admins any call; an agent only a call it
 * is or was a party of (offered, talking, held, or in its record). The
 * customer's identity comes from the call-attached data the IVR packs set
 * (`authenticated: true` with `customer.account`), never from the client.
 */
import type { FastifyRequest } from 'fastify';
import type { BackOffice, CustomerOverview } from '../../backoffice/index.ts';
import type { ContactCustomer, RecordBundle } from '../../switch/records/index.ts';
import type { InteractionView } from '../../switch/runtime/interaction-view.ts';
import type { User } from '../../store/user-store.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiError, type ApiErrorCode } from '../api-error.ts';
import { authenticate } from '../auth.ts';
import type { ContactLogged } from '../../switch/records/index.ts';
import type { SettingsStore } from './wrap-up-categories.ts';

/** An ApiError whose body carries a typed code of its own (listed in the OpenAPI document). */
export class CrmApiError extends ApiError {
  constructor(typedCode: CrmErrorCode, message: string, base: ApiErrorCode) {
    super(base, message);
    Object.defineProperty(this, 'code', { value: typedCode, enumerable: true });
  }
}

export const CRM_ERROR_CODES = ['not-on-call', 'no-call-record', 'unknown-category', 'no-back-office'] as const;
export type CrmErrorCode = (typeof CRM_ERROR_CODES)[number];

/** What the screen-pop and wrap-up routes need besides ApiDeps (the composition root gives them). */
export interface CrmRouteDeps {
  /** Live and recently ended interactions with their call data (the switch runtime). */
  calls: { get(interactionId: string): InteractionView };
  /** The call records as they stand (the recorder: in memory while held, else stored) and the contact log. */
  records: {
    find(interactionId: string): Promise<RecordBundle | undefined>;
    logContact(note: ContactLogged): Promise<boolean>;
  };
  /** The broker's back office (profile, class, status); without it the pop has no profile. */
  backOffice?: BackOffice;
  /** Where the category list is kept (the `meta` table). */
  settings: SettingsStore;
  /** The center's time zone for "today" in the caller's history (default Asia/Shanghai, as the ACD's). */
  timeZone?: string;
}

export interface CallAccess {
  user: User;
  /** The user's party id on calls: the ACD agent id for agents (login or extension). */
  partyId: string;
  view?: InteractionView;
  record?: RecordBundle;
}

export function viewOf(crm: CrmRouteDeps, id: string): InteractionView | undefined {
  try {
    return crm.calls.get(id);
  } catch {
    return undefined;
  }
}

function partyIdOf(user: User, deps: ApiDeps): string {
  try {
    return deps.acd?.resolveAgent(user.username) ?? user.username;
  } catch {
    return user.username;
  }
}

/** The caller may read this interaction's customer; 404 when the call is unknown, 403 when not theirs. */
export async function callAccess(req: FastifyRequest, deps: ApiDeps, crm: CrmRouteDeps, id: string): Promise<CallAccess> {
  const user = await authenticate(req, deps, 'agent');
  const partyId = partyIdOf(user, deps);
  const view = viewOf(crm, id);
  const record = await crm.records.find(id);
  if (view === undefined && record === undefined) throw new CrmApiError('no-call-record', `no interaction ${id}`, 'not-found');
  const mine = (kind: string, pid: string) => (kind === 'agent' || kind === 'supervisor') && (pid === partyId || pid === user.username);
  const onCall = (view?.legs.some((l) => mine(l.party.kind, l.party.id)) ?? false) || (record?.record.parties.some((p) => mine(p.kind, p.id)) ?? false);
  if (user.role === 'agent' && !onCall) throw new CrmApiError('not-on-call', `${user.username} was not on interaction ${id}`, 'forbidden');
  return { user, partyId, ...(view ? { view } : {}), ...(record ? { record } : {}) };
}

/** The authenticated customer the IVR attached to the call, if any. */
export function attachedIdentity(view: InteractionView | undefined): { account: string; kind?: string; name?: string; customerId?: string } | undefined {
  const d = view?.callData as Record<string, unknown> | undefined;
  if (d === undefined || d.authenticated !== true) return undefined;
  const c = d.customer as Record<string, unknown> | undefined;
  if (c === undefined || typeof c !== 'object' || typeof c.account !== 'string' || c.account === '') return undefined;
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const kind = s(c.kind);
  const name = s(c.name);
  const customerId = s(c.customerId);
  return { account: c.account, ...(kind ? { kind } : {}), ...(name ? { name } : {}), ...(customerId ? { customerId } : {}) };
}

/** The contact log's customer fields (CRM-3) from the identity and, when read, the back office's overview. */
export function contactCustomer(id: NonNullable<ReturnType<typeof attachedIdentity>>, o: CustomerOverview | undefined): ContactCustomer {
  const sh = o?.fundAccounts.find((a) => a.fundAccount === id.account)?.shareholderAccounts[0]?.id;
  const name = o?.profile.name ?? id.name;
  const customerId = o?.profile.customerId ?? id.customerId;
  return {
    account: id.account,
    ...(customerId ? { customerId } : {}),
    ...(name ? { name } : {}),
    ...(id.kind ? { kind: id.kind } : {}),
    ...(o ? { branchCode: o.profile.branch.code, branchName: o.profile.branch.name } : {}),
    ...(sh ? { shareholderAccount: sh } : {}),
  };
}
