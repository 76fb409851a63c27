// The ACD's TreatmentPort over the switch runtime (issue 4/5, ACD-5, ACD-6): music, spoken prompts, hang-up, IVR, transfer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { TextToSpeech } from '../media/tts/text-to-speech.ts';
import { readWav } from '../media/wav/wav-reader.ts';
import { runtimeKit, settle, silentLogger } from '../switch/runtime/test-kit.ts';
import { SwitchTreatment } from './switch-treatment.ts';

/** 1.5 s of a 300 Hz sine per prompt: the real espeak adapter is tested in src/media/tts. */
const tts: TextToSpeech & { said: string[] } = {
  said: [],
  async render(text) {
    this.said.push(text);
    return Int16Array.from({ length: 12000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 8000)));
  },
};

async function setup() {
  const k = runtimeKit();
  const promptDir = mkdtempSync(join(tmpdir(), 'prompts-'));
  onTestFinished(() => rmSync(promptDir, { recursive: true, force: true }));
  const t = new SwitchTreatment({
    runtime: k.runtime,
    tts,
    sounds: { musicOnHold: '/moh.wav', queueMusic: '/queue.wav', ringback: '/rb.wav' },
    agents: { extensionOf: (a) => a, agentOfExtension: (e) => (e.startsWith('80') ? e : undefined) },
    promptDir,
    clock: k.clock,
    logger: silentLogger,
    ringTimeoutMs: 9000,
  });
  const cust = k.gateway.inbound('13800000001', '95001');
  await settle();
  const ix = k.queue.enqueued[0]!.interactionId;
  return { k, t, cust, ix };
}

describe('SwitchTreatment (ACD-5, ACD-6)', () => {
  it('music, then a spoken prompt played once, then the music again', async () => {
    const { k, t, cust, ix } = await setup();
    t.playMusic(ix, 'default');
    await settle();
    expect(k.media.legPlayers(cust)).toEqual([{ kind: 'wav', path: '/queue.wav', loop: true }]);
    t.announce(ix, { kind: 'position', text: 'You are caller number 2 in line.', lang: 'en-US' });
    await settle();
    const [prompt] = k.media.legPlayers(cust);
    expect(prompt).toMatchObject({ kind: 'wav', loop: false });
    expect(readWav(readFileSync((prompt as { path: string }).path)).channels[0]!.length).toBe(12000);
    k.clock.advance(1800);
    await settle();
    expect(k.media.legPlayers(cust)).toEqual([{ kind: 'wav', path: '/queue.wav', loop: true }]);
  });

  it('hang-up with a goodbye prompt ends the call after the prompt; toIvr starts the IVR; transfer offers to the agent', async () => {
    const a = await setup();
    a.t.hangUp(a.ix, 'callback-accepted', { kind: 'callback-accepted', text: 'We will call you back.', lang: 'en-US' });
    await settle();
    expect(a.k.gateway.hungUp(a.cust)).toBe(false);
    a.k.clock.advance(2000);
    await settle();
    expect(a.k.gateway.hungUp(a.cust)).toBe(true);

    const b = await setup();
    b.t.toIvr(b.ix, 'night.vxml');
    await settle();
    expect(b.k.ivr.started.at(-1)).toMatchObject({ script: 'night.vxml', mode: 'new' });

    const c = await setup();
    c.t.transfer(c.ix, '8005');
    await settle();
    expect(c.k.gateway.dials.at(-1)).toMatchObject({ target: { kind: 'extension', extension: '8005' }, opts: { ringTimeoutMs: 9000 } });
    c.t.transfer(c.ix, '13900000000'); // not an agent: logged, the caller keeps waiting
    c.t.voicemail(c.ix);
    await settle();
    expect(c.k.runtime.get(c.ix).state).toBe('ringing');
  });
});
