/**
 * The screen pop (CTI-5, CTI-6): what the agent desktop shows about the call
 * offered to or held by the signed-in agent, from the live interaction
 * (GET /api/v1/calls) and the queues. Pure.
 *
 * - the caller's number (and name when the switch knows one), the entry or
 *   service number the call came in on, the queue, how long the customer
 *   waited (from the call's arrival until this agent answered, or until now
 *   while it rings) and when this agent answered;
 * - the call-attached data as a labelled list: identity fields the IVR packs
 *   attach (customer, account, authenticated...), the IVR path and inputs,
 *   a ticket in progress, and any other field under its own name.
 *
 * Secrets: fields the IVR marks secret never reach the switch (src/ivr/call/
 * call-inputs.ts); as a second line of defence any field whose name looks
 * like one (the IVR's own pattern) is dropped here too, wherever it is.
 */
import type { Interaction, Leg, QueueStatus } from '../api/types.ts';
import type { MessageKey } from '../i18n/catalogs.ts';

/** The IVR's secret-field pattern (src/ivr/call/call-inputs.ts; screen-pop.test.ts checks they agree). */
const SECRET = /pass|pwd|^pin|pin$|_pin|secret|cvv|(^|_)otp/i;

export function looksSecret(name: string): boolean {
  return SECRET.test(name);
}

export type RowLabel = { key: MessageKey; vars?: Record<string, string> } | { raw: string };

export interface CallDataRow {
  /** The field's path in the call data, e.g. `customer.account`. */
  path: string;
  label: RowLabel;
  /** Text, or a yes/no the page translates. */
  value: string | boolean;
  /** A catalog label for a known value (service line, transfer reason), shown instead of the raw text. */
  valueKey?: MessageKey;
}

export interface ScreenPop {
  interactionId: string;
  caller: string;
  callerName?: string;
  /** The service number or entry point the call came in on. */
  entry?: string;
  queue?: { id: string; name?: string };
  /** Seconds from the call's arrival until this agent answered (or `now`). */
  waitedSec?: number;
  /** When this agent answered (epoch ms). */
  answeredAt?: number;
  rows: CallDataRow[];
}

/** Fields with a label of their own, in the order they are shown (identity first). */
const KNOWN: readonly [path: string, key: MessageKey][] = [
  ['customer.name', 'pop.field.customerName'],
  ['customerName', 'pop.field.customerName'],
  ['customer.customerId', 'pop.field.customerId'],
  ['customerId', 'pop.field.customerId'],
  ['authenticated', 'pop.field.authenticated'],
  ['customer.account', 'pop.field.account'],
  ['account', 'pop.field.account'],
  ['fundAccount', 'pop.field.fundAccount'],
  ['customer.kind', 'pop.field.accountKind'],
  ['shareholderAccount', 'pop.field.shareholderAccount'],
  ['lockedAccount', 'pop.field.lockedAccount'],
  ['customerLevel', 'pop.field.customerLevel'],
  ['region', 'pop.field.region'],
  ['ticket', 'pop.field.ticket'],
  ['ticketId', 'pop.field.ticket'],
  ['reason', 'pop.field.reason'],
  ['request.kind', 'pop.field.requestKind'],
  ['request.mobile', 'pop.field.requestMobile'],
  ['pack', 'pop.field.pack'],
  ['locale', 'pop.field.locale'],
  ['path', 'pop.field.ivrPath'],
  ['ivr.menuPath', 'pop.field.ivrPath'],
  ['ivr.entryPoint', 'pop.field.ivrEntryPoint'],
  ['ivr.secretFieldsEntered', 'pop.field.secretEntered'],
  ['ivr.steps', 'pop.field.ivrSteps'],
  ['ani', 'pop.field.ani'],
  ['ivrSessionId', 'pop.field.ivrSession'],
];
const KNOWN_INDEX = new Map(KNOWN.map(([p, k], i) => [p, { key: k, order: i }]));
/** Objects whose members are IVR inputs by name. */
const INPUT_GROUPS = new Set(['inputs', 'ivr.inputs']);
/** The IVR's list of the secret fields the caller entered: their names only, so it is shown. */
const NAMES_OF_SECRETS = 'ivr.secretFieldsEntered';

/** Values with a label of their own: the IVR packs' service lines and reasons for going to an agent (packs/core/call-data.ts). */
const SERVICE_LINES = ['securities', 'fund', 'bank'] as const;
const TRANSFER_REASONS = ['caller', 'retries', 'account-locked', 'card-lost', 'too-many-logins', 'contact-change'] as const;
const KNOWN_VALUES: Readonly<Record<string, (v: string) => MessageKey | undefined>> = {
  pack: (v) => ((SERVICE_LINES as readonly string[]).includes(v) ? (`pop.line.${v}` as MessageKey) : undefined),
  'customer.kind': (v) => ((SERVICE_LINES as readonly string[]).includes(v) ? (`pop.line.${v}` as MessageKey) : undefined),
  reason: (v) => ((TRANSFER_REASONS as readonly string[]).includes(v) ? (`pop.reason.${v}` as MessageKey) : undefined),
};
export const VALUE_KEYS: readonly MessageKey[] = [
  ...SERVICE_LINES.map((v) => `pop.line.${v}` as MessageKey),
  ...TRANSFER_REASONS.map((v) => `pop.reason.${v}` as MessageKey),
];

const MAX_ROWS = 60;
const MAX_DEPTH = 4;
const MAX_TEXT = 200;

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
const isScalar = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function scalarText(v: string | number | boolean | null): string | boolean {
  if (v === null) return '—';
  if (typeof v === 'boolean') return v;
  return clip(String(v));
}

/** Call data as labelled rows: known fields first in a fixed order, then the rest as they come; no secrets, no duplicates. */
export function callDataRows(callData: Readonly<Record<string, unknown>>): CallDataRow[] {
  const found: { row: CallDataRow; order: number; seq: number }[] = [];
  let seq = 0;
  const add = (path: string, label: RowLabel, value: string | boolean, order: number): void => {
    const valueKey = typeof value === 'string' ? KNOWN_VALUES[path]?.(value) : undefined;
    found.push({ row: { path, label, value, ...(valueKey ? { valueKey } : {}) }, order, seq: seq++ });
  };

  const walk = (value: unknown, path: string[], depth: number): void => {
    const name = path[path.length - 1]!;
    const joined = path.join('.');
    if (looksSecret(name) && joined !== NAMES_OF_SECRETS) return;
    const known = KNOWN_INDEX.get(joined);
    const parent = path.slice(0, -1).join('.');
    const label: RowLabel = known ? { key: known.key } : INPUT_GROUPS.has(parent) ? { key: 'pop.field.input', vars: { name } } : { raw: joined };
    const order = known ? known.order : KNOWN.length;
    if (isScalar(value)) return add(joined, label, scalarText(value), order);
    if (Array.isArray(value)) {
      const parts = value.filter(isScalar).map((v) => String(scalarText(v)));
      if (parts.length === value.length) {
        if (parts.length > 0) add(joined, label, clip(parts.join(joined.endsWith('ath') ? ' › ' : ', ')), order);
        return;
      }
      if (depth < MAX_DEPTH) value.forEach((v, i) => walk(v, [...path, String(i)], depth + 1));
      return;
    }
    if (value && typeof value === 'object' && depth < MAX_DEPTH) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], depth + 1);
    }
  };
  for (const [k, v] of Object.entries(callData)) walk(v, [k], 1);

  found.sort((a, b) => a.order - b.order || a.seq - b.seq);
  const seen = new Set<string>();
  const rows: CallDataRow[] = [];
  for (const { row } of found) {
    const id = `${JSON.stringify(row.label)}=${String(row.value)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    rows.push(row);
    if (rows.length === MAX_ROWS) break;
  }
  return rows;
}

const mine = (l: Leg, agentId: string) => l.party.kind === 'agent' && l.party.id === agentId;

/** The screen pop for the agent's interaction. */
export function screenPopOf(ix: Interaction, agentId: string, queues: readonly QueueStatus[], now: number): ScreenPop {
  const legs = ix.legs.filter((l) => mine(l, agentId));
  const my = legs.find((l) => l.state !== 'terminated') ?? legs.at(-1);
  const customer = ix.legs.find((l) => l.party.kind === 'customer');
  const pop: ScreenPop = { interactionId: ix.id, caller: ix.customer.number, rows: callDataRows(ix.callData) };
  if (ix.customer.name) pop.callerName = ix.customer.name;
  if (ix.entryPoint) pop.entry = ix.entryPoint;
  if (ix.queueId) {
    const name = queues.find((q) => q.id === ix.queueId)?.name;
    pop.queue = { id: ix.queueId, ...(name ? { name } : {}) };
  }
  if (customer && customer.direction === 'inbound') {
    const until = my?.answerAt ?? now;
    pop.waitedSec = Math.max(0, Math.round((until - customer.createdAt) / 1000));
  }
  if (my?.answerAt !== undefined) pop.answeredAt = my.answerAt;
  return pop;
}
