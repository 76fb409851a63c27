/**
 * The back-office part of the screen pop and the wrap-up form, as pure
 * functions (CTI-6, CRM-1, CRM-3, CRM-5): profile rows for the
 * authenticated customer (name, class, branch, each account's status with
 * its shareholder accounts, phone, card status), reminders as messages,
 * the caller's history line, and the wrap-up draft's checks and body.
 */
import type { ContactLog, CustomerOverview, PastCall, Reminder, ScreenPopData, SelfEvaluation, WrapupCategory } from '../api/crm-types.ts';
import type { Locale, MessageKey } from '../i18n/catalogs.ts';

export type Text = { key: MessageKey; vars?: Record<string, string | number> } | { raw: string };

export interface ProfileRow {
  id: string;
  label: MessageKey;
  value: Text;
  /** An account's or card's status, shown as a tag next to it (statusKey). */
  status?: string;
  /** Shown in red (a locked account, a lost card). */
  alert?: boolean;
}

const STATUS_KEY: Readonly<Record<string, MessageKey>> = {
  normal: 'crm.status.normal',
  locked: 'crm.status.locked',
  lost: 'crm.status.lost',
};
const CLASS_KEY: Readonly<Record<CustomerOverview['customerClass'], MessageKey>> = {
  standard: 'crm.class.standard',
  gold: 'crm.class.gold',
  vip: 'crm.class.vip',
};

/** The profile as labelled rows; the account the caller authenticated with first. */
export function profileRows(o: CustomerOverview, account?: string): ProfileRow[] {
  const p = o.profile;
  const rows: ProfileRow[] = [
    { id: 'name', label: 'crm.profile.name', value: { raw: p.name } },
    { id: 'class', label: 'crm.profile.class', value: { key: CLASS_KEY[o.customerClass] } },
    { id: 'branch', label: 'crm.profile.branch', value: { raw: `${p.branch.name} (${p.branch.code})` } },
  ];
  const accounts = [...o.fundAccounts].sort((a, b) => Number(b.fundAccount === account) - Number(a.fundAccount === account));
  for (const a of accounts) {
    rows.push({
      id: `account-${a.fundAccount}`,
      label: 'crm.profile.accountStatus',
      value: { raw: a.fundAccount },
      status: a.status,
      ...(a.status !== 'normal' ? { alert: true } : {}),
    });
    if (a.shareholderAccounts.length > 0) {
      rows.push({ id: `shareholders-${a.fundAccount}`, label: 'crm.profile.shareholders', value: { raw: a.shareholderAccounts.map((s) => `${s.id} (${s.market})`).join(', ') } });
    }
  }
  for (const c of o.cards) {
    rows.push({ id: `card-${c.cardNumber}`, label: 'crm.profile.cardStatus', value: { raw: c.cardNumber }, status: c.status, ...(c.status !== 'normal' ? { alert: true } : {}) });
  }
  if (p.phones.length > 0) rows.push({ id: 'phone', label: 'crm.profile.phone', value: { raw: p.phones.join(', ') } });
  rows.push({ id: 'risk', label: 'crm.profile.riskLevel', value: { raw: p.riskLevel } });
  rows.push({ id: 'idNumber', label: 'crm.profile.idNumber', value: { raw: p.idNumberMasked } });
  return rows;
}

/** The catalog key of an account or card status. */
export function statusKey(status: string): MessageKey | undefined {
  return STATUS_KEY[status];
}

export function reminderText(r: Reminder): Text {
  switch (r.kind) {
    case 'birthday':
      return r.inDays === 0 ? { key: 'crm.reminder.birthdayToday' } : { key: 'crm.reminder.birthday', vars: { days: r.inDays ?? 0 } };
    case 'open-orders':
    case 'fund-requests':
      return { key: `crm.reminder.${r.kind}`, vars: { account: r.account ?? '', count: r.count ?? 0 } };
    default:
      return { key: `crm.reminder.${r.kind}`, vars: { account: r.account ?? '' } };
  }
}

export const REMINDER_KEYS: readonly MessageKey[] = [
  'crm.reminder.account-locked', 'crm.reminder.card-lost', 'crm.reminder.card-locked', 'crm.reminder.open-orders',
  'crm.reminder.fund-requests', 'crm.reminder.birthday', 'crm.reminder.birthdayToday',
];

/** The category's name in the locale; the id itself when the list no longer has it. */
export function categoryName(list: readonly WrapupCategory[], id: string, locale: Locale): string {
  const c = list.find((x) => x.id === id);
  return c === undefined ? id : locale === 'zh-CN' ? c.zh : c.en;
}

/** The latest wrap-up note of a past call (what the pop shows in the history), if any. */
export function latestNote(call: PastCall): ContactLog | undefined {
  return [...call.contacts].sort((a, b) => b.at.localeCompare(a.at))[0];
}

export function historyLine(h: ScreenPopData['history']): Text {
  return h.total === 0 ? { key: 'crm.history.first' } : { key: 'crm.history.summary', vars: { total: h.total, today: h.today } };
}

export interface WrapupDraft {
  category?: string;
  selfEvaluation?: SelfEvaluation;
  summary: string;
}

export const SUMMARY_MAX = 2000;

/** What keeps the draft from being filed, as catalog keys (empty: it can be filed). */
export function wrapupProblems(d: WrapupDraft, categories: readonly WrapupCategory[]): MessageKey[] {
  const out: MessageKey[] = [];
  if (!d.category || !categories.some((c) => c.id === d.category)) out.push('crm.wrapup.needCategory');
  if (!d.selfEvaluation) out.push('crm.wrapup.needEvaluation');
  const s = d.summary.trim();
  if (s.length === 0) out.push('crm.wrapup.needSummary');
  else if (s.length > SUMMARY_MAX) out.push('crm.wrapup.summaryTooLong');
  return out;
}

/** The request body of POST /api/v1/interactions/:id/wrap-up. */
export function wrapupBody(d: WrapupDraft, done: boolean): { category: string; selfEvaluation: SelfEvaluation; summary: string; done: boolean } {
  return { category: d.category ?? '', selfEvaluation: d.selfEvaluation ?? 'good', summary: d.summary.trim(), done };
}

/** A draft from an earlier note of this agent on the call (editing it), else empty. */
export function draftFrom(note: ContactLog | undefined): WrapupDraft {
  return note ? { category: note.category, selfEvaluation: note.selfEvaluation, summary: note.summary } : { summary: '' };
}
