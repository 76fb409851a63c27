import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeHa1 } from '../protocol/sip/digest.ts';
import type { Logger } from '../shared/logger.ts';
import { createSipAccount } from '../sip/auth/sip-account-factory.ts';
import { hashPassword, verifyPassword } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';
import { DEMO_STAFF, demoPasswordsInUse, seedFirstStart, warnAboutDemoPasswords } from './demo-seed.ts';

const now = new Date(Date.UTC(2025, 0, 1));
let stores: Stores;

beforeEach(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
});
afterEach(async () => {
  await stores.close();
});

function collectingLogger(lines: { obj: unknown; msg?: string }[]): Logger {
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (obj, msg) => void lines.push({ obj, msg }),
    error: () => undefined,
    child: () => log,
  };
  return log;
}

describe('demo seed (DESIGN.md first start, OPS-1)', () => {
  it('creates admin, agents 8001-8010 and supervisor 8100 with demo-<ext> for SIP and web', async () => {
    const r = await seedFirstStart(stores, { realm: 'example.test', demo: true, now });
    expect(r.seeded).toBe(true);
    const admin = await stores.users.get('admin');
    expect(admin?.role).toBe('admin');
    expect(await verifyPassword(r.adminPassword!, admin!.passwordHash)).toBe(true);
    expect(DEMO_STAFF.map((s) => s.ext)).toEqual(['8001', '8002', '8003', '8004', '8005', '8006', '8007', '8008', '8009', '8010', '8100']);
    const sip = await stores.sipAccounts.get('8100');
    expect(sip?.ha1Md5).toBe(computeHa1('MD5', '8100', 'example.test', 'demo-8100'));
    expect(sip?.ha1Sha256).toBe(computeHa1('SHA-256', '8100', 'example.test', 'demo-8100'));
    expect((await stores.users.get('8100'))?.role).toBe('supervisor');
    expect((await stores.users.get('8003'))?.role).toBe('agent');
    expect(await verifyPassword('demo-8003', (await stores.users.get('8003'))!.passwordHash)).toBe(true);
  }, 20_000);

  it('is idempotent: a second run changes nothing', async () => {
    await seedFirstStart(stores, { realm: 'r', demo: true, now });
    const before = await stores.users.get('admin');
    await stores.sipAccounts.remove('8005');
    const again = await seedFirstStart(stores, { realm: 'r', demo: true, now: new Date(now.getTime() + 1000) });
    expect(again).toEqual({ seeded: false });
    expect(await stores.users.get('admin')).toEqual(before);
    expect(await stores.sipAccounts.get('8005')).toBeUndefined();
  }, 20_000);

  it('seeds only the admin when demo is off', async () => {
    await seedFirstStart(stores, { realm: 'r', demo: false, now });
    expect((await stores.users.list()).map((u) => u.username)).toEqual(['admin']);
    expect(await stores.sipAccounts.list()).toEqual([]);
  });

  it('warns while demo passwords are in use on a non-loopback host, and only then', async () => {
    await seedFirstStart(stores, { realm: 'r', demo: true, now });
    for (const s of DEMO_STAFF.filter((x) => x.ext !== '8001')) {
      await stores.sipAccounts.put(createSipAccount({ username: s.ext, realm: 'r', password: `changed-${s.ext}`, createdAt: now }));
      const u = (await stores.users.get(s.ext))!;
      await stores.users.put({ ...u, passwordHash: await hashPassword(`changed-${s.ext}`) });
    }
    expect(await demoPasswordsInUse(stores, 'r')).toEqual(['8001']);
    const lines: { obj: unknown; msg?: string }[] = [];
    await warnAboutDemoPasswords(stores, 'r', '127.0.0.1', true, collectingLogger(lines));
    expect(lines).toEqual([]);
    await warnAboutDemoPasswords(stores, 'r', '0.0.0.0', false, collectingLogger(lines));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toContain('demo passwords');
    expect(lines[0]!.obj).toEqual({ host: '0.0.0.0', extensions: ['8001'] });
  }, 30_000);
});
