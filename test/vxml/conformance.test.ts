import { describe, expect, it } from 'vitest';
import { ScriptedChannel, type CallerAction } from '../../src/ivr/channel/scripted-channel.ts';
import { IvrRunner } from '../../src/ivr/ivr-runner.ts';
import type { IvrStepEvent } from '../../src/ivr/interpreter/ivr-step-event.ts';
import { MemoryFetcher, vxml } from './memory-fetcher.ts';
import { silentLogger } from './support.ts';
import { CASES_FIA, CASES_EVENTS, CASES_SCOPES } from './cases-fia-events-scopes.ts';
import { CASES_BUILTINS, CASES_MENUS, CASES_SRGS } from './cases-grammars-menus.ts';
import { CASES_SUBDIALOG_DATA_PROPS } from './cases-subdialog-data-props.ts';

export interface ConfCase {
  readonly name: string;
  /** Documents by path under http://app.test/ ; the first is the start. */
  readonly docs: Record<string, string>;
  readonly script: CallerAction[];
  /** Expected exit value (default 'pass'). */
  readonly expect?: unknown;
}

const SECTIONS: [string, ConfCase[]][] = [
  ['VoiceXML 2.1 FIA (Appendix C)', CASES_FIA],
  ['VoiceXML 2.1 event handling and counts (§5.2)', CASES_EVENTS],
  ['VoiceXML 2.1 variables and scopes (§5.1)', CASES_SCOPES],
  ['VoiceXML 2.1 builtin types (Appendix P) with IVR-3 keypad conventions', CASES_BUILTINS],
  ['VoiceXML 2.1 menus (§2.2)', CASES_MENUS],
  ['SRGS 1.0 DTMF grammars (XML form)', CASES_SRGS],
  ['VoiceXML 2.1 subdialogs, data/foreach, properties', CASES_SUBDIALOG_DATA_PROPS],
];

let passed = 0;
let total = 0;

export async function runCase(c: ConfCase): Promise<{ outcome: unknown; channel: ScriptedChannel; steps: IvrStepEvent[] }> {
  const docs: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.docs)) docs[`http://app.test/${k}`] = v;
  const steps: IvrStepEvent[] = [];
  const runner = new IvrRunner({ logger: silentLogger, fetcher: new MemoryFetcher(docs), steps: (e) => steps.push(e) });
  const channel = new ScriptedChannel(c.script);
  const outcome = await runner.run(`http://app.test/${Object.keys(c.docs)[0]}`, channel);
  return { outcome, channel, steps };
}

for (const [section, cases] of SECTIONS) {
  describe(`IVR-1 conformance: ${section}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
      total++;
      const { outcome, channel } = await runCase(c);
      expect(outcome, JSON.stringify(channel.transcript)).toEqual({ kind: 'exit', value: c.expect ?? 'pass' });
      passed++;
    });
  });
}

describe('conformance totals', () => {
  it('prints the pass count', () => {
    process.stderr.write(`Hotline VoiceXML/SRGS conformance: ${passed}/${total} passed\n`);
    expect(total).toBeGreaterThan(0);
  });
  it('a failing document is reported as a failure, not a pass (the harness can fail)', async () => {
    const { outcome } = await runCase({ name: 'x', docs: { 'a.vxml': vxml(`<form><block><exit expr="'fail: on purpose'"/></block></form>`) }, script: [] });
    expect(outcome).not.toEqual({ kind: 'exit', value: 'pass' });
  });
});
