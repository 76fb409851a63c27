import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { ScriptedChannel, type CallerAction } from '../../src/ivr/channel/scripted-channel.ts';
import { IvrRunner } from '../../src/ivr/ivr-runner.ts';
import { IrFetcher, readJson } from './ir-fetcher.ts';
import { silentLogger } from './support.ts';
import { SHARED_FIXTURES } from '../support/fixtures.ts';

interface IrTest {
  suite: string;
  assertion: number;
  start: string;
  input: string[];
  skip_reason: string | null;
  abstract: string;
}

const FIXTURES = pathToFileURL(`${SHARED_FIXTURES}/vxml-ir/`);
const manifest = await readJson<{ tests: IrTest[] }>(new URL('manifest.json', FIXTURES));

function script(input: string[]): CallerAction[] {
  return input.map((i) => {
    const [kind, value] = i.split(':');
    if (kind === 'dtmf') return { keys: value ?? '' };
    throw new Error(`input ${i} needs more than DTMF`);
  });
}

const runnable = manifest.tests.filter((t) => t.skip_reason === null);
const skipped = manifest.tests.filter((t) => t.skip_reason !== null);

describe('IVR-1 W3C VoiceXML implementation-report tests (staged partial set) on the scripted channel', () => {
  it.each(runnable.map((t) => [`${t.suite}/${t.assertion}`, t] as const))('%s passes', async (_name, t) => {
    const runner = new IvrRunner({ logger: silentLogger, fetcher: new IrFetcher() });
    const channel = new ScriptedChannel(script(t.input));
    const url = new URL(t.start.replace(/\.txml$/, '.vxml'), FIXTURES).href;
    const outcome = await runner.run(url, channel);
    expect(outcome, JSON.stringify(channel.transcript)).toEqual({ kind: 'exit', value: 'pass' });
  });

  // Skips, each with its reason (from manifest.json): printed so the count is visible in the run.
  it.skip.each(skipped.map((t) => [`${t.suite}/${t.assertion}`, t.skip_reason] as const))('%s skipped: %s', () => undefined);

  it('reports its counts', () => {
    process.stderr.write(`W3C IR: ${runnable.length} runnable (DTMF/audio only), ${skipped.length} skipped (need ASR)\n`);
    expect(runnable.length + skipped.length).toBe(manifest.tests.length);
  });
});
