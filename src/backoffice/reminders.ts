/**
 * CRM-5 service reminders (客户提醒): what the agent should raise with an
 * identified customer, derived from the back office's screen-pop overview
 * only (no invented data): a locked fund account or card, a lost card, open
 * orders, fund requests awaiting confirmation, a birthday within a week
 * (Beijing date). Pure; the desktop shows them prominently.
 *
 * Not covered: manually entered service notes (the tender's 服务信息内容人工录入)
 * need a CRM store of their own.
 */
import type { CustomerOverview } from './port.ts';

export type Reminder =
  | { kind: 'account-locked'; account: string }
  | { kind: 'card-lost'; account: string }
  | { kind: 'card-locked'; account: string }
  | { kind: 'open-orders'; account: string; count: number }
  | { kind: 'fund-requests'; account: string; count: number }
  | { kind: 'birthday'; inDays: number };

export const REMINDER_KINDS = ['account-locked', 'card-lost', 'card-locked', 'open-orders', 'fund-requests', 'birthday'] as const;

const BEIJING_MS = 8 * 3_600_000;
const DAY = 86_400_000;
/** Birthdays this many days ahead (and today) are reminded. */
export const BIRTHDAY_WINDOW_DAYS = 7;

/** Days from the Beijing date of `nowMs` to the next MMDD birthday (0 = today); undefined for a malformed MMDD. */
export function daysToBirthday(mmdd: string, nowMs: number): number | undefined {
  const m = /^(\d{2})(\d{2})$/.exec(mmdd);
  if (!m) return undefined;
  const month = Number(m[1]) - 1;
  const day = Number(m[2]);
  if (month < 0 || month > 11 || day < 1 || day > 31) return undefined;
  const today = new Date(nowMs + BEIJING_MS);
  const y = today.getUTCFullYear();
  const start = Date.UTC(y, today.getUTCMonth(), today.getUTCDate());
  for (const year of [y, y + 1]) {
    // 29 February outside a leap year falls on 1 March.
    const at = Date.UTC(year, month, day);
    if (at >= start) return Math.round((at - start) / DAY);
  }
  return undefined;
}

export function serviceReminders(o: CustomerOverview, nowMs: number): Reminder[] {
  const out: Reminder[] = [];
  for (const a of o.fundAccounts) if (a.status === 'locked') out.push({ kind: 'account-locked', account: a.fundAccount });
  for (const c of o.cards) {
    if (c.status === 'lost') out.push({ kind: 'card-lost', account: c.cardNumber });
    else if (c.status === 'locked') out.push({ kind: 'card-locked', account: c.cardNumber });
  }
  for (const a of o.fundAccounts) {
    if (a.openOrders > 0) out.push({ kind: 'open-orders', account: a.fundAccount, count: a.openOrders });
    if (a.fundRequestsInProgress > 0) out.push({ kind: 'fund-requests', account: a.fundAccount, count: a.fundRequestsInProgress });
  }
  if (o.birthday !== undefined) {
    const d = daysToBirthday(o.birthday, nowMs);
    if (d !== undefined && d <= BIRTHDAY_WINDOW_DAYS) out.push({ kind: 'birthday', inDays: d });
  }
  return out;
}
