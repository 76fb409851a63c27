import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_RATE } from '../stage.ts';
import { resample } from '../wav/resampler.ts';
import { wavHeader } from '../wav/wav-format.ts';
import { readWav } from '../wav/wav-reader.ts';
import { type TextToSpeech, TtsError, type TtsVoice } from './text-to-speech.ts';

/** Runs a program and returns its stdout (injected so tests can count calls). */
export type RunProgram = (cmd: string, args: string[]) => Promise<Buffer>;

export interface EspeakTtsOptions {
  /** Directory of rendered prompts, 8 kHz WAV named by sha256(voice + text). */
  cacheDir: string;
  program: string;
  run: RunProgram;
  /** Words per minute. */
  speed: number;
}

const VOICES: Record<TtsVoice, string> = { 'zh-CN': 'cmn', 'en-US': 'en' };

/** espeak-ng adapter: WAV on stdout, resampled to 8 kHz, cached on disk. */
export class EspeakTts implements TextToSpeech {
  private readonly o: EspeakTtsOptions;
  private counts = { renders: 0, cacheHits: 0 };

  constructor(options: Partial<EspeakTtsOptions> & Pick<EspeakTtsOptions, 'cacheDir'>) {
    this.o = { program: 'espeak-ng', run: runProgram, speed: 160, ...options };
    mkdirSync(this.o.cacheDir, { recursive: true });
  }

  async render(text: string, voice: TtsVoice): Promise<Int16Array> {
    if (text.trim() === '') throw new TtsError('empty-text', 'nothing to say');
    const key = createHash('sha256').update(`${voice}\n${this.o.speed}\n${text}`).digest('hex');
    const path = join(this.o.cacheDir, `${key}.wav`);
    try {
      const cached = readWav(readFileSync(path)).channels[0]!;
      this.counts.cacheHits++;
      return cached;
    } catch {
      // not cached yet (or unreadable): render below
    }
    let wav: Buffer;
    try {
      wav = await this.o.run(this.o.program, ['-v', VOICES[voice], '-s', String(this.o.speed), '--stdout', text]);
    } catch (e) {
      throw new TtsError('engine-failed', e instanceof Error ? e.message : String(e));
    }
    const audio = readWav(wav);
    const pcm = resample(audio.channels[0]!, audio.sampleRate, SAMPLE_RATE);
    const file = Buffer.concat([wavHeader(1, SAMPLE_RATE, pcm.length * 2), Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
    writeFileSync(`${path}.tmp`, file);
    renameSync(`${path}.tmp`, path);
    this.counts.renders++;
    return pcm;
  }

  toJSON() {
    return { ...this.counts };
  }
}

const runProgram: RunProgram = (cmd, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} exited ${code}: ${Buffer.concat(err).toString().trim()}`))));
  });
