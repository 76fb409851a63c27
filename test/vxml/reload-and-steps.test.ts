import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScriptedChannel } from '../../src/ivr/channel/scripted-channel.ts';
import { IvrRunner } from '../../src/ivr/ivr-runner.ts';
import type { IvrStepEvent } from '../../src/ivr/interpreter/ivr-step-event.ts';
import { silentLogger } from './support.ts';

const doc = (word: string): string =>
  `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><field name="f" type="boolean"><prompt>${word}</prompt></field><block><exit expr="'${word}'"/></block></form></vxml>`;

describe('IVR-2 a changed file document is used by the next session, no restart', () => {
  it('re-reads the file when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-'));
    try {
      const file = join(dir, 'menu.vxml');
      writeFileSync(file, doc('first'));
      const runner = new IvrRunner({ logger: silentLogger });
      const url = pathToFileURL(file).href;
      expect(await runner.run(url, new ScriptedChannel([{ keys: '1' }]))).toEqual({ kind: 'exit', value: 'first' });
      writeFileSync(file, doc('second'));
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const ch = new ScriptedChannel([{ keys: '1' }]);
      expect(await runner.run(url, ch)).toEqual({ kind: 'exit', value: 'second' });
      expect(ch.prompts()).toEqual(['second']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('IVR-6 every step is logged with node, input, result, duration', () => {
  it('logs document, prompt, input and exit steps in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-'));
    try {
      const file = join(dir, 'a.vxml');
      writeFileSync(file, doc('hello'));
      const steps: IvrStepEvent[] = [];
      const runner = new IvrRunner({ logger: silentLogger, steps: (e) => steps.push(e) });
      await runner.run(pathToFileURL(file).href, new ScriptedChannel([{ keys: '2' }]), 'call-1');
      // the final block exits before it completes, so its exit step stands for it
      expect(steps.map((s) => s.kind)).toEqual(['document', 'prompt', 'input', 'filled', 'exit']);
      const input = steps.find((s) => s.kind === 'input')!;
      expect(input).toMatchObject({ sessionId: 'call-1', input: '2', result: 'false' });
      expect(input.node).toMatch(/a\.vxml#_anon0\/f$/);
      expect(steps.every((s) => s.durationMs >= 0 && s.seq > 0)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
