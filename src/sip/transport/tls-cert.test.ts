import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureSelfSignedCert } from './tls-cert.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'hotline-cert-'));
  dirs.push(d);
  return d;
};

describe('self-signed TLS certificate (OPS-1)', () => {
  it('creates an EC certificate naming every host and address, then reuses the files', async () => {
    const dir = await tempDir();
    const first = await ensureSelfSignedCert({ dir, hosts: ['sip.hotline.test', '127.0.0.1', '::1'] });
    expect(first.created).toBe(true);
    const x = new X509Certificate(first.cert);
    expect(x.checkHost('sip.hotline.test')).toBe('sip.hotline.test');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkIP('::1')).toBeDefined();
    expect(x.publicKey.asymmetricKeyType).toBe('ec');
    expect((await stat(first.keyPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(first.certPath, 'utf8')).toBe(first.cert);
    const again = await ensureSelfSignedCert({ dir, hosts: ['sip.hotline.test', '127.0.0.1'] });
    expect(again.created).toBe(false);
    expect(again.fingerprint256).toBe(first.fingerprint256);
  });

  it('makes a new certificate when a host is added, the files are damaged or it is about to expire', async () => {
    const dir = await tempDir();
    const a = await ensureSelfSignedCert({ dir, hosts: ['a.test'], validDays: 30 });
    const b = await ensureSelfSignedCert({ dir, hosts: ['a.test', 'b.test'], validDays: 30 });
    expect(b.created).toBe(true);
    expect(b.fingerprint256).not.toBe(a.fingerprint256);
    const later = new Date(Date.now() + 25 * 86_400_000);
    const c = await ensureSelfSignedCert({ dir, hosts: ['a.test'], now: () => later });
    expect(c.created).toBe(true);
    await writeFile(c.keyPath, 'garbage');
    const d = await ensureSelfSignedCert({ dir, hosts: ['a.test'] });
    expect(d.created).toBe(true);
  });

  it('makes RSA 2048 on request', async () => {
    const dir = await tempDir();
    const r = await ensureSelfSignedCert({ dir, hosts: ['rsa.test'], keyType: 'rsa' });
    const x = new X509Certificate(r.cert);
    expect(x.publicKey.asymmetricKeyType).toBe('rsa');
    expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});
