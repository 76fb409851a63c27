// Queue treatment on the caller's leg: prompts rendered to WAV and played, music back after, hang-up after the prompt (issue 5, ACD-5, ACD-6, ACD-7).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { speechActivity } from '../../../test/audio/analysis.ts';
import { EspeakTts } from '../../media/tts/espeak-tts.ts';
import type { TextToSpeech } from '../../media/tts/text-to-speech.ts';
import { readWav } from '../../media/wav/wav-reader.ts';
import { FakeClock } from '../../shared/clock.ts';
import { silentLogger } from '../../switch/runtime/test-kit.ts';
import { type CustomerLegControl, SwitchTreatment } from './switch-treatment.ts';
import { fixedPrompt, positionPrompt } from './treatment-port.ts';

const dir = mkdtempSync(join(tmpdir(), 'acd-treatment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class RecordingControl implements CustomerLegControl {
  readonly calls: string[] = [];
  readonly paths: string[] = [];
  queued = true;
  async playToCustomer(ix: string, path: string, loop: boolean): Promise<void> {
    if (!this.queued) throw new Error('not queued');
    this.paths.push(path);
    this.calls.push(`play ${ix} ${path.startsWith(dir) ? path.slice(dir.length + 1).replace(/[0-9a-f]{32}/, 'H') : path} ${loop ? 'loop' : 'once'}`);
  }
  async endCall(ix: string, cause: string): Promise<void> {
    this.calls.push(`end ${ix} ${cause}`);
  }
  async queueToIvr(ix: string, to: { mode: 'resume' } | { mode: 'new'; script: string }): Promise<void> {
    this.calls.push(`ivr ${ix} ${to.mode === 'new' ? to.script : 'resume'}`);
  }
}

/** 250 ms of a 440 Hz tone per prompt, counting renders. */
class ToneTts implements TextToSpeech {
  renders = 0;
  async render(): Promise<Int16Array> {
    this.renders++;
    return Int16Array.from({ length: 2000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};
/** Waits (real time, file I/O included) until the control saw n requests. */
const until = async (control: RecordingControl, n: number) => {
  for (let i = 0; i < 200 && control.calls.length < n; i++) await new Promise((r) => setTimeout(r, 10));
};

function setup(voicemailApplication?: string) {
  const control = new RecordingControl();
  const tts = new ToneTts();
  const clock = new FakeClock();
  const t = new SwitchTreatment({ control, tts, clock, logger: silentLogger, promptDir: join(dir, 'p'), queueMusic: '/queue.wav', ...(voicemailApplication ? { voicemailApplication } : {}) });
  return { control, tts, clock, t };
}

describe('SwitchTreatment (ACD-5)', () => {
  it('an announcement is rendered once, played, and the queue music comes back when it ends', async () => {
    const { control, tts, clock, t } = setup();
    t.announce('ix1', positionPrompt('en-US', 3));
    await until(control, 1);
    expect(control.calls).toEqual(['play ix1 p/acd-H.wav once']);
    const wav = readWav(readFileSync(control.paths[0]!));
    expect([wav.sampleRate, wav.channels[0]!.length]).toEqual([8000, 2000]);
    clock.advance(249);
    expect(control.calls).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(control.calls.at(-1)).toBe('play ix1 /queue.wav loop');
    t.announce('ix2', positionPrompt('en-US', 3));
    await until(control, 3);
    expect(control.calls.at(-1)).toBe('play ix2 p/acd-H.wav once');
    expect(tts.renders).toBe(1);
  });

  it('a call that left the queue meanwhile is left alone', async () => {
    const { control, clock, t } = setup();
    t.announce('ix1', positionPrompt('zh-CN', 2, 60));
    await until(control, 1);
    control.queued = false;
    clock.advance(250);
    await flush();
    expect(control.calls).toHaveLength(1);
  });

  it('hang-up with a prompt ends the call after the prompt; without, at once', async () => {
    const { control, clock, t } = setup();
    t.hangUp('ix1', 'blacklist-refused', fixedPrompt('blacklist', 'zh-CN'));
    await until(control, 1);
    expect(control.calls).toEqual(['play ix1 p/acd-H.wav once']);
    clock.advance(250);
    await flush();
    expect(control.calls.at(-1)).toBe('end ix1 blacklist-refused');
    t.hangUp('ix2', 'blacklist-hang-up');
    await flush();
    expect(control.calls.at(-1)).toBe('end ix2 blacklist-hang-up');
  });

  it.each([
    [undefined, 'general', 'end ix1 voicemail-unavailable'],
    ['file:///vm.vxml', 'general', 'ivr ix1 file:///vm.vxml?mailbox=general'],
    ['file:///vm.vxml', undefined, 'ivr ix1 file:///vm.vxml'],
  ])('voicemail with application %s, mailbox %s', async (app, mailbox, expected) => {
    const { control, t } = setup(app);
    t.voicemail('ix1', mailbox);
    await flush();
    expect(control.calls).toEqual([expected]);
  });

  it('night service to an IVR, a transfer exit, and music other than the default', async () => {
    const { control, t } = setup();
    t.toIvr('ix1', 'night.vxml');
    t.transfer('ix2', '95000');
    t.playMusic('ix3', 'default');
    t.playMusic('ix4', '/jazz.wav');
    await flush();
    expect(control.calls).toEqual(['ivr ix1 night.vxml', 'end ix2 transfer-unavailable', 'play ix4 /jazz.wav loop']);
  });

  it('with espeak-ng the position announcement is speech of a plausible length', async () => {
    const control = new RecordingControl();
    const clock = new FakeClock();
    const t = new SwitchTreatment({ control, tts: new EspeakTts({ cacheDir: join(dir, 'tts') }), clock, logger: silentLogger, promptDir: join(dir, 'real'), queueMusic: '/q.wav' });
    t.announce('ix1', positionPrompt('zh-CN', 2, 90));
    await until(control, 1);
    const wav = readWav(readFileSync(control.paths[0]!));
    const speech = speechActivity(wav.channels[0]!);
    expect(speech.activeMs).toBeGreaterThan(2000);
  });
});

