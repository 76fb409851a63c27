import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechActivity, toneDbfs } from '../../../test/audio/analysis.ts';
import { EspeakTts } from '../../media/tts/espeak-tts.ts';
import { wavHeader } from '../../media/wav/wav-format.ts';
import type { Logger } from '../../shared/logger.ts';
import { AudioFileLoader } from './audio-file-loader.ts';
import { planPrompt } from './prompt-plan.ts';
import { comfortTone, DEFAULT_APOLOGY, PromptRenderer } from './prompt-renderer.ts';

const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
const dir = mkdtempSync(join(tmpdir(), 'ivr-render-'));
const tts = new EspeakTts({ cacheDir: join(dir, 'tts') });
const broken = new EspeakTts({ cacheDir: join(dir, 'tts-broken'), program: 'espeak-ng-missing' });

/** A 16 kHz stereo WAV of a 700 Hz tone: the loader must make it 8 kHz mono. */
function toneWav(seconds: number): Buffer {
  const n = 16000 * seconds;
  const pcm = new Int16Array(n * 2);
  for (let i = 0; i < n; i++) pcm[2 * i] = pcm[2 * i + 1] = Math.round(9000 * Math.sin((2 * Math.PI * 700 * i) / 16000));
  return Buffer.concat([wavHeader(2, 16000, pcm.byteLength), Buffer.from(pcm.buffer)]);
}

let server: Server;
let base = '';
beforeAll(async () => {
  const wav = toneWav(1);
  server = createServer((req, res) => {
    if (req.url === '/menu.wav') res.writeHead(200, { 'content-type': 'audio/x-wav' }).end(wav);
    else if (req.url === '/big.wav') res.writeHead(200).end(Buffer.alloc(3000));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('prompt audio: files over file: and http:, fallbacks, no dead air - IVR-1', () => {
  it('loads WAV prompts from http and file URLs as 8 kHz mono; refuses 404s and oversize files', async () => {
    const loader = new AudioFileLoader({ maxBytes: 2048 + 64_000 });
    const pcm = await loader.load(`${base}/menu.wav`);
    expect(pcm.length).toBe(8000);
    expect(toneDbfs(pcm, 700)).toBeGreaterThan(-15);
    const file = join(dir, 'menu.wav');
    writeFileSync(file, toneWav(0.5));
    expect((await loader.load(pathToFileURL(file).href)).length).toBe(4000);
    await expect(loader.load(`${base}/missing.wav`)).rejects.toThrow(/404/);
    await expect(new AudioFileLoader({ maxBytes: 1000 }).load(`${base}/big.wav`)).rejects.toThrow(/larger/);
    await expect(loader.load('ftp://example.com/a.wav')).rejects.toThrow(/scheme/);
  });

  it('renders speech, silence and audio in order; a missing file plays its fallback; without one, the apology', async () => {
    const r = new PromptRenderer({ tts, audio: new AudioFileLoader(), logger, apologyText: DEFAULT_APOLOGY });
    const out = await r.render(
      planPrompt(
        [
          { kind: 'audio', url: `${base}/menu.wav`, fallback: [] },
          { kind: 'break', ms: 500 },
          { kind: 'audio', url: `${base}/gone.wav`, fallback: [{ kind: 'text', text: '欢迎致电', lang: 'zh-CN' }] },
        ],
        'en-US',
      ),
      'en-US',
    );
    expect(toneDbfs(out.pcm.subarray(0, 8000), 700)).toBeGreaterThan(-15);
    expect(speechActivity(out.pcm.subarray(8000, 12000)).activeMs).toBe(0);
    expect(speechActivity(out.pcm.subarray(12000)).activeMs).toBeGreaterThan(500);
    expect(out.problems).toEqual([expect.stringMatching(/gone\.wav unavailable/)]);

    const apology = await r.render(planPrompt([{ kind: 'audio', url: `${base}/gone.wav`, fallback: [] }], 'zh-CN'), 'zh-CN');
    expect(apology.pcm.length).toBe((await tts.render(DEFAULT_APOLOGY['zh-CN'], 'zh-CN')).length);
    expect(apology.problems).toEqual([expect.stringMatching(/unavailable/), 'played the apology']);
  });

  it('TTS down: one comfort tone per prompt, however many parts failed', async () => {
    const r = new PromptRenderer({ tts: broken, audio: new AudioFileLoader(), logger, apologyText: DEFAULT_APOLOGY });
    const out = await r.render(planPrompt([{ kind: 'text', text: 'one' }, { kind: 'break', ms: 100 }, { kind: 'text', text: 'two' }], 'en-US'), 'en-US');
    expect(out.pcm.length).toBe(comfortTone().length + 800);
    expect(out.problems.filter((p) => p === 'played the comfort tone')).toHaveLength(1);
  });
});
