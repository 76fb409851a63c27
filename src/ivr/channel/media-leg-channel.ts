import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvent } from '../../media/engine/engine-protocol.ts';
import { wavHeader } from '../../media/wav/wav-format.ts';
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { planPrompt } from '../prompt/prompt-plan.ts';
import type { PromptRenderer } from '../prompt/prompt-renderer.ts';
import type { PromptLocale } from '../prompt/say-as.ts';
import { ChannelError, type LegMedia } from './leg-media.ts';
import { LegRecording } from './leg-recording.ts';
import type { KeyEvent, PromptSegment, RecordRequest, RecordResult, TransferPort, VoiceChannel } from './voice-channel.ts';

export interface MediaLegChannelOptions {
  readonly legId: string;
  readonly media: LegMedia;
  readonly renderer: PromptRenderer;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Voice for prompts without xml:lang. */
  readonly locale: PromptLocale;
  /** Scratch prompt files and finished recordings. */
  readonly workDir: string;
  readonly transfers: TransferPort;
  /** The document hung up (`<disconnect>`, `<exit>` is the runner's business). */
  readonly onDisconnect?: () => void;
  /** Keys kept as typeahead at most (older ones are dropped). */
  readonly maxTypeahead?: number;
}

/**
 * idle ──play──► playing ──done / barge-in──► idle
 * idle ──waitKey──► waiting ──key / timeout──► idle
 * idle ──record──► recording ──key / maxtime / silence──► idle
 * any ──hangup / disconnect / leg failure──► ended
 */
export type ChannelState = 'idle' | 'playing' | 'waiting' | 'recording' | 'ended';
const TRANSITIONS: Record<ChannelState, readonly ChannelState[]> = {
  idle: ['playing', 'waiting', 'recording', 'ended'],
  playing: ['idle', 'ended'],
  waiting: ['idle', 'ended'],
  recording: ['idle', 'ended'],
  ended: [],
};

type Wake = { kind: 'done' } | { kind: 'key'; key: string } | { kind: 'timeout' } | { kind: 'hangup' };

/**
 * A VoiceChannel over a media-engine leg (a real call). Prompts are planned
 * (SSML subset), rendered to one 8 kHz WAV and played to the leg; digits
 * come from the engine's dtmf events (RFC 4733 or in-band).
 *
 * Input timing follows VoiceXML 2.0 §4.1.5 and §4.1.8: keys pressed while
 * no prompt plays and no input is collected (transitions, fetches) are kept
 * as typeahead; a bargeable prompt stops at the first key, which stays as
 * input, and is not played at all when typeahead is already waiting; a
 * non-bargeable prompt empties the typeahead buffer when it starts and
 * ignores keys while it plays.
 */
export class MediaLegChannel implements VoiceChannel {
  private state: ChannelState = 'idle';
  private readonly typeahead: string[] = [];
  private wake?: (w: Wake) => void;
  private bargein = false;
  private barged = false;
  private playerId?: string;
  private recording?: LegRecording;
  private n = 0;
  private readonly unsubscribe: () => void;
  private readonly finishedPlayers = new Set<string>();
  endedBy?: 'caller' | 'document' | 'leg-failed';

  constructor(private readonly o: MediaLegChannelOptions) {
    this.unsubscribe = o.media.onEvent((e) => this.onEngineEvent(e));
  }

  get transfers(): TransferPort {
    return this.o.transfers;
  }

  get current(): ChannelState {
    return this.state;
  }

  async play(prompts: readonly PromptSegment[], options: { readonly bargein: boolean }): Promise<'played' | 'hangup'> {
    if (this.state === 'ended') return 'hangup';
    if (!options.bargein) this.typeahead.length = 0;
    else if (this.typeahead.length > 0) return 'played';
    this.move('playing');
    this.bargein = options.bargein;
    this.barged = false;
    const { media, legId } = this.o;
    const rendered = await this.o.renderer.render(planPrompt(prompts, this.o.locale), this.o.locale);
    if (rendered.problems.length) this.o.logger.warn({ legId, prompt: rendered.text, problems: rendered.problems }, 'ivr prompt: played a substitute');
    if (this.isEnded()) return 'hangup';
    if (this.barged || rendered.pcm.length === 0) return this.back('played');
    const path = join(this.o.workDir, `${legId}-prompt-${++this.n}.wav`);
    const body = Buffer.from(rendered.pcm.buffer, rendered.pcm.byteOffset, rendered.pcm.byteLength);
    await writeFile(path, Buffer.concat([wavHeader(1, 8000, body.length), body]));
    if (this.isEnded() || this.barged) {
      void rm(path, { force: true });
      return this.isEnded() ? 'hangup' : this.back('played');
    }
    let guard: TimerHandle | undefined;
    try {
      const woken = new Promise<Wake>((r) => (this.wake = r));
      const id = await media.play({ legId }, { kind: 'wav', path, loop: false });
      this.playerId = id;
      if (this.finishedPlayers.delete(id)) this.wakeUp({ kind: 'done' });
      // The worker has read the file once the play is acknowledged.
      void rm(path, { force: true });
      // Should player-done ever be lost, the prompt still ends.
      guard = this.o.clock.setTimeout(() => this.wakeUp({ kind: 'done' }), rendered.pcm.length / 8 + 3_000);
      const w = await woken;
      if (w.kind === 'hangup') return 'hangup';
      if (w.kind === 'key') await media.stopPlayer(id).catch(() => undefined);
      return this.back('played');
    } catch (e) {
      void rm(path, { force: true });
      this.o.logger.warn({ legId, err: String(e) }, 'ivr prompt: the engine could not play it');
      if (this.isEnded()) return 'hangup';
      this.hangup('leg-failed');
      return 'hangup';
    } finally {
      guard?.cancel();
      this.playerId = undefined;
    }
  }

  async waitKey(timeoutMs: number, _phase: 'first' | 'next'): Promise<KeyEvent> {
    if (this.state === 'ended') return { kind: 'hangup' };
    const k = this.typeahead.shift();
    if (k !== undefined) return { kind: 'key', key: k };
    this.move('waiting');
    const woken = new Promise<Wake>((r) => (this.wake = r));
    const timer = this.o.clock.setTimeout(() => this.wakeUp({ kind: 'timeout' }), timeoutMs);
    const w = await woken;
    timer.cancel();
    if (w.kind === 'hangup') return { kind: 'hangup' };
    this.back(undefined);
    return w.kind === 'key' ? { kind: 'key', key: w.key } : { kind: 'timeout' };
  }

  async record(req: RecordRequest): Promise<RecordResult> {
    if (this.state === 'ended') return { kind: 'hangup' };
    this.move('recording');
    this.typeahead.length = 0;
    const rec = new LegRecording({ media: this.o.media, clock: this.o.clock, legId: this.o.legId, dir: this.o.workDir, name: `${this.o.legId}-recording-${++this.n}` }, req);
    this.recording = rec;
    try {
      const r = await rec.run();
      if (this.isEnded()) return { kind: 'hangup' };
      this.back(undefined);
      return r;
    } catch (e) {
      this.o.logger.warn({ legId: this.o.legId, err: String(e) }, 'ivr record: the engine could not record');
      if (!this.isEnded()) this.back(undefined);
      return this.isEnded() ? { kind: 'hangup' } : { kind: 'noinput' };
    } finally {
      this.recording = undefined;
    }
  }

  /** The document hangs up (`<disconnect>`). */
  async disconnect(): Promise<void> {
    if (this.state === 'ended') return;
    this.hangup('document');
    this.o.onDisconnect?.();
  }

  /** The call is over for the IVR (caller hung up, switch took the call, leg failed): every wait ends with hangup. */
  hangup(by: 'caller' | 'document' | 'leg-failed' = 'caller'): void {
    if (this.state === 'ended') return;
    this.move('ended');
    this.endedBy = by;
    if (this.playerId !== undefined) void this.o.media.stopPlayer(this.playerId).catch(() => undefined);
    this.recording?.end({ kind: 'hangup' });
    this.wakeUp({ kind: 'hangup' });
  }

  /** Stop listening to the engine (after the session has ended). */
  close(): void {
    this.hangup('caller');
    this.unsubscribe();
  }

  private onEngineEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'dtmf':
        if (e.legId === this.o.legId) this.digit(e.digit);
        return;
      case 'player-done':
        if (e.playerId === this.playerId) this.wakeUp({ kind: 'done' });
        else if (this.state === 'playing') this.finishedPlayers.add(e.playerId);
        return;
      case 'leg-failed':
      case 'leg-error':
        if (e.legId === this.o.legId) this.hangup('leg-failed');
        return;
      default:
        return;
    }
  }

  private digit(key: string): void {
    switch (this.state) {
      case 'ended':
        return;
      case 'playing':
        if (!this.bargein) return; // §4.1.5: ignored during a non-bargeable prompt
        this.typeahead.push(key);
        this.barged = true;
        this.wakeUp({ kind: 'key', key });
        return;
      case 'waiting':
        this.wakeUp({ kind: 'key', key });
        return;
      case 'recording':
        this.recording?.digit(key);
        return;
      case 'idle':
        this.typeahead.push(key);
        if (this.typeahead.length > (this.o.maxTypeahead ?? 32)) this.typeahead.shift();
        return;
    }
  }

  private wakeUp(w: Wake): void {
    const f = this.wake;
    this.wake = undefined;
    f?.(w);
  }

  private isEnded(): boolean {
    return this.state === 'ended';
  }

  private back<T>(v: T): T {
    if (this.state !== 'ended') this.move('idle');
    return v;
  }

  private move(to: ChannelState): void {
    if (this.state === 'ended' && to === 'ended') return;
    if (!TRANSITIONS[this.state].includes(to)) {
      if (this.state === 'ended') throw new ChannelError('ended', `the call has ended (${to} asked)`);
      throw new ChannelError('busy', `cannot go from ${this.state} to ${to}`);
    }
    this.state = to;
  }
}
