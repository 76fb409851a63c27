/**
 * Helpers for switch call tests with real phones (issue 4): the HTTP API of a
 * server inside a network namespace (curl run in the namespace), and what a
 * phone heard over a span of wall-clock time, read from its WAV and analysed
 * with Goertzel (DESIGN.md "How audio is checked in tests").
 *
 * A phone's WAV ends when its call ends, so a wall-clock instant t maps to
 * WAV time `duration - (hangupAt - t)`; spans are trimmed by a margin on
 * both sides so signalling and jitter-buffer delays do not blur them.
 */
import { readFileSync } from 'node:fs';
import { readWav } from '../../src/media/wav/wav-reader.ts';
import { MELODY_FREQUENCIES } from '../../src/switch/runtime/hold-music.ts';
import { toneDbfs } from '../audio/analysis.ts';
import type { Netns } from './netns.ts';

export interface ApiAnswer {
  status: number;
  json: unknown;
}

/** Calls the API from inside the namespace. */
export function nsApi(ns: Netns, baseUrl: string, token: string) {
  return (method: string, path: string, body?: unknown): ApiAnswer => {
    const args = ['-s', '-o', '-', '-w', '\n%{http_code}', '-X', method, '-H', `Authorization: Bearer ${token}`];
    if (body !== undefined) args.push('-H', 'content-type: application/json', '--data', JSON.stringify(body));
    const out = ns.exec('curl', [...args, `${baseUrl}${path}`]);
    const i = out.lastIndexOf('\n');
    const text = out.slice(0, i);
    return { status: Number(out.slice(i + 1)), json: text ? JSON.parse(text) : undefined };
  };
}

export interface Heard {
  /** dBFS of each probed tone over the span. */
  tones: Record<number, number>;
  /** Loudest melody note in any 250 ms slice of the span (music on hold). */
  music: number;
  /**
   * Share of the span's 250 ms slices in which a melody note stands above
   * -35 dBFS: near 1 while music plays, near 0 otherwise (a single click
   * from a lost packet can reach one slice, never most of them).
   */
  musicShare: number;
}

export class PhoneRecording {
  readonly samples: Int16Array;
  readonly durationS: number;
  /**
   * Seconds of the call that the WAV lacks: the time from `startedAt` (when
   * the call was known to be talking) to `endedAt`, less the WAV's length.
   * baresip dumps a frame per decoded packet, so on a loaded machine frames
   * the phone never got shorten the file, and an instant placed by counting
   * back from the end can be off by up to this much.
   */
  readonly shortfallS: number;

  constructor(
    path: string,
    private readonly endedAt: number,
    startedAt?: number,
  ) {
    const wav = readWav(readFileSync(path));
    if (wav.sampleRate !== 8000) throw new Error(`${path}: expected 8 kHz, got ${wav.sampleRate}`);
    this.samples = wav.channels[0]!;
    this.durationS = this.samples.length / 8000;
    this.shortfallS = startedAt === undefined ? 0 : Math.max(0, (endedAt - startedAt) / 1000 - this.durationS);
  }

  /** The default margin: 0.7 s, widened by the shortfall (at most by 1 s). */
  get marginS(): number {
    return 0.7 + Math.min(this.shortfallS, 1);
  }

  /** What was heard between two wall-clock instants (ms), trimmed by marginS on each side. */
  heard(fromMs: number, toMs: number, probes: number[], marginS = this.marginS): Heard {
    const a = Math.max(0, this.durationS - (this.endedAt - fromMs) / 1000 + marginS);
    const b = Math.min(this.durationS, this.durationS - (this.endedAt - toMs) / 1000 - marginS);
    if (!(b - a >= 0.5)) throw new Error(`span too short to analyse: ${a.toFixed(2)}-${b.toFixed(2)} s of ${this.durationS.toFixed(2)} s`);
    const span = this.samples.subarray(Math.round(a * 8000), Math.round(b * 8000));
    const tones: Record<number, number> = {};
    for (const f of probes) tones[f] = toneDbfs(span, f);
    let music = -Infinity;
    let slices = 0;
    let withMusic = 0;
    for (let off = 0; off + 2000 <= span.length; off += 2000) {
      const slice = span.subarray(off, off + 2000);
      let loudest = -Infinity;
      for (const f of MELODY_FREQUENCIES) loudest = Math.max(loudest, toneDbfs(slice, f));
      music = Math.max(music, loudest);
      slices++;
      if (loudest > -35) withMusic++;
    }
    return { tones, music, musicShare: slices === 0 ? 0 : withMusic / slices };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the predicate holds (or throws with the last value). */
export async function until<T>(what: string, get: () => T, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = get();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`${what}: not reached within ${timeoutMs} ms; last: ${JSON.stringify(v).slice(0, 2000)}`);
    await sleep(100);
    v = get();
  }
  return v;
}
