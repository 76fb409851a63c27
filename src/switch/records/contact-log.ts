/**
 * CRM-3 contact logs (来电登记) on call records: the `contact.logged` event
 * becomes the record's `contacts` entry of that agent (a second note from the
 * same agent replaces the first). Pure helpers, plus the one impure step:
 * a note filed after the record left the projection (the call ended and its
 * wrap-up closed) is merged into the stored record, under the store's
 * "higher sequence wins" guard, so a later replay of the call's events
 * (which ends at a lower sequence) never drops it.
 */
import type { CallRecord, ContactLog } from './call-record.ts';
import type { CallRecordStore } from './ports.ts';
import type { ContactLogged } from './record-events.ts';

export function contactOf(e: ContactLogged): ContactLog {
  return {
    agentId: e.agentId,
    at: e.at,
    category: e.category,
    selfEvaluation: e.selfEvaluation,
    summary: e.summary,
    ...(e.customer ? { customer: { ...e.customer } } : {}),
  };
}

/** The contacts with `c` in place of any earlier note of the same agent (order of first filing kept). */
export function withContactLog(contacts: readonly ContactLog[] | undefined, c: ContactLog): ContactLog[] {
  const list = [...(contacts ?? [])];
  const i = list.findIndex((x) => x.agentId === c.agentId);
  if (i >= 0) list[i] = c;
  else list.push(c);
  return list;
}

/** The record with the note merged, at sequence `seq`. */
export function recordWithContact(record: CallRecord, e: ContactLogged, seq: number): CallRecord {
  return { ...record, contacts: withContactLog(record.contacts, contactOf(e)), lastSeq: Math.max(record.lastSeq, seq) };
}

/**
 * Merges a late note into the stored record; false when no record is stored
 * (the note stays in the event log only).
 */
export async function mergeLateContact(store: CallRecordStore, e: ContactLogged, seq: number): Promise<boolean> {
  const stored = await store.get(e.interaction);
  if (stored === undefined) return false;
  if (stored.record.lastSeq >= seq) return true; // already merged (a replay)
  await store.upsert([{ record: recordWithContact(stored.record, e, seq), legs: [] }]);
  return true;
}
