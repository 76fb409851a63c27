import { FRAME_SAMPLES, SAMPLE_RATE } from '../stage.ts';
import { WavRecorder } from '../wav/wav-recorder.ts';
import { AsyncFileWavSink } from './async-file-wav-sink.ts';
import type { EngineCommand, EngineErrorCode, RecordTarget, WorkerEvent, WorkerHeap, WorkerStats } from './engine-protocol.ts';
import { FramePacer } from './frame-pacer.ts';
import { type FrameSource, openSource } from './frame-source.ts';
import { type LegFrames, MediaBridge } from './media-bridge.ts';
import { RtpLeg } from './rtp-leg.ts';
import { SendAheadPolicy } from './send-ahead.ts';

const FRAME_MS = (FRAME_SAMPLES / SAMPLE_RATE) * 1000;

/** A request the worker's state forbids, answered as `rejected` with its code. */
export class WorkerCommandError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'WorkerCommandError';
  }
}

/** A leg and its audio in the current tick. */
interface LegEntry extends LegFrames {
  leg: RtpLeg;
}

interface Recorder {
  rec: WavRecorder;
  sink: AsyncFileWavSink;
  target: RecordTarget;
  mode: 'mixed' | 'channels';
  /** The per-channel frame list, reused every tick. */
  frames?: Int16Array[];
  /** The mixed (mono) frame, reused every tick: the recorder copies it into its own buffer at once. */
  mix?: Int16Array;
  /** The one-element list handed to the recorder in mixed mode, reused every tick. */
  mono?: Int16Array[];
}

/** Timer and clock the runtime is given (real ones in the worker, fakes in tests). */
export interface RuntimeIo {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  emit(e: WorkerEvent): void;
  /** This thread's JavaScript heap (KiB), for the stats. */
  heap?(): WorkerHeap;
  /** This thread's scheduling, for the stats. */
  thread?(): NonNullable<WorkerStats['thread']>;
  /**
   * The media clock's urgency: `true` just before the worker sleeps until
   * its next frame is due, `false` once that frame's packets are sent. The
   * worker thread maps it to real-time scheduling, so it wakes on time and
   * sends without being preempted, and does the rest of the tick as an
   * ordinary thread that cannot starve the kernel's packet delivery.
   */
  urgent?(on: boolean): void;
  /**
   * Paced sending (MediaEngineOptions.sendAhead): present, the legs queue
   * their frames in the worker's paced sender as soon as a tick has mixed
   * them, and the runtime commits them due `sendAhead` frames after that
   * tick's own deadline (`dueMs`, on this runtime's clock); the sender's
   * thread sends them then, whatever this thread is doing. Absent, every
   * tick first sends what the one before prepared.
   */
  commitFrames?(dueMs: number): void;
  /** The paced sender's counters, for the stats. */
  senderStats?(): NonNullable<WorkerStats['sender']>;
  /**
   * Frames between a tick's deadline and the send of what it mixed, with
   * commitFrames (default 1: what the legs send without it); 'auto' adapts
   * them to the worker's load (SendAheadPolicy).
   */
  sendAhead?: number | 'auto';
}

/**
 * Everything one media worker runs: its legs, bridges, players and
 * recorders, and the 20 ms media clock. Per tick: every leg's received frame
 * (jitter buffer, decode, concealment, in-band DTMF), every bridge's mix,
 * players, recorders, then every leg's send. A command that fails is
 * answered `rejected` and changes nothing; an exception inside one leg's
 * tick is reported as `leg-error` for that leg and the leg is dropped, so it
 * does not take the others down.
 */
export class WorkerRuntime {
  private readonly legs = new Map<string, LegEntry>();
  private readonly bridges = new Map<string, MediaBridge>();
  private readonly bridgeOf = new Map<string, string>();
  private readonly legPlayers = new Map<string, { playerId: string; source: FrameSource }>();
  private readonly players = new Map<string, { legId?: string; bridgeId?: string }>();
  private readonly recorders = new Map<string, Recorder>();
  private readonly pacer = new FramePacer();
  private timer: unknown;
  private running = false;
  private ticks = 0;
  /** The deadline of the tick being run (the runtime's clock). */
  private tickDueMs = 0;
  private busyMs = 0;
  private maxTickMs = 0;
  /** Frames the pacer found due that have not run yet. */
  private owed = 0;
  /** What the runtime last told `io.urgent` (a wake-up with no frame due changes nothing, and costs no call). */
  private urgentNow: boolean | undefined;

  /** With `sendAhead: 'auto'`: the frames ahead, adapted tick by tick. */
  private readonly aheadPolicy: SendAheadPolicy | undefined;
  /** Paced: the frames ahead of the last commit (with 'auto' the policy may step between ticks). */
  private committedAhead: number | undefined;

  constructor(private readonly io: RuntimeIo) {
    this.aheadPolicy = io.commitFrames && io.sendAhead === 'auto' ? new SendAheadPolicy() : undefined;
  }

  /** Starts the 20 ms clock; the first frame is due `phaseMs` from now (staggering workers). */
  start(phaseMs = 0): void {
    this.running = true;
    this.pacer.start(this.io.now() + phaseMs);
    this.setUrgent(true);
    this.schedule(0);
  }

  async handle(cmd: EngineCommand): Promise<void> {
    try {
      const port = await this.apply(cmd);
      if (cmd.type !== 'stats') this.io.emit({ type: 'ack', requestId: cmd.requestId, localPort: port });
    } catch (err) {
      // MixerError, RecorderError, WavError and file errors are bad requests.
      const code: EngineErrorCode = err instanceof WorkerCommandError ? err.code : 'bad-request';
      this.io.emit({ type: 'rejected', requestId: cmd.requestId, code, message: err instanceof Error ? err.message : String(err) });
    }
  }

  private async apply(cmd: EngineCommand): Promise<number | undefined> {
    switch (cmd.type) {
      case 'create-leg': {
        if (this.legs.has(cmd.leg.legId)) throw new WorkerCommandError('duplicate-id', cmd.leg.legId);
        // a socket error reported by the leg ends it here too, as the main thread forgets it on leg-error
        const leg = new RtpLeg(cmd.leg, () => this.io.now(), (e) => (e.type === 'leg-error' ? this.legError(e.legId, e.message) : this.io.emit(e)));
        let port: number;
        try {
          port = await leg.open();
        } catch (err) {
          throw new WorkerCommandError('bind-failed', `${cmd.leg.bindAddress}:${cmd.leg.localPort}: ${(err as Error).message}`);
        }
        this.legs.set(cmd.leg.legId, { leg, rx: SILENCE, tx: undefined });
        return port;
      }
      case 'update-leg': {
        const { requestId: _r, type: _t, legId, ...change } = cmd;
        this.leg(legId).update(change);
        return undefined;
      }
      case 'destroy-leg':
        await this.dropLeg(cmd.legId);
        return undefined;
      case 'create-bridge':
        if (this.bridges.has(cmd.bridgeId)) throw new WorkerCommandError('duplicate-id', cmd.bridgeId);
        this.bridges.set(cmd.bridgeId, new MediaBridge(cmd.bridgeId, cmd.maxMembers));
        return undefined;
      case 'destroy-bridge': {
        const b = this.bridge(cmd.bridgeId);
        for (const legId of b.members) this.bridgeOf.delete(legId);
        this.bridges.delete(cmd.bridgeId);
        await this.stopRecorders((t) => 'bridgeId' in t && t.bridgeId === cmd.bridgeId);
        return undefined;
      }
      case 'join': {
        const b = this.bridge(cmd.bridgeId);
        this.leg(cmd.legId);
        if (this.bridgeOf.has(cmd.legId)) throw new WorkerCommandError('bad-request', `${cmd.legId} is already in bridge ${this.bridgeOf.get(cmd.legId)}`);
        b.mixer.add(cmd.legId, { role: cmd.role, whisperTo: cmd.whisperTo, gain: cmd.gain ?? 1 });
        b.members.add(cmd.legId);
        this.bridgeOf.set(cmd.legId, cmd.bridgeId);
        return undefined;
      }
      case 'set-role':
        this.bridge(cmd.bridgeId).mixer.update(cmd.legId, { role: cmd.role, whisperTo: cmd.whisperTo });
        return undefined;
      case 'leave': {
        const b = this.bridge(cmd.bridgeId);
        b.mixer.remove(cmd.legId);
        b.members.delete(cmd.legId);
        this.bridgeOf.delete(cmd.legId);
        return undefined;
      }
      case 'play': {
        if (this.players.has(cmd.playerId)) throw new WorkerCommandError('duplicate-id', cmd.playerId);
        const target = 'legId' in cmd.target ? { legId: this.leg(cmd.target.legId).id } : { bridgeId: this.bridge(cmd.target.bridgeId).id };
        const source = openSource(cmd.source);
        if (target.legId) {
          const prev = this.legPlayers.get(target.legId);
          if (prev) this.players.delete(prev.playerId);
          this.legPlayers.set(target.legId, { playerId: cmd.playerId, source });
        } else {
          const b = this.bridge(target.bridgeId!);
          if (b.musicPlayerId) this.players.delete(b.musicPlayerId);
          b.music = source;
          b.musicPlayerId = cmd.playerId;
        }
        this.players.set(cmd.playerId, target);
        return undefined;
      }
      case 'stop-player':
        this.stopPlayer(cmd.playerId, false);
        return undefined;
      case 'record': {
        if (this.recorders.has(cmd.recorderId)) throw new WorkerCommandError('duplicate-id', cmd.recorderId);
        let channels = 1;
        if ('legId' in cmd.target) {
          this.leg(cmd.target.legId);
          if (cmd.mode === 'channels') channels = 2;
        } else {
          this.bridge(cmd.target.bridgeId);
          if (cmd.mode === 'channels') channels = cmd.target.members.length;
          if (channels < 1) throw new WorkerCommandError('bad-request', 'a per-party bridge recording needs members');
        }
        const sink = new AsyncFileWavSink(cmd.path);
        const rec = new WavRecorder(sink, { channels });
        rec.start();
        this.recorders.set(cmd.recorderId, { rec, sink, target: cmd.target, mode: cmd.mode });
        return undefined;
      }
      case 'recorder-control': {
        const r = this.recorders.get(cmd.recorderId);
        if (!r) throw new WorkerCommandError('unknown-recorder', cmd.recorderId);
        r.rec[cmd.action]();
        if (cmd.action === 'stop') {
          this.recorders.delete(cmd.recorderId);
          await r.sink.closed; // acknowledged once the file is complete
        }
        return undefined;
      }
      case 'send-dtmf':
        this.leg(cmd.legId).queueDigits(cmd.digits, cmd.durationMs);
        return undefined;
      case 'stats':
        this.io.emit({ type: 'stats', requestId: cmd.requestId, stats: this.stats(cmd.legs !== false) });
        return undefined;
      case 'shutdown':
        await this.stop();
        return undefined;
    }
  }

  stats(withLegs = true): WorkerStats {
    const p = this.pacer.toJSON();
    const heap = this.io.heap?.();
    const thread = this.io.thread?.();
    const sender = this.io.senderStats?.();
    return {
      ticks: this.ticks,
      lateFrames: p.lateFrames,
      skippedFrames: p.skippedFrames,
      maxLateMs: p.maxLateMs,
      busyMs: Math.round(this.busyMs),
      maxTickMs: Math.round(this.maxTickMs * 10) / 10,
      legCount: this.legs.size,
      legs: withLegs ? [...this.legs.values()].map((l) => l.leg.stats()) : [],
      ...(heap ? { heap } : {}),
      ...(thread ? { thread } : {}),
      ...(sender ? { sender: this.aheadPolicy ? { ...sender, sendAhead: this.aheadPolicy.frames, auto: this.aheadPolicy.toJSON() } : sender } : {}),
    };
  }

  /** Stops the clock, completes every recording and closes every socket. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.io.clearTimer(this.timer);
    const recordings = this.stopRecorders(() => true);
    for (const id of [...this.legs.keys()]) void this.dropLeg(id);
    await recordings;
  }

  private setUrgent(on: boolean): void {
    if (this.urgentNow === on) return;
    this.urgentNow = on;
    this.io.urgent?.(on);
  }

  private schedule(ms: number): void {
    this.timer = this.io.setTimer(() => this.wake(), ms);
  }

  /**
   * Runs one due frame per wake-up. When the worker fell behind (several
   * frames due at once), the rest follow on zero-delay timers (commands
   * from the main thread are handled between them); every tick first reads
   * what waits on the legs' sockets, so the late frames play the audio that
   * arrived during the stall instead of concealing it.
   */
  private wake(): void {
    if (!this.running) return;
    const t0 = this.io.now();
    if (this.owed === 0) this.owed = this.pacer.wake(t0).frames;
    if (this.owed > 0) {
      this.owed--;
      this.tickDueMs = this.pacer.nextDueMs - (this.owed + 1) * FRAME_MS;
      this.tick();
      const now = this.io.now();
      const spent = now - t0;
      this.aheadPolicy?.afterTick(spent, now);
      this.busyMs += spent;
      if (spent > this.maxTickMs) this.maxTickMs = spent;
    }
    this.setUrgent(true);
    this.schedule(this.owed > 0 ? 0 : Math.max(0, this.pacer.nextDueMs - this.io.now()));
  }

  /**
   * One 20 ms frame for everything on this worker. First, on time, every leg
   * sends the frame the previous tick prepared for it (`tx`); then every leg
   * reads what arrived on its socket since the last tick (nothing else wakes
   * a worker for packets) and plays out its frame, bridges fill `tx` of their
   * members, players override it and recorders read both. No per-tick maps
   * or closures: each leg entry carries its received and to-be-sent frame
   * (buffers that stay untouched until the next tick's sends are done).
   *
   * Sending first keeps each stream on a steady grid: a leg's packet leaves
   * at its place in a loop of sends alone (about 3 µs a leg), not after the
   * whole worker's receiving, mixing and recording, whose length varies from
   * tick to tick. With the sends at the end, at 800 recorded calls on two
   * workers 19.5% of packets reached the bench's phones more than 10 ms
   * behind their stream's best timing (bench:media); the price is one frame
   * (20 ms) between playout and send.
   */
  tick(): void {
    this.ticks++;
    const now = this.io.now();
    RtpLeg.tickAt(now);
    const paced = this.io.commitFrames !== undefined;
    if (!paced) {
      this.sendAll();
      this.setUrgent(false);
    }
    for (const e of this.legs.values()) {
      e.tx = undefined;
      try {
        e.leg.poll();
        e.rx = e.leg.receiveFrame();
      } catch (err) {
        e.rx = SILENCE;
        this.legError(e.leg.id, err);
      }
    }
    for (const b of this.bridges.values()) b.mixInto(this.legs);
    for (const [legId, p] of this.legPlayers) {
      const f = p.source.next();
      const e = this.legs.get(legId);
      if (!f) this.stopPlayer(p.playerId, true);
      else if (e) e.tx = f;
    }
    if (paced) {
      // queued now, sent by the sender's thread at their time; recording goes on meanwhile
      // A step of the auto policy since the last commit keeps every stream on its grid: a step up sends
      // the frame once more into each slot it opens (slots before..ahead), a step down sends it in none
      // (the next tick's frame takes the slot after the last one committed; a step is one frame at a
      // time). A fixed number of frames never steps: one slot.
      const ahead = this.aheadPolicy ? this.aheadPolicy.beforeCommit(this.tickDueMs, this.io.now()) : typeof this.io.sendAhead === 'number' ? this.io.sendAhead : 1;
      for (let slot = this.committedAhead ?? ahead; slot <= ahead; slot++) {
        this.sendAll();
        this.io.commitFrames!(this.tickDueMs + slot * FRAME_MS);
      }
      this.committedAhead = ahead;
    }
    for (const r of this.recorders.values()) this.record(r);
  }

  /** Every leg sends (or queues) the frame prepared for it. */
  private sendAll(): void {
    for (const e of this.legs.values()) {
      try {
        e.leg.sendFrame(e.tx ?? SILENCE);
      } catch (err) {
        this.legError(e.leg.id, err);
      }
    }
  }

  private record(r: Recorder): void {
    const t = r.target;
    if ('legId' in t) {
      const e = this.legs.get(t.legId);
      const rx = e?.rx ?? SILENCE;
      const tx = e?.tx ?? SILENCE;
      if (r.mode === 'channels') {
        const frames = (r.frames ??= [SILENCE, SILENCE]);
        frames[0] = rx;
        frames[1] = tx;
        r.rec.processInput(frames);
        return;
      }
      const mix = (r.mix ??= new Int16Array(FRAME_SAMPLES));
      ACC.fill(0);
      addInto(rx);
      addInto(tx);
      clampInto(mix);
      r.rec.processInput((r.mono ??= [mix]));
      return;
    }
    const b = this.bridges.get(t.bridgeId);
    if (!b) return;
    if (r.mode === 'channels') {
      const frames = (r.frames ??= new Array<Int16Array>(t.members.length));
      for (let i = 0; i < t.members.length; i++) frames[i] = this.legs.get(t.members[i]!)?.rx ?? SILENCE;
      r.rec.processInput(frames);
      return;
    }
    // the sum of what every audible member says
    const mix = (r.mix ??= new Int16Array(FRAME_SAMPLES));
    ACC.fill(0);
    for (const id of b.members) if (audible(b, id)) addInto(this.legs.get(id)?.rx ?? SILENCE);
    clampInto(mix);
    r.rec.processInput((r.mono ??= [mix]));
  }

  /** An exception inside one leg's tick: reported, and that leg alone is dropped. */
  private legError(legId: string, err: unknown): void {
    if (!this.legs.has(legId)) return;
    this.io.emit({ type: 'leg-error', legId, message: err instanceof Error ? err.message : String(err) });
    void this.dropLeg(legId);
  }

  private stopPlayer(playerId: string, ended: boolean): void {
    const t = this.players.get(playerId);
    if (!t) throw new WorkerCommandError('unknown-player', playerId);
    this.players.delete(playerId);
    if (t.legId) this.legPlayers.delete(t.legId);
    const b = t.bridgeId ? this.bridges.get(t.bridgeId) : undefined;
    if (b) {
      b.music = undefined;
      b.musicPlayerId = undefined;
    }
    if (ended) this.io.emit({ type: 'player-done', playerId });
  }

  private dropLeg(legId: string): Promise<void> {
    this.leg(legId).close();
    this.legs.delete(legId);
    const b = this.bridgeOf.get(legId);
    if (b) {
      const bridge = this.bridges.get(b);
      bridge?.mixer.remove(legId);
      bridge?.members.delete(legId);
      this.bridgeOf.delete(legId);
    }
    const p = this.legPlayers.get(legId);
    if (p) this.stopPlayer(p.playerId, false);
    return this.stopRecorders((t) => 'legId' in t && t.legId === legId);
  }

  /** A recording ends (header fixed up, file closed) when the leg or bridge it records goes away. */
  private async stopRecorders(match: (t: RecordTarget) => boolean): Promise<void> {
    const closing: Array<Promise<void> | undefined> = [];
    for (const [id, r] of this.recorders) {
      if (!match(r.target)) continue;
      if (r.rec.current !== 'stopped') r.rec.stop();
      this.recorders.delete(id);
      closing.push(r.sink.closed);
    }
    await Promise.all(closing);
  }

  private leg(id: string): RtpLeg {
    const l = this.legs.get(id);
    if (!l) throw new WorkerCommandError('unknown-leg', id);
    return l.leg;
  }

  private bridge(id: string): MediaBridge {
    const b = this.bridges.get(id);
    if (!b) throw new WorkerCommandError('unknown-bridge', id);
    return b;
  }
}

const SILENCE = new Int16Array(FRAME_SAMPLES);

function audible(b: MediaBridge, id: string): boolean {
  const role = b.mixer.member(id)?.role;
  return role === 'full' || role === 'hold';
}

/** The running sum of a mixed recording's frame (one media thread: used inside one record() call at a time). */
const ACC = new Int32Array(FRAME_SAMPLES);

function addInto(f: Int16Array): void {
  for (let i = 0; i < FRAME_SAMPLES; i++) ACC[i]! += f[i]!;
}

/** The sum, clamped to 16 bits. */
function clampInto(out: Int16Array): void {
  for (let i = 0; i < FRAME_SAMPLES; i++) {
    const v = ACC[i]!;
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}
