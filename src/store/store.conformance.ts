/**
 * One conformance suite for every store back end (STYLE.md "one conformance
 * suite per interface"). Each back end's test file calls storeConformance()
 * with a way to create and drop an empty database; every case runs on a
 * wiped schema. Requirement: DESIGN.md "every test that touches storage runs
 * against both SQLite and PostgreSQL"; OPS-2 (bans, security events), OPS-5.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Registration, SecurityEvent } from '../sip/ports.ts';
import { auditStoreCases } from './audit-store.conformance.ts';
import { callRecordStoreCases } from './call-record-store.conformance.ts';
import type { DatabaseTarget } from './database.ts';
import { eventLogConformance } from './event-log.conformance.ts';
import { KyselyEventLog } from './kysely-event-log.ts';
import { hashPassword, newBearerToken, verifyPassword } from './password-hash.ts';
import { openStores, type Stores } from './stores.ts';

export interface StoreBackend {
  /** Creates an empty database and says where it is. */
  setup(): Promise<DatabaseTarget>;
  /** Drops it. */
  teardown(): Promise<void>;
}

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const at = (ms: number) => new Date(T0 + ms);

function reg(over: Partial<Registration> = {}): Registration {
  return {
    aor: 'sip:8001@hotline.local',
    contact: 'sip:8001@192.0.2.10:5062;transport=udp',
    contactHeader: '<sip:8001@192.0.2.10:5062;transport=udp>;expires=3600',
    q: 1,
    callId: 'c1@192.0.2.10',
    cseq: 7,
    expiresAt: at(3_600_000),
    registeredAt: at(0),
    transport: 'udp',
    sourceAddress: '192.0.2.10',
    sourcePort: 5062,
    ...over,
  };
}

export function storeConformance(name: string, backend: StoreBackend): void {
  describe(`store conformance: ${name} (OPS-2, OPS-4, OPS-5)`, () => {
    let target: DatabaseTarget;
    let s: Stores;

    beforeAll(async () => {
      target = await backend.setup();
      s = await openStores(target);
    });
    afterAll(async () => {
      await s?.close();
      await backend.teardown();
    });
    beforeEach(async () => {
      for (const t of ['api_tokens', 'users', 'sip_accounts', 'registrations', 'security_events', 'bans', 'meta', 'events', 'call_records', 'leg_records', 'audit_log', 'notice_recipients', 'notices', 'tasks'] as const) {
        await s.database.db.deleteFrom(t).execute();
      }
    });

    it('migrates once: reopening the same database applies nothing', async () => {
      const again = await openStores(target);
      try {
        expect(again.database.applied).toEqual([]);
        expect(await again.database.ping()).toBe(true);
      } finally {
        await again.close();
      }
    });

    describe('SipAccountStore', () => {
      it('round-trips every field, optional ones included', async () => {
        const a = { username: '8001', realm: 'r', ha1Md5: 'a'.repeat(32), ha1Sha256: 'b'.repeat(64), displayName: 'Agent 1', enabled: true, createdAt: at(1) };
        const b = { username: '8002', realm: 'r', ha1Md5: 'c'.repeat(32), ha1Sha256: 'd'.repeat(64), enabled: false, createdAt: at(2) };
        await s.sipAccounts.put(b);
        await s.sipAccounts.put(a);
        expect(await s.sipAccounts.get('8001')).toEqual(a);
        expect(await s.sipAccounts.get('8002')).toEqual(b);
        expect(await s.sipAccounts.get('9999')).toBeUndefined();
        expect((await s.sipAccounts.list()).map((x) => x.username)).toEqual(['8001', '8002']);
      });
      it('put replaces; remove says whether something was removed', async () => {
        const a = { username: '8001', realm: 'r', ha1Md5: 'a', ha1Sha256: 'b', displayName: 'Old', enabled: true, createdAt: at(1) };
        await s.sipAccounts.put(a);
        const { displayName: _, ...noName } = a;
        await s.sipAccounts.put({ ...noName, ha1Md5: 'x', enabled: false });
        expect(await s.sipAccounts.get('8001')).toEqual({ ...noName, ha1Md5: 'x', enabled: false });
        expect(await s.sipAccounts.remove('8001')).toBe(true);
        expect(await s.sipAccounts.remove('8001')).toBe(false);
        expect(await s.sipAccounts.list()).toEqual([]);
      });
    });

    describe('RegistrationStore', () => {
      it('keys bindings by (aor, contact), replacing on put', async () => {
        const r1 = reg();
        const r2 = reg({ contact: 'sip:8001@192.0.2.11:5060', contactHeader: '<sip:8001@192.0.2.11:5060>', q: 0.5, connectionId: 'tcp-7', userAgent: 'baresip', instanceId: '<urn:uuid:1>' });
        await s.registrations.put(r1);
        await s.registrations.put(r2);
        await s.registrations.put({ ...r1, cseq: 8, expiresAt: at(7_200_000) });
        await s.registrations.put(reg({ aor: 'sip:8002@hotline.local' }));
        expect(await s.registrations.list('sip:8001@hotline.local')).toEqual([{ ...r1, cseq: 8, expiresAt: at(7_200_000) }, r2]);
        expect((await s.registrations.listAll()).map((r) => r.aor)).toEqual(['sip:8001@hotline.local', 'sip:8001@hotline.local', 'sip:8002@hotline.local']);
        expect(await s.registrations.list('sip:nobody@hotline.local')).toEqual([]);
      });
      it('removes one binding or all of an AOR', async () => {
        await s.registrations.put(reg());
        await s.registrations.put(reg({ contact: 'sip:b@h' }));
        await s.registrations.put(reg({ aor: 'sip:8002@hotline.local' }));
        await s.registrations.remove('sip:8001@hotline.local', 'sip:b@h');
        expect((await s.registrations.list('sip:8001@hotline.local')).map((r) => r.contact)).toEqual([reg().contact]);
        await s.registrations.removeAll('sip:8001@hotline.local');
        expect(await s.registrations.list('sip:8001@hotline.local')).toEqual([]);
        expect(await s.registrations.listAll()).toHaveLength(1);
      });
      it('putMany writes a batch in one transaction, all or none', async () => {
        await s.registrations.putMany!([reg({ contact: 'sip:a@h' }), reg({ contact: 'sip:b@h', cseq: 9 })]);
        expect((await s.registrations.list('sip:8001@hotline.local')).map((r) => [r.contact, r.cseq])).toEqual([['sip:a@h', 7], ['sip:b@h', 9]]);
        // A row that breaks a constraint (NOT NULL transport) rolls back the whole batch.
        const bad = { ...reg({ contact: 'sip:c@h' }), transport: null as unknown as string };
        await expect(s.registrations.putMany!([reg({ contact: 'sip:d@h' }), bad])).rejects.toThrow();
        expect((await s.registrations.list('sip:8001@hotline.local')).map((r) => r.contact)).toEqual(['sip:a@h', 'sip:b@h']);
      });
      it('putMany keeps the last of a key given twice, and takes batches over one statement', async () => {
        await s.registrations.putMany!([reg({ contact: 'sip:a@h', cseq: 1 }), reg({ contact: 'sip:a@h', cseq: 2 })]);
        expect((await s.registrations.list('sip:8001@hotline.local')).map((r) => r.cseq)).toEqual([2]);
        const many = Array.from({ length: 1200 }, (_, i) => reg({ aor: `sip:${10000 + i}@hotline.local`, contact: `sip:u${i}@h` }));
        await s.registrations.putMany!(many);
        expect(await s.registrations.listAll()).toHaveLength(1201);
      });
      it('purgeExpired deletes bindings expired at or before now and counts them', async () => {
        await s.registrations.put(reg({ contact: 'sip:a@h', expiresAt: at(1000) }));
        await s.registrations.put(reg({ contact: 'sip:b@h', expiresAt: at(2000) }));
        await s.registrations.put(reg({ contact: 'sip:c@h', expiresAt: at(2001) }));
        expect(await s.registrations.purgeExpired(at(2000))).toBe(2);
        expect((await s.registrations.listAll()).map((r) => r.contact)).toEqual(['sip:c@h']);
        expect(await s.registrations.purgeExpired(at(2000))).toBe(0);
      });
    });

    describe('SecurityEventStore', () => {
      const ev = (ms: number, kind: SecurityEvent['kind'], extra: Partial<SecurityEvent> = {}): SecurityEvent => ({ at: at(ms), kind, sourceAddress: '198.51.100.7', ...extra });
      it('lists newest first with every field kept', async () => {
        const full = ev(30, 'auth-failure', { sourcePort: 5070, transport: 'udp', username: '100', userAgent: 'friendly-scanner', detail: 'wrong password' });
        await s.securityEvents.append(ev(10, 'malformed'));
        await s.securityEvents.append(full);
        await s.securityEvents.append(ev(20, 'ban'));
        expect(await s.securityEvents.list()).toEqual([full, ev(20, 'ban'), ev(10, 'malformed')]);
      });
      it('filters by since (inclusive), kind and limit', async () => {
        for (let i = 0; i < 5; i++) await s.securityEvents.append(ev(i * 10, i % 2 ? 'ban' : 'auth-failure'));
        expect((await s.securityEvents.list({ since: at(20) })).map((e) => e.at.getTime() - T0)).toEqual([40, 30, 20]);
        expect((await s.securityEvents.list({ kind: 'ban' })).map((e) => e.at.getTime() - T0)).toEqual([30, 10]);
        expect((await s.securityEvents.list({ limit: 2 })).map((e) => e.at.getTime() - T0)).toEqual([40, 30]);
        expect(await s.securityEvents.list({ since: at(15), kind: 'auth-failure', limit: 1 })).toEqual([ev(40, 'auth-failure')]);
      });
      it('keeps events appended in the same millisecond in append order', async () => {
        await s.securityEvents.append(ev(5, 'auth-failure', { detail: 'first' }));
        await s.securityEvents.append(ev(5, 'auth-failure', { detail: 'second' }));
        expect((await s.securityEvents.list()).map((e) => e.detail)).toEqual(['second', 'first']);
      });
    });

    describe('BanStore', () => {
      it('puts, replaces, lists and removes bans', async () => {
        const b1 = { address: '198.51.100.7', reason: '5 auth failures in 60 s', bannedAt: at(0), until: at(3_600_000) };
        const b2 = { address: '2001:db8::1', reason: 'scanner', bannedAt: at(5), until: at(10) };
        await s.bans.put(b1);
        await s.bans.put(b2);
        await s.bans.put({ ...b1, until: at(7_200_000) });
        expect(await s.bans.list()).toEqual([{ ...b1, until: at(7_200_000) }, b2]);
        expect(await s.bans.remove('2001:db8::1')).toBe(true);
        expect(await s.bans.remove('2001:db8::1')).toBe(false);
        expect(await s.bans.list()).toHaveLength(1);
      });
    });

    describe('UserStore and ApiTokenStore', () => {
      it('keeps users with scrypt hashes that verify', async () => {
        const u = { username: '8100', displayName: 'Supervisor', passwordHash: await hashPassword('demo-8100'), role: 'supervisor' as const, enabled: true, createdAt: at(0) };
        await s.users.put(u);
        await s.users.put({ username: 'admin', passwordHash: await hashPassword('x'), role: 'admin', enabled: true, createdAt: at(1) });
        const got = await s.users.get('8100');
        expect(got).toEqual(u);
        expect(await verifyPassword('demo-8100', got!.passwordHash)).toBe(true);
        expect(await verifyPassword('demo-8101', got!.passwordHash)).toBe(false);
        expect(await s.users.count()).toBe(2);
        expect((await s.users.list()).map((x) => x.username)).toEqual(['8100', 'admin']);
        expect(await s.users.remove('8100')).toBe(true);
        expect(await s.users.get('8100')).toBeUndefined();
      });
      it('rejects a role outside admin/supervisor/agent', async () => {
        await expect(s.users.put({ username: 'x', passwordHash: 'h', role: 'root' as never, enabled: true, createdAt: at(0) })).rejects.toThrow();
      });
      it('finds tokens by hash and drops them with their user', async () => {
        await s.users.put({ username: 'admin', passwordHash: 'h', role: 'admin', enabled: true, createdAt: at(0) });
        const { hash } = newBearerToken();
        const t = { id: 't1', tokenHash: hash, username: 'admin', label: 'cli', createdAt: at(1) };
        await s.apiTokens.put(t);
        await s.apiTokens.put({ ...t, id: 't2', tokenHash: 'other', expiresAt: at(99) });
        expect(await s.apiTokens.findByHash(hash)).toEqual(t);
        expect(await s.apiTokens.findByHash('nope')).toBeUndefined();
        expect((await s.apiTokens.list('admin')).map((x) => x.id)).toEqual(['t1', 't2']);
        expect(await s.apiTokens.remove('t2')).toBe(true);
        await s.users.remove('admin');
        expect(await s.apiTokens.list()).toEqual([]);
      });
    });

    // The event log over table `events`: a new adapter per case, since the table is wiped between cases.
    eventLogConformance('events table', {
      fresh: async () => new KyselyEventLog(s.database.db),
      reopen: async () => new KyselyEventLog(s.database.db),
    });
    callRecordStoreCases(() => s.callRecords);
    describe('AuditStore, TaskStore, NoticeStore (ADM-3, SUP-4)', () => auditStoreCases(() => s, at));

    describe('meta', () => {
      it('setIfAbsent lets only the first writer win', async () => {
        expect(await s.meta.get('demo-seeded-at')).toBeUndefined();
        expect(await s.meta.setIfAbsent('demo-seeded-at', 'one')).toBe(true);
        expect(await s.meta.setIfAbsent('demo-seeded-at', 'two')).toBe(false);
        expect(await s.meta.get('demo-seeded-at')).toBe('one');
        await s.meta.set('demo-seeded-at', 'three');
        expect(await s.meta.get('demo-seeded-at')).toBe('three');
      });
    });
  });
}
