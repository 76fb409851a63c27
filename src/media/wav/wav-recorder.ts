import { type MediaStage, SAMPLE_RATE } from '../stage.ts';
import { WAV_HEADER_SIZE, wavHeader } from './wav-format.ts';
import type { WavSink } from './wav-sink.ts';

/**
 * Records frames into a WAV file through a WavSink: mixed mono (one channel)
 * or one channel per party (a multi-channel WAV, TEL-5). The header is
 * written at start with sizes 0 and fixed up at stop, so a recording cut off
 * by a crash is still readable up to its last frame.
 *
 *   idle --start--> recording --pause--> paused --resume--> recording
 *   recording|paused --stop--> stopped
 *
 * While paused, frames are dropped (nothing written). A request the state
 * does not allow throws RecorderError with code 'invalid-transition'.
 */
/** WAV samples are little-endian; so is every host Node runs on in practice, but check. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export type RecorderState = 'idle' | 'recording' | 'paused' | 'stopped';
type RecorderAction = 'start' | 'pause' | 'resume' | 'stop';

const TRANSITIONS: Record<RecorderState, Partial<Record<RecorderAction, RecorderState>>> = {
  idle: { start: 'recording' },
  recording: { pause: 'paused', stop: 'stopped' },
  paused: { resume: 'recording', stop: 'stopped' },
  stopped: {},
};

export class RecorderError extends Error {
  readonly code: 'invalid-transition' | 'bad-frame';
  constructor(code: 'invalid-transition' | 'bad-frame', message: string) {
    super(`${code}: ${message}`);
    this.name = 'RecorderError';
    this.code = code;
  }
}

export interface WavRecorderOptions {
  channels: number;
  sampleRate: number;
}

export class WavRecorder implements MediaStage<Int16Array[], void> {
  private readonly o: WavRecorderOptions;
  private state: RecorderState = 'idle';
  private dataBytes = 0;
  private counts = { framesWritten: 0, framesDroppedPaused: 0, pauses: 0 };
  /** The interleaved frame handed to the sink, reused every frame (the sink copies or writes it at once). */
  private out: Uint8Array | undefined;
  private out16: Int16Array | undefined;

  constructor(
    private readonly sink: WavSink,
    options: Partial<WavRecorderOptions> = {},
  ) {
    this.o = { channels: 1, sampleRate: SAMPLE_RATE, ...options };
  }

  get current(): RecorderState {
    return this.state;
  }

  start(): void {
    this.transition('start');
    this.sink.append(wavHeader(this.o.channels, this.o.sampleRate, 0));
  }

  pause(): void {
    this.transition('pause');
    this.counts.pauses++;
  }

  resume(): void {
    this.transition('resume');
  }

  stop(): void {
    this.transition('stop');
    this.sink.writeAt(0, wavHeader(this.o.channels, this.o.sampleRate, this.dataBytes));
    this.sink.close();
  }

  /** One frame per channel, same length; mono takes one. */
  processInput(frames: Int16Array[]): void {
    if (this.state === 'paused') {
      this.counts.framesDroppedPaused++;
      return;
    }
    if (this.state !== 'recording') return;
    const ch = this.o.channels;
    if (frames.length !== ch) throw new RecorderError('bad-frame', `expected ${ch} channel frames, got ${frames.length}`);
    const n = frames[0]!.length;
    for (let c = 1; c < ch; c++) if (frames[c]!.length !== n) throw new RecorderError('bad-frame', 'channel frames differ in length');
    let out = this.out;
    if (!out || out.length !== n * ch * 2) {
      out = this.out = new Uint8Array(n * ch * 2);
      this.out16 = new Int16Array(out.buffer);
    }
    if (LITTLE_ENDIAN) {
      // interleave through a 16-bit view: one store per sample instead of a writeInt16LE call
      const v = this.out16!;
      if (ch === 1) v.set(frames[0]!);
      else
        for (let c = 0; c < ch; c++) {
          const f = frames[c]!;
          for (let i = 0, j = c; i < n; i++, j += ch) v[j] = f[i]!;
        }
    } else {
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) for (let c = 0; c < ch; c++) view.setInt16((i * ch + c) * 2, frames[c]![i]!, true);
    }
    this.sink.append(out);
    this.dataBytes += out.length;
    this.counts.framesWritten++;
  }

  toJSON() {
    return { state: this.state, channels: this.o.channels, ...this.counts, seconds: this.dataBytes / 2 / this.o.channels / this.o.sampleRate, headerBytes: WAV_HEADER_SIZE };
  }

  private transition(action: RecorderAction): void {
    const next = TRANSITIONS[this.state][action];
    if (!next) throw new RecorderError('invalid-transition', `cannot ${action} when ${this.state}`);
    this.state = next;
  }
}
