/**
 * A real `hotline start` inside a fresh network namespace, as the e2e tests
 * with phones use it: the namespace, the server on its server-side address,
 * the API called from inside (curl in the namespace) and the SIP address
 * phones register to. The namespace is removed again when the start fails.
 */
import { rmSync } from 'node:fs';
import { removePhoneDir, type Phone } from './baresip-phone.ts';
import { nsApi } from './call-audio.ts';
import { createNetns, type Netns } from './netns.ts';
import { startHotline, type HotlineProcess } from './server.ts';

export interface NetnsHotline {
  ns: Netns;
  server: HotlineProcess;
  api: ReturnType<typeof nsApi>;
  /** host:port of the server's SIP (UDP/TCP). */
  srv: string;
}

/** `octet` picks the namespace's 10.<octet>.0.x addresses (distinct per test file); `args` go to `hotline start`. */
export async function hotlineInNetns(octet: number, args: string[]): Promise<NetnsHotline> {
  const ns = createNetns(octet);
  let server: HotlineProcess;
  try {
    server = await startHotline({ netns: ns, host: ns.serverAddress, args });
  } catch (e) {
    ns.destroy();
    throw e;
  }
  return { ns, server, api: nsApi(ns, server.httpUrl, server.adminToken), srv: `${ns.serverAddress}:${server.sipPort}` };
}

/**
 * The usual end of such a test: stop the phones (and remove their folders),
 * the server and the namespace, then the test's work folder. Tolerates what
 * a failed beforeAll left unset.
 */
export async function tearDownNetnsTest(parts: { phones: readonly (Phone | undefined)[]; server?: HotlineProcess; ns?: Netns; dir?: string }): Promise<void> {
  for (const p of parts.phones) {
    if (!p) continue;
    await p.stop();
    removePhoneDir(p);
  }
  await parts.server?.stop();
  parts.ns?.destroy();
  if (parts.dir !== undefined) rmSync(parts.dir, { recursive: true, force: true });
}
