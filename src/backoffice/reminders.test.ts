import { describe, expect, it } from 'vitest';
import type { CustomerOverview } from './port.ts';
import { daysToBirthday, serviceReminders } from './reminders.ts';

const profile = {
  customerId: 'C1', name: '王建国', gender: 'M' as const, branch: { code: '0101', name: '上海营业部' }, phones: ['13800000000'],
  idNumberMasked: '310101********1234', riskLevel: 'C3' as const, fundAccounts: ['10000001'], cardNumbers: ['6222020000000001'], openedOn: '20200101',
};
const overview = (over: Partial<CustomerOverview> = {}): CustomerOverview => ({
  profile, customerClass: 'gold',
  fundAccounts: [{ fundAccount: '10000001', status: 'normal', shareholderAccounts: [], openOrders: 0, fundRequestsInProgress: 0 }],
  cards: [{ cardNumber: '6222020000000001', status: 'normal' }], ...over,
});
/** 2026-11-23 10:00 Beijing. */
const NOW = Date.UTC(2026, 10, 23, 2, 0);

describe('service reminders (CRM-5)', () => {
  it('none for a customer with nothing pending', () => {
    expect(serviceReminders(overview({ birthday: '0601' }), NOW)).toEqual([]);
  });
  it('locked account, lost and locked cards, open orders and fund requests, in that order', () => {
    const o = overview({
      fundAccounts: [
        { fundAccount: '10000001', status: 'locked', shareholderAccounts: [], openOrders: 2, fundRequestsInProgress: 1 },
      ],
      cards: [{ cardNumber: 'A', status: 'lost' }, { cardNumber: 'B', status: 'locked' }],
    });
    expect(serviceReminders(o, NOW)).toEqual([
      { kind: 'account-locked', account: '10000001' },
      { kind: 'card-lost', account: 'A' },
      { kind: 'card-locked', account: 'B' },
      { kind: 'open-orders', account: '10000001', count: 2 },
      { kind: 'fund-requests', account: '10000001', count: 1 },
    ]);
  });
  it('birthday today or within seven days on the Beijing calendar', () => {
    expect(serviceReminders(overview({ birthday: '1123' }), NOW)).toEqual([{ kind: 'birthday', inDays: 0 }]);
    expect(serviceReminders(overview({ birthday: '1130' }), NOW)).toEqual([{ kind: 'birthday', inDays: 7 }]);
    expect(serviceReminders(overview({ birthday: '1201' }), NOW)).toEqual([]);
    expect(serviceReminders(overview({ birthday: '1122' }), NOW)).toEqual([]);
    // 23:30 UTC on the 22nd is already the 23rd in Beijing.
    expect(daysToBirthday('1123', Date.UTC(2026, 10, 22, 23, 30))).toBe(0);
    // Across the new year.
    expect(daysToBirthday('0102', Date.UTC(2026, 11, 30, 2))).toBe(3);
    expect(daysToBirthday('1399', NOW)).toBeUndefined();
  });
});
