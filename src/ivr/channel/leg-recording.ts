import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wavHeader } from '../../media/wav/wav-format.ts';
import { readWav } from '../../media/wav/wav-reader.ts';
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { LegMedia } from './leg-media.ts';
import type { RecordRequest, RecordResult } from './voice-channel.ts';

export type RecordEnd = { kind: 'dtmf'; key: string } | { kind: 'maxtime' } | { kind: 'silence' } | { kind: 'no-speech' } | { kind: 'hangup' };

export interface LegRecordingDeps {
  readonly media: LegMedia;
  readonly clock: Clock;
  readonly legId: string;
  /** Where the finished recordings go (mono WAV of what the caller said). */
  readonly dir: string;
  readonly name: string;
}

/** A 20 ms frame louder than this counts as the caller speaking. */
const SPEECH_DBFS = -40;
const FRAME_BYTES = 160 * 4; // 20 ms of stereo 16-bit
const HEADER = 44;
/** How often the growing file is looked at for final silence. */
const POLL_MS = 250;
/** No speech at all after this long (or finalsilence, if longer): noinput. */
const NO_SPEECH_MS = 5_000;

/**
 * One VoiceXML `<record>` on an engine leg: optional beep, the engine
 * records the leg (received left, sent right), ended by a DTMF key
 * (dtmfterm), maxtime, final silence after speech, or hang-up. The result is
 * the caller's side as a mono 8 kHz WAV. Final silence is judged on what the
 * engine has flushed to disk (it writes in 64 KiB chunks, about 2 s), so it
 * ends a recording up to that much late.
 */
export class LegRecording {
  private finish!: (e: RecordEnd) => void;
  private readonly ended: Promise<RecordEnd>;
  private analysed = HEADER;
  private speechHeard = false;
  private silentMs = 0;
  private elapsedMs = 0;

  constructor(
    private readonly d: LegRecordingDeps,
    private readonly req: RecordRequest,
  ) {
    this.ended = new Promise((r) => (this.finish = r));
  }

  /** A key from the caller: ends the recording when dtmfterm is on, else ignored. */
  digit(key: string): void {
    if (this.req.dtmfTerm) this.end({ kind: 'dtmf', key });
  }

  end(e: RecordEnd): void {
    this.finish(e);
  }

  async run(): Promise<RecordResult> {
    const { media, clock, legId } = this.d;
    if (this.req.beep) await this.beep();
    const tmp = join(this.d.dir, `${this.d.name}.part.wav`);
    const recorderId = await media.record({ legId }, tmp, 'channels');
    const timers: TimerHandle[] = [clock.setTimeout(() => this.end({ kind: 'maxtime' }), this.req.maxTimeMs)];
    let polling = true;
    const poll = () => {
      if (!polling) return;
      void this.analyse(tmp).finally(() => polling && timers.push(clock.setTimeout(poll, POLL_MS)));
    };
    timers.push(clock.setTimeout(poll, POLL_MS));
    const end = await this.ended;
    polling = false;
    for (const t of timers) t.cancel();
    await media.controlRecording(recorderId, 'stop').catch(() => undefined); // a gone leg has stopped it already
    try {
      if (end.kind === 'hangup') return { kind: 'hangup' };
      const rx = readWav(await readFile(tmp)).channels[0] ?? new Int16Array(0);
      if (!hasSpeech(rx)) return { kind: 'noinput' };
      const path = join(this.d.dir, `${this.d.name}.wav`);
      const body = Buffer.from(rx.buffer, rx.byteOffset, rx.byteLength);
      await writeFile(path, Buffer.concat([wavHeader(1, 8000, body.length), body]));
      return {
        kind: 'recorded',
        recording: { uri: pathToFileURL(path).href, durationMs: Math.round(rx.length / 8), sizeBytes: HEADER + body.length, type: 'audio/x-wav' },
        termKey: end.kind === 'dtmf' ? end.key : undefined,
        maxTime: end.kind === 'maxtime',
      };
    } catch {
      return { kind: 'noinput' };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  private async beep(): Promise<void> {
    const { media, clock, legId } = this.d;
    const id = await media.play({ legId }, { kind: 'tone', frequencies: [1000], levelDbfs: -14 });
    await new Promise<void>((r) => clock.setTimeout(r, 250));
    await media.stopPlayer(id).catch(() => undefined);
  }

  /** Looks at what was flushed since the last poll: speech heard, trailing silence. */
  private async analyse(path: string): Promise<void> {
    let fh;
    try {
      fh = await open(path, 'r');
      const size = (await fh.stat()).size;
      const whole = Math.floor((size - this.analysed) / FRAME_BYTES) * FRAME_BYTES;
      if (whole > 0) {
        const buf = Buffer.alloc(whole);
        await fh.read(buf, 0, whole, this.analysed);
        this.analysed += whole;
        for (let off = 0; off < whole; off += FRAME_BYTES) {
          let sum = 0;
          for (let i = off; i < off + FRAME_BYTES; i += 4) {
            const v = buf.readInt16LE(i);
            sum += v * v;
          }
          const loud = 20 * Math.log10(Math.sqrt(sum / 160) / 32767 + 1e-12) > SPEECH_DBFS;
          this.elapsedMs += 20;
          if (loud) {
            this.speechHeard = true;
            this.silentMs = 0;
          } else this.silentMs += 20;
        }
      }
    } catch {
      return; // not there yet
    } finally {
      await fh?.close();
    }
    if (this.speechHeard && this.silentMs >= this.req.finalSilenceMs) this.end({ kind: 'silence' });
    else if (!this.speechHeard && this.elapsedMs >= Math.max(NO_SPEECH_MS, this.req.finalSilenceMs)) this.end({ kind: 'no-speech' });
  }
}

function hasSpeech(pcm: Int16Array): boolean {
  for (let off = 0; off + 160 <= pcm.length; off += 160) {
    let sum = 0;
    for (let i = off; i < off + 160; i++) sum += pcm[i]! * pcm[i]!;
    if (20 * Math.log10(Math.sqrt(sum / 160) / 32767 + 1e-12) > SPEECH_DBFS) return true;
  }
  return false;
}
