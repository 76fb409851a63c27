import { readFile } from 'node:fs/promises';
import type { TextToSpeech } from '../../media/tts/text-to-speech.ts';
import { WavPlayer } from '../../media/wav/wav-player.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AudioLoader } from './audio-file-loader.ts';
import { planText, type PlanItem } from './prompt-plan.ts';
import type { PromptLocale } from './say-as.ts';

const RATE = 8000;

export interface PromptRendererOptions {
  readonly tts: TextToSpeech;
  readonly audio: AudioLoader;
  readonly logger: Logger;
  /** Said when a prompt cannot be rendered (TTS failure, missing file without fallback). */
  readonly apologyText: Readonly<Record<PromptLocale, string>>;
  /** A recorded apology (WAV path), played when even the apology cannot be synthesised. */
  readonly apologyWav?: string;
}

export const DEFAULT_APOLOGY: Readonly<Record<PromptLocale, string>> = {
  'zh-CN': '抱歉，该提示暂时无法播放。',
  'en-US': 'Sorry, this message cannot be played right now.',
};

export interface RenderedPrompt {
  /** 8 kHz mono PCM: everything the caller should hear, in order. */
  readonly pcm: Int16Array;
  /** The plan as text (logs). */
  readonly text: string;
  /** What could not be rendered as asked, and what was played instead. */
  readonly problems: readonly string[];
}

/**
 * Turns a prompt plan into audio: speech through the TTS port (whose own
 * cache makes repeated prompts cheap), silences, audio files. Never leaves
 * dead air: a missing or unreadable file plays its fallback, a failed
 * render plays the platform apology (synthesised, else recorded, else a
 * short comfort tone), once per prompt.
 */
export class PromptRenderer {
  constructor(private readonly o: PromptRendererOptions) {}

  async render(plan: readonly PlanItem[], locale: PromptLocale): Promise<RenderedPrompt> {
    const parts: Int16Array[] = [];
    const problems: string[] = [];
    const state = { apologised: false };
    await this.renderItems(plan, locale, parts, problems, state);
    return { pcm: concat(parts), text: planText(plan), problems };
  }

  private async renderItems(plan: readonly PlanItem[], locale: PromptLocale, parts: Int16Array[], problems: string[], state: { apologised: boolean }): Promise<void> {
    for (const item of plan) {
      if (item.kind === 'silence') {
        parts.push(new Int16Array(Math.round((item.ms * RATE) / 1000)));
        continue;
      }
      if (item.kind === 'speech') {
        try {
          parts.push(await this.o.tts.render(item.text, item.locale));
        } catch (e) {
          problems.push(`tts failed for "${item.text}": ${message(e)}`);
          await this.apologise(item.locale, parts, problems, state);
        }
        continue;
      }
      try {
        parts.push(await this.o.audio.load(item.url));
      } catch (e) {
        problems.push(`audio ${item.url} unavailable: ${message(e)}`);
        if (item.fallback.length > 0) await this.renderItems(item.fallback, locale, parts, problems, state);
        else await this.apologise(locale, parts, problems, state);
      }
    }
  }

  private async apologise(locale: PromptLocale, parts: Int16Array[], problems: string[], state: { apologised: boolean }): Promise<void> {
    if (state.apologised) return;
    state.apologised = true;
    try {
      parts.push(await this.o.tts.render(this.o.apologyText[locale], locale));
      problems.push('played the apology');
      return;
    } catch (e) {
      problems.push(`apology tts failed: ${message(e)}`);
    }
    if (this.o.apologyWav) {
      try {
        parts.push(new WavPlayer(await readFile(this.o.apologyWav)).pcm);
        problems.push('played the recorded apology');
        return;
      } catch (e) {
        problems.push(`recorded apology unavailable: ${message(e)}`);
      }
    }
    this.o.logger.warn({ problems }, 'ivr prompt: nothing to say, playing the comfort tone');
    parts.push(comfortTone());
    problems.push('played the comfort tone');
  }
}

/** Two short 440 Hz beeps at -16 dBFS: the caller hears that something is there. */
export function comfortTone(): Int16Array {
  const beep = 0.2 * RATE;
  const gap = 0.15 * RATE;
  const out = new Int16Array(2 * beep + gap);
  const amp = 32767 * 10 ** (-16 / 20);
  for (let i = 0; i < beep; i++) {
    const v = Math.round(amp * Math.sin((2 * Math.PI * 440 * i) / RATE));
    out[i] = v;
    out[beep + gap + i] = v;
  }
  return out;
}

function concat(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
