// Test helper: writes the sipp IVR caller scenario (sipp-ivr.xml.template):
// after the call is up, wait, press a key (an RFC 4733 capture from
// Debian's sip-tester), wait, ... then hang up.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CallerStep = { pauseMs: number } | { key: string };

const CAPTURE: Record<string, string> = { '*': 'star', '#': 'pound' };

export function writeIvrScenario(path: string, steps: readonly CallerStep[]): void {
  const body = steps
    .map((s) =>
      'pauseMs' in s
        ? `  <pause milliseconds="${Math.max(0, Math.round(s.pauseMs))}"/>`
        : `  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${CAPTURE[s.key] ?? s.key}.pcap"/></action></nop>`,
    )
    .join('\n');
  const xml = readFileSync(join(import.meta.dirname, 'sipp-ivr.xml.template'), 'utf8').replace('@STEPS@', body);
  writeFileSync(path, xml);
}
