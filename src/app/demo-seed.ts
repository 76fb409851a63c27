/**
 * First start of an empty database: an `admin` web user with a random
 * password, and (unless `demo` is off) the demo staff: agents 8001-8010 and
 * supervisor 8100, each a SIP account and a web user, password `demo-<ext>`.
 * The database remembers that it was seeded (meta `seeded-at`), so a second
 * start changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { computeHa1 } from '../protocol/sip/digest.ts';
import type { Logger } from '../shared/logger.ts';
import { createSipAccount } from '../sip/auth/sip-account-factory.ts';
import { hashPassword, verifyPassword } from '../store/password-hash.ts';
import type { Stores } from '../store/stores.ts';
import type { UserRole } from '../store/user-store.ts';

export const DEMO_STAFF: readonly { ext: string; role: UserRole; name: string }[] = [
  ...Array.from({ length: 10 }, (_, i) => ({ ext: String(8001 + i), role: 'agent' as const, name: `Agent ${8001 + i}` })),
  { ext: '8100', role: 'supervisor', name: 'Supervisor 8100' },
];

export const demoPassword = (ext: string) => `demo-${ext}`;

export interface SeedResult {
  seeded: boolean;
  /** The admin's password, only on the start that created it. */
  adminPassword?: string;
}

export async function seedFirstStart(stores: Stores, opts: { realm: string; demo: boolean; now: Date }): Promise<SeedResult> {
  if (await stores.meta.get('seeded-at')) return { seeded: false };
  const adminPassword = randomBytes(12).toString('base64url');
  await stores.users.put({ username: 'admin', displayName: 'Administrator', passwordHash: await hashPassword(adminPassword), role: 'admin', enabled: true, createdAt: opts.now });
  if (opts.demo) {
    for (const s of DEMO_STAFF) {
      const password = demoPassword(s.ext);
      await stores.sipAccounts.put(createSipAccount({ username: s.ext, realm: opts.realm, password, displayName: s.name, createdAt: opts.now }));
      await stores.users.put({ username: s.ext, displayName: s.name, passwordHash: await hashPassword(password), role: s.role, enabled: true, createdAt: opts.now });
    }
  }
  await stores.meta.set('seeded-at', opts.now.toISOString());
  return { seeded: true, adminPassword };
}

/** Demo extensions whose SIP or web password is still `demo-<ext>`. */
export async function demoPasswordsInUse(stores: Stores, realm: string): Promise<string[]> {
  const inUse: string[] = [];
  for (const s of DEMO_STAFF) {
    const sip = await stores.sipAccounts.get(s.ext);
    const web = await stores.users.get(s.ext);
    const sipDemo = sip?.enabled && sip.realm === realm && sip.ha1Md5 === computeHa1('MD5', s.ext, realm, demoPassword(s.ext));
    const webDemo = web?.enabled && (await verifyPassword(demoPassword(s.ext), web.passwordHash));
    if (sipDemo || webDemo) inUse.push(s.ext);
  }
  return inUse;
}

/** Logs the warning DESIGN.md asks for when demo passwords face a network. */
export async function warnAboutDemoPasswords(stores: Stores, realm: string, host: string, loopback: boolean, log: Logger): Promise<void> {
  if (loopback) return;
  const exts = await demoPasswordsInUse(stores, realm);
  if (exts.length) {
    log.warn({ host, extensions: exts }, `demo passwords (demo-<ext>) are in use for ${exts.join(', ')} while listening on ${host}: change or remove these accounts before exposing this server`);
  }
}
