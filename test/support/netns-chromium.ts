/**
 * Debian's chromium run inside a test's network namespace (through a small
 * `ip netns exec` wrapper), headless, for the web e2e tests. With
 * `microphoneHz` its fake microphone plays that tone (a sox-made WAV it
 * loops) and the server's plain-http origin counts as secure, so pages may
 * use getUserMedia (WebRTC calls).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Netns } from './netns.ts';

const CHROMIUM = '/usr/bin/chromium';

/** `args`: more chromium flags (e.g. --ignore-certificate-errors for the self-signed https of a test server). */
export async function chromiumInNetns(o: { ns: Netns; dir: string; origin: string; microphoneHz?: number; seconds?: number; args?: string[] }): Promise<Browser> {
  const wrapper = join(o.dir, 'chromium-in-netns');
  if (!existsSync(wrapper)) {
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${o.ns.name} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
  }
  const args = ['--no-sandbox', '--disable-background-networking', ...(o.args ?? [])];
  if (o.microphoneHz !== undefined) {
    const wav = join(o.dir, `tone-${o.microphoneHz}.wav`);
    if (!existsSync(wav)) execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', wav, 'synth', String(o.seconds ?? 120), 'sine', String(o.microphoneHz), 'vol', '0.5']);
    args.push(
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
      // getUserMedia needs a secure context; the test server is plain http on a namespace address.
      `--unsafely-treat-insecure-origin-as-secure=${o.origin}`,
    );
  }
  return chromium.launch({ executablePath: wrapper, headless: true, args });
}
