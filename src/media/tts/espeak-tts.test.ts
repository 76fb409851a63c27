import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { speechActivity } from '../../../test/audio/analysis.ts';
import { EspeakTts } from './espeak-tts.ts';
import { TtsError } from './text-to-speech.ts';

/** A cache folder of the running test's own, removed when the test ends. */
function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tts-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('TTS with espeak-ng, cached by text and voice - TEL-3', () => {
  it.each([
    ['zh-CN', '您好，欢迎致电客户服务热线。'],
    ['en-US', 'Welcome to the customer service hotline.'],
  ] as const)('renders %s speech at 8 kHz with speech energy, then serves it from the cache', async (voice, text) => {
    const tts = new EspeakTts({ cacheDir: cacheDir() });
    const pcm = await tts.render(text, voice);
    const act = speechActivity(pcm);
    expect(act.activeMs).toBeGreaterThan(800);
    expect(pcm.length / 8000).toBeLessThan(10);
    const again = await tts.render(text, voice);
    expect(again.length).toBe(pcm.length);
    expect(tts.toJSON()).toEqual({ renders: 1, cacheHits: 1 });
    await tts.render(text, voice === 'zh-CN' ? 'en-US' : 'zh-CN');
    expect(tts.toJSON().renders).toBe(2); // the voice is part of the key
  });

  it('reports engine failure and empty text as typed errors', async () => {
    const tts = new EspeakTts({ cacheDir: cacheDir(), program: 'espeak-ng-not-installed' });
    await expect(tts.render('hello', 'en-US')).rejects.toBeInstanceOf(TtsError);
    await expect(tts.render('  ', 'en-US')).rejects.toMatchObject({ code: 'empty-text' });
  });
});
