import { describe, expect, it } from 'vitest';
import type { CustomerOverview, ScreenPopData, WrapupCategory } from '../api/crm-types.ts';
import { CATALOGS } from '../i18n/catalogs.ts';
import { categoryName, draftFrom, historyLine, latestNote, profileRows, REMINDER_KEYS, reminderText, statusKey, wrapupBody, wrapupProblems } from './customer-pop.ts';

const overview: CustomerOverview = {
  profile: {
    customerId: 'C1', name: '王建国', gender: 'M', branch: { code: '0101', name: '上海浦东营业部' }, phones: ['13800000001'], idNumberMasked: '310101********1234',
    riskLevel: 'C3', fundAccounts: ['10000009', '10000001'], cardNumbers: ['6222020000000001'], openedOn: '20200101',
  },
  customerClass: 'gold',
  fundAccounts: [
    { fundAccount: '10000009', status: 'normal', shareholderAccounts: [], openOrders: 0, fundRequestsInProgress: 0 },
    { fundAccount: '10000001', status: 'locked', shareholderAccounts: [{ id: 'A100000011', market: 'SH', index: 1 }, { id: '0100000011', market: 'SZ', index: 2 }], openOrders: 1, fundRequestsInProgress: 0 },
  ],
  cards: [{ cardNumber: '6222020000000001', status: 'lost' }],
};
const categories: WrapupCategory[] = [{ id: 'trading', zh: '委托交易', en: 'Trading' }, { id: 'complaint', zh: '投诉', en: 'Complaint' }];

describe('profile rows (CRM-1, CTI-6)', () => {
  it('name, class, branch, then the authenticated account first with its status and shareholder accounts, cards, phone', () => {
    const rows = profileRows(overview, '10000001');
    expect(rows.map((r) => r.id)).toEqual(['name', 'class', 'branch', 'account-10000001', 'shareholders-10000001', 'account-10000009', 'card-6222020000000001', 'phone', 'risk', 'idNumber']);
    expect(rows[1]!.value).toEqual({ key: 'crm.class.gold' });
    expect(rows[2]!.value).toEqual({ raw: '上海浦东营业部 (0101)' });
    expect(rows[3]).toMatchObject({ alert: true, value: { raw: '10000001' }, status: 'locked' });
    expect(rows[4]!.value).toEqual({ raw: 'A100000011 (SH), 0100000011 (SZ)' });
    expect(rows[5]!.alert).toBeUndefined();
    expect(rows[6]!.alert).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/password|pin/i);
  });
  it('every status and class has a message in both catalogs', () => {
    for (const s of ['normal', 'locked', 'lost']) expect(statusKey(s)).toBeDefined();
    for (const loc of ['en-US', 'zh-CN'] as const) {
      for (const k of [...REMINDER_KEYS, 'crm.class.standard', 'crm.class.gold', 'crm.class.vip', 'crm.status.normal', 'crm.status.locked', 'crm.status.lost'] as const) expect(CATALOGS[loc][k]).toBeTruthy();
    }
  });
});

describe('reminders and history (CRM-5, CTI-6)', () => {
  it('maps each reminder to a message with its values', () => {
    expect(reminderText({ kind: 'account-locked', account: '10000001' })).toEqual({ key: 'crm.reminder.account-locked', vars: { account: '10000001' } });
    expect(reminderText({ kind: 'open-orders', account: '10000001', count: 2 })).toEqual({ key: 'crm.reminder.open-orders', vars: { account: '10000001', count: 2 } });
    expect(reminderText({ kind: 'birthday', inDays: 0 })).toEqual({ key: 'crm.reminder.birthdayToday' });
    expect(reminderText({ kind: 'birthday', inDays: 3 })).toEqual({ key: 'crm.reminder.birthday', vars: { days: 3 } });
  });
  it('first call or counts; the latest note of a past call', () => {
    const h: ScreenPopData['history'] = { total: 0, today: 0, talkMs: 0, items: [] };
    expect(historyLine(h)).toEqual({ key: 'crm.history.first' });
    expect(historyLine({ ...h, total: 4, today: 1 })).toEqual({ key: 'crm.history.summary', vars: { total: 4, today: 1 } });
    const call = { id: 'a', startedAt: '', talkMs: 0, status: 'ended' as const, agents: [], contacts: [
      { agentId: '8001', at: '2026-01-01T10:00:00.000Z', category: 'trading', selfEvaluation: 'good' as const, summary: 'first' },
      { agentId: '8002', at: '2026-01-01T10:05:00.000Z', category: 'complaint', selfEvaluation: 'fair' as const, summary: 'second' },
    ] };
    expect(latestNote(call)?.summary).toBe('second');
    expect(latestNote({ ...call, contacts: [] })).toBeUndefined();
  });
});

describe('wrap-up draft (CRM-3)', () => {
  it('needs a listed category, a self-evaluation and a summary of at most 2000 characters', () => {
    expect(wrapupProblems({ summary: '' }, categories)).toEqual(['crm.wrapup.needCategory', 'crm.wrapup.needEvaluation', 'crm.wrapup.needSummary']);
    expect(wrapupProblems({ category: 'astrology', selfEvaluation: 'good', summary: 'x' }, categories)).toEqual(['crm.wrapup.needCategory']);
    expect(wrapupProblems({ category: 'trading', selfEvaluation: 'good', summary: '   ' }, categories)).toEqual(['crm.wrapup.needSummary']);
    expect(wrapupProblems({ category: 'trading', selfEvaluation: 'poor', summary: 'x'.repeat(2001) }, categories)).toEqual(['crm.wrapup.summaryTooLong']);
    expect(wrapupProblems({ category: 'trading', selfEvaluation: 'fair', summary: ' 查询 ' }, categories)).toEqual([]);
  });
  it('builds the body with a trimmed summary, and a draft from an earlier note', () => {
    expect(wrapupBody({ category: 'trading', selfEvaluation: 'fair', summary: ' 查询 ' }, true)).toEqual({ category: 'trading', selfEvaluation: 'fair', summary: '查询', done: true });
    expect(draftFrom(undefined)).toEqual({ summary: '' });
    expect(draftFrom({ agentId: 'a', at: '', category: 'complaint', selfEvaluation: 'poor', summary: 's' })).toEqual({ category: 'complaint', selfEvaluation: 'poor', summary: 's' });
  });
  it('names categories in the locale, the id when unknown', () => {
    expect(categoryName(categories, 'trading', 'zh-CN')).toBe('委托交易');
    expect(categoryName(categories, 'trading', 'en-US')).toBe('Trading');
    expect(categoryName(categories, 'gone', 'en-US')).toBe('gone');
  });
});
