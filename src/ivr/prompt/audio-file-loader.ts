import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { WavPlayer } from '../../media/wav/wav-player.ts';

/** Where `<audio src>` prompts come from: the audio as 8 kHz mono PCM, or a rejection when it cannot be had. */
export interface AudioLoader {
  load(url: string): Promise<Int16Array>;
}

export interface AudioFileLoaderOptions {
  /** Time limit for an http(s) fetch. */
  timeoutMs: number;
  /** Largest audio file accepted. */
  maxBytes: number;
}

/**
 * WAV prompts (PCM16 or G.711, any rate, any channel count) from file: and
 * http(s): URLs, decoded and resampled to 8 kHz mono. Read on every play, so
 * a replaced prompt file is heard on the next call (IVR-2).
 */
export class AudioFileLoader implements AudioLoader {
  private readonly o: AudioFileLoaderOptions;

  constructor(options: Partial<AudioFileLoaderOptions> = {}) {
    this.o = { timeoutMs: 5_000, maxBytes: 20 * 1024 * 1024, ...options };
  }

  async load(url: string): Promise<Int16Array> {
    const u = new URL(url);
    let bytes: Uint8Array;
    if (u.protocol === 'file:') {
      bytes = await readFile(fileURLToPath(u));
    } else if (u.protocol === 'http:' || u.protocol === 'https:') {
      const res = await fetch(u, { signal: AbortSignal.timeout(this.o.timeoutMs) });
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      bytes = new Uint8Array(await res.arrayBuffer());
    } else {
      throw new Error(`${url}: unsupported scheme`);
    }
    if (bytes.length > this.o.maxBytes) throw new Error(`${url}: larger than ${this.o.maxBytes} bytes`);
    return new WavPlayer(bytes).pcm;
  }
}
