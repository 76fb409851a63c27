import { describe, expect, it } from 'vitest';
import { AGENT_REASONS } from '../../../packs/core/call-data.ts';
import { isSecretField } from '../../../src/ivr/call/call-inputs.ts';
import type { Interaction, Leg, QueueStatus } from '../api/types.ts';
import { CATALOGS } from '../i18n/catalogs.ts';
import { callDataRows, looksSecret, screenPopOf, VALUE_KEYS, type CallDataRow } from './screen-pop.ts';

const labelOf = (r: CallDataRow) => ('raw' in r.label ? r.label.raw : CATALOGS['en-US'][r.label.key].replace(/\{name\}/, r.label.vars?.['name'] ?? ''));
const table = (rows: CallDataRow[]) => rows.map((r) => [labelOf(r), r.valueKey ? CATALOGS['en-US'][r.valueKey] : r.value]);

describe('call data as labelled rows (CTI-5, CTI-6)', () => {
  it('a fund pack transfer: identity first, then the IVR path and inputs; duplicates once', () => {
    const cd = {
      pack: 'fund',
      locale: 'zh-CN',
      ivrSessionId: 's-1',
      reason: 'caller',
      authenticated: true,
      customer: { customerId: 'C1001', name: '张三', account: '880012345678', kind: 'fund' },
      path: ['main', 'login', 'menu'],
      inputs: { fundCode: '000001' },
      ivr: { menuPath: ['main', 'login', 'menu'], inputs: { fundCode: '000001' }, steps: 7, entryPoint: 'fund', secretFieldsEntered: ['password'] },
    };
    expect(table(callDataRows(cd))).toEqual([
      ['Customer name', '张三'],
      ['Customer ID', 'C1001'],
      ['Authenticated', true],
      ['Account', '880012345678'],
      ['Account type', 'Funds'],
      ['Reason for the transfer', 'Caller asked for an agent'],
      ['Service line', 'Funds'],
      ['Caller language', 'zh-CN'],
      ['IVR path', 'main › login › menu'],
      ['IVR entry point', 'fund'],
      ['Secrets entered (values never shown)', 'password'],
      ['IVR steps', '7'],
      ['IVR session', 's-1'],
      ['IVR input: fundCode', '000001'],
    ]);
  });

  it('fields set through the API: known names labelled, others under their own path, in their order', () => {
    expect(table(callDataRows({ note: 'wants a callback', ticketId: 'T-42', fundAccount: '1234', extra: { level: 3, tags: ['a', 'b'] } }))).toEqual([
      ['Fund account', '1234'],
      ['Ticket in progress', 'T-42'],
      ['note', 'wants a callback'],
      ['extra.level', '3'],
      ['extra.tags', 'a, b'],
    ]);
  });

  it('never shows a field that looks secret, at any depth', () => {
    const rows = callDataRows({ password: 'x', pin: '1', customer: { tradePwd: 'y', account: '1' }, ivr: { inputs: { card_pin: '2', otp: '3', amount: '10' } }, list: [{ cvv: '4' }] });
    expect(table(rows)).toEqual([
      ['Account', '1'],
      ['IVR input: amount', '10'],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/"x"|"y"|"1","2"|"3"|"4"/);
  });

  it('uses the IVR’s own secret pattern', () => {
    for (const name of ['password', 'pwd', 'pin', 'cardPin', 'card_pin', 'pinCode', 'secret', 'cvv', 'otp', 'sms_otp', 'account', 'spinner', 'fundCode', 'option']) {
      expect(looksSecret(name), name).toBe(isSecretField(name));
    }
  });

  it('empty, null and long values; nothing attached → no rows', () => {
    expect(callDataRows({})).toEqual([]);
    expect(table(callDataRows({ a: null, b: [], c: 'x'.repeat(500) }))).toEqual([
      ['a', '—'],
      ['c', `${'x'.repeat(199)}…`],
    ]);
  });

  it('a value we have no label for is shown as sent', () => {
    expect(table(callDataRows({ pack: 'insurance', reason: 'busy' }))).toEqual([
      ['Reason for the transfer', 'busy'],
      ['Service line', 'insurance'],
    ]);
  });

  it('labels every reason the IVR packs send an agent', () => {
    for (const r of AGENT_REASONS) expect(callDataRows({ reason: r })[0]!.valueKey, r).toBe(`pop.reason.${r}`);
  });

  it('every label has both languages', () => {
    for (const k of VALUE_KEYS) {
      expect(CATALOGS['en-US'][k], k).toBeTruthy();
      expect(CATALOGS['zh-CN'][k], k).toBeTruthy();
    }
    const rows = callDataRows({ customer: { name: 'a', customerId: 'b', account: 'c', kind: 'd' }, customerName: 'n', customerId: 'i', authenticated: false, account: 'e', fundAccount: 'f', shareholderAccount: 'g', lockedAccount: 'h', customerLevel: 'vip', region: 'r', ticket: 't', reason: 'x', request: { kind: 'update-mobile', mobile: '139' }, pack: 'p', locale: 'l', path: ['m'], ani: '1', ivrSessionId: 's', ivr: { entryPoint: 'e', steps: 1, secretFieldsEntered: ['pin'], inputs: { q: '1' } } });
    for (const r of rows) {
      expect('key' in r.label, r.path).toBe(true);
      if ('key' in r.label) {
        expect(CATALOGS['en-US'][r.label.key]).toBeTruthy();
        expect(CATALOGS['zh-CN'][r.label.key]).toBeTruthy();
      }
    }
  });
});

describe('screen pop of the agent’s interaction (CTI-6)', () => {
  const T0 = Date.parse('2026-12-06T10:00:00Z');
  const leg = (kind: Leg['party']['kind'], id: string, state: Leg['state'], extra: Partial<Leg> = {}): Leg => ({ id: `${kind}-${id}`, party: { kind, id }, direction: kind === 'customer' ? 'inbound' : 'outbound', state, createdAt: T0, ...extra });
  const queues: QueueStatus[] = [{ id: 'general', name: 'General enquiries', waiting: 0, longestWaitSec: 0, serviceLevel: null, serviceLevelThresholdSec: 20, asaSec: null, ahtSec: 0 }];
  const ix = (legs: Leg[], more: Partial<Interaction> = {}): Interaction => ({ id: 'ix-1', state: 'ringing', customer: { number: '8009' }, callData: { ticketId: 'T-1' }, legs, startedAt: new Date(T0).toISOString(), ...more });

  it('ringing: caller, entry, queue name, wait until now', () => {
    const pop = screenPopOf(ix([leg('customer', 'c', 'connected'), leg('agent', '8001', 'ringing', { createdAt: T0 + 4000, ringAt: T0 + 4200 })], { entryPoint: '95001', queueId: 'general' }), '8001', queues, T0 + 9400);
    expect(pop).toEqual({ interactionId: 'ix-1', caller: '8009', entry: '95001', queue: { id: 'general', name: 'General enquiries' }, waitedSec: 9, rows: [{ path: 'ticketId', label: { key: 'pop.field.ticket' }, value: 'T-1' }] });
  });

  it('answered: the wait stops at this agent’s answer; a queue the list does not know keeps its id', () => {
    const pop = screenPopOf(
      ix([leg('customer', 'c', 'connected'), leg('agent', '8002', 'terminated', { answerAt: T0 + 1000 }), leg('agent', '8001', 'connected', { answerAt: T0 + 12_000 })], { state: 'talking', queueId: 'vip', customer: { number: '13900000000', name: 'Li' } }),
      '8001',
      queues,
      T0 + 60_000,
    );
    expect(pop).toMatchObject({ caller: '13900000000', callerName: 'Li', queue: { id: 'vip' }, waitedSec: 12, answeredAt: T0 + 12_000 });
    expect(pop.entry).toBeUndefined();
  });

  it('a call the agent made: no customer wait', () => {
    const pop = screenPopOf(ix([leg('agent', '8001', 'connected', { answerAt: T0 }), leg('external', '95000', 'early')], { state: 'talking', customer: { number: '95000' }, callData: {} }), '8001', [], T0 + 5000);
    expect(pop).toEqual({ interactionId: 'ix-1', caller: '95000', answeredAt: T0, rows: [] });
  });
});
