/**
 * A self-signed server certificate for SIP over TLS and WSS (OPS-1), so that
 * an embedded install has TLS from the first start. Stored as PEM files in a
 * directory and reused on later starts while it is valid, matches its key and
 * names every requested host; otherwise made anew.
 *
 * Built with npm `selfsigned` (already a dependency): it drives Node's own
 * WebCrypto through @peculiar/x509, a maintained X.509 encoder. node:crypto
 * can read certificates but not issue them, and a hand-written DER encoder
 * would be more code to get wrong than this feature deserves.
 */
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface SelfSignedOptions {
  /** Directory for `<name>.key.pem` and `<name>.cert.pem` (created when missing). */
  dir: string;
  /** Host names and IP addresses the certificate must name (SAN); the first is the subject CN. */
  hosts: string[];
  name?: string;
  /** `ec` (P-256, default: fast handshakes) or `rsa` (2048 bits, for old phones). */
  keyType?: 'ec' | 'rsa';
  validDays?: number;
  /** Regenerate when the certificate expires within this many days. Default 7. */
  renewBeforeDays?: number;
  now?: () => Date;
}

export interface TlsCredentials {
  key: string;
  cert: string;
  keyPath: string;
  certPath: string;
  /** True when made now, false when reused from the files. */
  created: boolean;
  fingerprint256: string;
}

export async function ensureSelfSignedCert(opts: SelfSignedOptions): Promise<TlsCredentials> {
  if (opts.hosts.length === 0) throw new RangeError('a certificate needs at least one host name or address');
  const name = opts.name ?? 'sip';
  const keyPath = join(opts.dir, `${name}.key.pem`);
  const certPath = join(opts.dir, `${name}.cert.pem`);
  const now = opts.now?.() ?? new Date();
  const existing = await readPair(keyPath, certPath);
  if (existing && usable(existing.key, existing.cert, opts.hosts, now, opts.renewBeforeDays ?? 7)) {
    return { ...existing, keyPath, certPath, created: false, fingerprint256: new X509Certificate(existing.cert).fingerprint256 };
  }
  const notAfter = new Date(now.getTime() + (opts.validDays ?? 825) * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: opts.hosts[0]! }], {
    keyType: opts.keyType ?? 'ec',
    ...(opts.keyType === 'rsa' ? { keySize: 2048 } : { curve: 'P-256' as const }),
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: opts.keyType === 'rsa', critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames: opts.hosts.map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })) },
    ],
  });
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  await writeAtomic(keyPath, pems.private, 0o600);
  await writeAtomic(certPath, pems.cert, 0o644);
  return { key: pems.private, cert: pems.cert, keyPath, certPath, created: true, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}

async function readPair(keyPath: string, certPath: string): Promise<{ key: string; cert: string } | undefined> {
  try {
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } catch {
    return undefined;
  }
}

function usable(key: string, cert: string, hosts: string[], now: Date, renewBeforeDays: number): boolean {
  try {
    const x = new X509Certificate(cert);
    if (!x.checkPrivateKey(createPrivateKey(key))) return false;
    if (new Date(x.validTo).getTime() - renewBeforeDays * 86_400_000 <= now.getTime()) return false;
    if (new Date(x.validFrom).getTime() > now.getTime()) return false;
    return hosts.every((h) => (isIP(h) ? x.checkIP(h) !== undefined : x.checkHost(h, { subject: 'never' }) !== undefined));
  } catch {
    return false;
  }
}

async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}
