import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import { ScriptedChannel, type CallerAction } from '../../src/ivr/channel/scripted-channel.ts';
import { IvrRunner } from '../../src/ivr/ivr-runner.ts';
import { demoCallerScript, demoPassword, type DemoCallKind } from '../../src/ivr/demo/demo-callers.ts';
import { silentLogger } from './support.ts';

const MAIN = pathToFileURL(fileURLToPath(new URL('../../src/ivr/demo/main.vxml', import.meta.url))).href;

async function call(script: CallerAction[]) {
  const ch = new ScriptedChannel(script);
  const outcome = await new IvrRunner({ logger: silentLogger }).run(MAIN, ch);
  return { outcome, ch };
}

describe('IVR-3 IVR-4 demo fund hotline: menu, login, balance, agent', () => {
  it('login with the right password reads the balance computed by script, then an agent (say-as holds a <value>)', async () => {
    const { outcome, ch } = await call([{ keys: '1' }, { keys: '12345678' }, { keys: demoPassword('12345678') }, { keys: '2' }]);
    expect(outcome).toEqual({ kind: 'exit', value: 'agent far_end_disconnect' });
    expect(ch.prompts().find((p) => p.startsWith('Your holdings'))).toBe(
      'Your holdings are worth 27020.36 yuan. Growth 1577.69 . Bond 5442.67 . Money market 20000.00 . To hear the main menu press 1. For an agent press 2.',
    );
    const xfer = ch.transcript.find((e) => e.kind === 'transfer');
    expect(xfer).toMatchObject({ request: { type: 'bridge', dest: 'queue:funds', aai: 'account=12345678' } });
  });

  it('a wrong password asks again; three wrong ones go to an agent', async () => {
    const wrong = demoPassword('12345678') === '000000' ? '111111' : '000000';
    const { outcome, ch } = await call([{ keys: '1' }, { keys: '12345678' }, { keys: wrong }, { keys: '12345678' }, { keys: wrong }, { keys: '12345678' }, { keys: wrong }]);
    expect(outcome).toEqual({ kind: 'exit', value: 'agent far_end_disconnect' });
    expect(ch.prompts().filter((p) => p.startsWith('The account or password is wrong'))).toHaveLength(2);
    expect(ch.prompts()).toContain('Too many wrong passwords. Please hold for the next available agent.');
  });

  it('* in the main menu reaches an agent anonymously (keypad convention)', async () => {
    const { outcome, ch } = await call([{ keys: '*' }]);
    expect(outcome).toEqual({ kind: 'exit', value: 'agent far_end_disconnect' });
    expect(ch.transcript.find((e) => e.kind === 'transfer')).toMatchObject({ request: { aai: 'anonymous' } });
  });
});

describe('IVR-1 demo caller scripts used by bench/ivr.ts', () => {
  it.each<DemoCallKind>(['balance-then-agent', 'wrong-password-then-balance', 'prices-then-agent', 'star-to-agent'])('%s ends at an agent with no script mismatch', async (kind) => {
    const { outcome, ch } = await call(demoCallerScript(kind, '20240001'));
    expect(outcome).toEqual({ kind: 'exit', value: 'agent far_end_disconnect' });
    expect(ch.transcript.some((e) => e.kind === 'script-mismatch' || e.kind === 'hangup')).toBe(false);
  });
});
