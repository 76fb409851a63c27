import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { G711Codec } from '../../protocol/sdp/media-capabilities.ts';
import type { MixerRole } from '../mixer/mixer.ts';
import { EngineError } from './engine-error.ts';
import type { AudioSource, EngineCommand, EngineErrorCode, EngineEvent, LegSpec, PlayTarget, RecordTarget, RemoteAddress, WorkerEvent, WorkerStats } from './engine-protocol.ts';
import { PortPool } from './port-pool.ts';
import { FRAME_SAMPLES, SAMPLE_RATE } from '../stage.ts';

/** The media clock's frame (20 ms). */
const FRAME_MS = (FRAME_SAMPLES / SAMPLE_RATE) * 1000;

/**
 * The media engine, main-thread side. It owns no sockets: it places legs and
 * bridges on media workers (worker_threads, one per core by default), sends
 * them typed commands and hands their events to one typed listener.
 *
 * Placement: a new leg goes to the worker with the fewest legs unless
 * `near` names a leg or bridge, whose worker it then shares; a bridge and
 * all its members live on one worker (mixing never crosses threads), so
 * `join` across workers fails with `cross-worker`.
 *
 * Failure: when a worker exits unexpectedly (crash, out of memory, killed),
 * only its legs are lost: each gets a `leg-failed` event, their ports return
 * to the pool, their pending requests fail with `worker-failed`, and a new
 * worker takes the slot (`worker-restarted`). Other workers carry on.
 */
export interface MediaEngineOptions {
  workers: number;
  rtpPortMin: number;
  rtpPortMax: number;
  bindAddress: string;
  /** How often a bind may hit a port someone else holds before giving up. */
  bindAttempts: number;
  /**
   * Nice value of the media worker threads (0: leave as is). The 20 ms
   * media clock must not wait behind the web server, SIP, the database or
   * reports on the same cores, so workers ask for -10 by default, as
   * FreeSWITCH and Asterisk raise their media threads' priority. Raising it
   * needs root or CAP_SYS_NICE; without, workers run at the process's own
   * priority and their stats say why (`thread.error`).
   */
  threadNice: number;
  /**
   * Real-time (SCHED_FIFO) priority at which each media worker waits for
   * its next frame and sends it (0: ordinary scheduling throughout). Once a
   * frame's packets are out the worker drops back to ordinary scheduling
   * at `threadNice` for the rest of the tick (reading, mixing, recording),
   * so the real-time part is the send loop alone (about 3 µs a leg) and the
   * kernel's own packet work, the peer phones' traffic and everything else
   * keep the CPU the rest of the time. Nice values alone were not enough:
   * with two workers on two cores, traces (bench:media, 800 recorded calls)
   * showed a worker waiting up to 12 ms in a run queue behind ksoftirqd,
   * other threads of the process or the other worker. Needs root or CAP_SYS_NICE;
   * without, workers run ordinary and their stats say why (`thread.error`).
   * Asterisk started with `-p` runs at SCHED_RR for the same reason
   * (asterisk-dev list, 2012-02, "Higher scheduling priority for voice
   * handling").
   */
  realtimePriority: number;
  /**
   * 'spread': with two or more workers and no more workers than CPUs the
   * process may use, worker i runs on the i-th of those CPUs alone, so two
   * workers never share a CPU while the other has room ('none': the
   * kernel places them). Traced at 800 recorded calls: both workers queued
   * on one CPU, taking turns for 30 ms, while the other CPU ran ordinary
   * threads; the kernel's balancer did not move either.
   */
  cpuAffinity: 'spread' | 'none';
  /**
   * Paced sending. 0: each worker sends its frames itself, at the start
   * of each tick, what the tick before mixed (one frame, 20 ms, between
   * mixing and sending), waiting and sending at `realtimePriority`. N >= 1:
   * each worker has a sender thread (native/rtp-io/sender.c, at
   * `realtimePriority` on the worker's CPU) that sends what a tick mixed N
   * frames after that tick's deadline, whatever the worker is doing then;
   * the worker itself stays ordinary. 1 keeps the latency of 0; 2 adds
   * one frame (20 ms) of latency and lets a tick run up to about 40 ms late
   * (a collection, a preemption, a slow host) before any of its frames goes
   * out late, against about 20 ms; 3 another frame, about 60 ms. 'auto':
   * 2 frames, 3 while the worker is loaded or after a near miss, back to 2
   * after a quiet minute (SendAheadPolicy).
   *
   * 'auto' is the default, chosen from bench:media (BENCHMARKS.md). Marker
   * frames timed party to party at 210 calls: a median one-way transit of
   * 32-38 ms with 0 or 1, 56-62 ms with 2, 74-76 ms with 3. 800-call
   * windows on a busy host (under 0.1% late frames and nothing lost): 3 of
   * 17 with 0, 18 of 25 with 2, 20 of 21 with 3. 3 costs every call 20 ms
   * for a margin only a loaded worker on a busy host needs; 'auto' pays it
   * only there. Its steps keep every stream on its 20 ms grid (a step up
   * sends one frame twice, a step down drops one), so a phone sees no
   * late packet (until 2026-12-07 a step up shifted the streams by 20 ms,
   * and a full run that stepped inside its 500-call window had 2.45% late
   * frames; 2 was the default then).
   */
  sendAhead: number | 'auto';
  /**
   * Young-generation limit of each media worker's V8 heap, MiB (0: V8's
   * default). V8 starts marking the old generation for a mark-compact when
   * its headroom is no larger than the new space, and with V8's default new
   * space a worker's steady heap (about 14 MiB at 300 legs) kept that
   * headroom small enough: a mark-compact every 20-30 s per worker that freed
   * 0.3-1 MiB and stopped the worker's clock for 5-17 ms each time (traced
   * with --trace-incremental-marking: started by V8's task with 23-32 MiB of
   * headroom left). With 12 MiB (4 MiB semi-spaces) a traced 600-call run had
   * no mark-compact between set-up and teardown, for scavenges every 1-2 s of
   * 1-1.5 ms; bench:media at 800 calls, five alternating pairs: late frames
   * lower in four of five (median 0.56% against 1.19%).
   */
  youngGenerationMb: number;
}

export interface CreateLegOptions {
  legId?: string;
  /** Fixed local port; otherwise one from the pool. */
  localPort?: number;
  remote?: RemoteAddress;
  codec?: G711Codec;
  payloadType?: number;
  telephoneEventPt?: number;
  inbandDtmf?: boolean;
  inactivityMs?: number;
  symmetricRtp?: boolean;
  /** Silence from a latched source that unlocks the leg's socket; see LegSpec. */
  unlockSilenceMs?: number;
  /** Accept RTP only from `remote` (connected socket); see LegSpec. Needs `remote`. */
  strictSource?: boolean;
  /** A leg or bridge ID whose worker this leg must share. */
  near?: string;
}

export interface LegHandle {
  legId: string;
  localPort: number;
  workerIndex: number;
}

interface Slot {
  index: number;
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, { resolve: (e: WorkerEvent) => void; reject: (err: Error) => void }>;
  legs: Map<string, { port: number; pooled: boolean }>;
  bridges: Set<string>;
  objects: Set<string>;
  /** Legs being created (not yet acknowledged), counted for placement. */
  creating: number;
  isReady: boolean;
}

const DEFAULTS: MediaEngineOptions = { workers: availableParallelism(), rtpPortMin: 20000, rtpPortMax: 29999, bindAddress: '0.0.0.0', bindAttempts: 8, threadNice: -10, realtimePriority: 10, cpuAffinity: 'spread', sendAhead: 'auto', youngGenerationMb: 12 };
const WORKER_URL = new URL('./worker-bootstrap.js', import.meta.url);

export class MediaEngine {
  private readonly o: MediaEngineOptions;
  private readonly pool: PortPool;
  private readonly slots: Slot[] = [];
  private readonly placement = new Map<string, number>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private nextRequest = 1;
  private nextId = 1;
  private stopping = false;

  constructor(options: Partial<MediaEngineOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
    if (!(this.o.workers >= 1)) throw new RangeError(`workers must be at least 1, got ${this.o.workers}`);
    this.pool = new PortPool(this.o.rtpPortMin, this.o.rtpPortMax);
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.o.workers; i++) this.slots.push(this.spawn(i));
    await Promise.all(this.slots.map((s) => s.ready));
  }

  get workerCount(): number {
    return this.slots.length;
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async createLeg(opts: CreateLegOptions = {}): Promise<LegHandle> {
    const legId = opts.legId ?? this.newId('leg');
    const slot = opts.near !== undefined ? this.slotOf(opts.near) : this.leastLoaded();
    const codec = opts.codec ?? 'PCMU';
    const base: Omit<LegSpec, 'localPort'> = {
      legId,
      bindAddress: this.o.bindAddress,
      remote: opts.remote,
      codec,
      payloadType: opts.payloadType ?? (codec === 'PCMU' ? 0 : 8),
      telephoneEventPt: opts.telephoneEventPt,
      inbandDtmf: opts.inbandDtmf ?? true,
      inactivityMs: opts.inactivityMs ?? 0,
      symmetricRtp: opts.symmetricRtp ?? true,
      // absent: the leg applies UNLOCK_SILENCE_MS (one place for the default)
      ...(opts.unlockSilenceMs !== undefined ? { unlockSilenceMs: opts.unlockSilenceMs } : {}),
      ...(opts.strictSource ? { strictSource: true } : {}),
    };
    const attempts = opts.localPort !== undefined ? 1 : this.o.bindAttempts;
    slot.creating++;
    try {
      return await this.bindLeg(slot, base, opts.localPort, attempts);
    } finally {
      slot.creating--;
    }
  }

  private async bindLeg(slot: Slot, base: Omit<LegSpec, 'localPort'>, fixedPort: number | undefined, attempts: number): Promise<LegHandle> {
    const legId = base.legId;
    const opts = { localPort: fixedPort };
    for (let attempt = 1; ; attempt++) {
      const port = opts.localPort ?? this.pool.allocate();
      try {
        const ack = await this.request(slot, { type: 'create-leg', requestId: 0, leg: { ...base, localPort: port } });
        const localPort = ack.type === 'ack' && ack.localPort !== undefined ? ack.localPort : port;
        slot.legs.set(legId, { port: localPort, pooled: opts.localPort === undefined });
        this.placement.set(legId, slot.index);
        return { legId, localPort, workerIndex: slot.index };
      } catch (err) {
        if (opts.localPort === undefined) this.pool.release(port);
        if (!(err instanceof EngineError && err.code === 'bind-failed' && attempt < attempts)) throw err;
      }
    }
  }

  async updateLeg(legId: string, change: { remote?: RemoteAddress; codec?: G711Codec; payloadType?: number; telephoneEventPt?: number }): Promise<void> {
    await this.request(this.slotOf(legId), { type: 'update-leg', requestId: 0, legId, ...change });
  }

  async destroyLeg(legId: string): Promise<void> {
    const slot = this.slotOf(legId);
    await this.request(slot, { type: 'destroy-leg', requestId: 0, legId });
    this.forgetLeg(slot, legId);
  }

  async createBridge(opts: { bridgeId?: string; near?: string; maxMembers?: number } = {}): Promise<string> {
    const bridgeId = opts.bridgeId ?? this.newId('bridge');
    const slot = opts.near !== undefined ? this.slotOf(opts.near) : this.leastLoaded();
    await this.request(slot, { type: 'create-bridge', requestId: 0, bridgeId, maxMembers: opts.maxMembers ?? 8 });
    slot.bridges.add(bridgeId);
    this.placement.set(bridgeId, slot.index);
    return bridgeId;
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    const slot = this.slotOf(bridgeId, 'unknown-bridge');
    await this.request(slot, { type: 'destroy-bridge', requestId: 0, bridgeId });
    slot.bridges.delete(bridgeId);
    this.placement.delete(bridgeId);
  }

  async join(bridgeId: string, legId: string, role: MixerRole = 'full', extra: { whisperTo?: string; gain?: number } = {}): Promise<void> {
    const slot = this.sameSlot(bridgeId, legId);
    await this.request(slot, { type: 'join', requestId: 0, bridgeId, legId, role, ...extra });
  }

  async setRole(bridgeId: string, legId: string, role: MixerRole, whisperTo?: string): Promise<void> {
    await this.request(this.sameSlot(bridgeId, legId), { type: 'set-role', requestId: 0, bridgeId, legId, role, whisperTo });
  }

  async leave(bridgeId: string, legId: string): Promise<void> {
    await this.request(this.sameSlot(bridgeId, legId), { type: 'leave', requestId: 0, bridgeId, legId });
  }

  /** Plays a source to a leg (replacing what it would send) or as a bridge's music on hold. */
  async play(target: PlayTarget, source: AudioSource): Promise<string> {
    const playerId = this.newId('player');
    const slot = 'legId' in target ? this.slotOf(target.legId) : this.slotOf(target.bridgeId, 'unknown-bridge');
    await this.request(slot, { type: 'play', requestId: 0, playerId, target, source });
    slot.objects.add(playerId);
    this.placement.set(playerId, slot.index);
    return playerId;
  }

  async stopPlayer(playerId: string): Promise<void> {
    await this.request(this.slotOf(playerId, 'unknown-player'), { type: 'stop-player', requestId: 0, playerId });
  }

  async record(target: RecordTarget, path: string, mode: 'mixed' | 'channels' = 'mixed'): Promise<string> {
    const recorderId = this.newId('recorder');
    const slot = 'legId' in target ? this.slotOf(target.legId) : this.slotOf(target.bridgeId, 'unknown-bridge');
    await this.request(slot, { type: 'record', requestId: 0, recorderId, target, path, mode });
    slot.objects.add(recorderId);
    this.placement.set(recorderId, slot.index);
    return recorderId;
  }

  async controlRecording(recorderId: string, action: 'pause' | 'resume' | 'stop'): Promise<void> {
    await this.request(this.slotOf(recorderId, 'unknown-recorder'), { type: 'recorder-control', requestId: 0, recorderId, action });
  }

  async sendDtmf(legId: string, digits: string, durationMs = 100): Promise<void> {
    await this.request(this.slotOf(legId), { type: 'send-dtmf', requestId: 0, legId, digits, durationMs });
  }

  /** Every worker's figures; `legs: false` leaves out the per-leg list (for frequent polling: building it costs a loaded worker milliseconds of its 20 ms clock). */
  async stats(options: { legs?: boolean } = {}): Promise<WorkerStats[]> {
    const out = await Promise.all(this.slots.map((s) => this.request(s, { type: 'stats', requestId: 0, ...(options.legs === false ? { legs: false } : {}) })));
    return out.map((e) => (e.type === 'stats' ? e.stats : { ticks: 0, lateFrames: 0, skippedFrames: 0, maxLateMs: 0, busyMs: 0, maxTickMs: 0, legCount: 0, legs: [] }));
  }

  workerOf(id: string): number {
    return this.slotOf(id).index;
  }

  /** Ends one worker abruptly, as a crash would (tests of TEL-6 isolation). */
  async killWorker(index: number): Promise<void> {
    const slot = this.slots[index];
    if (!slot) throw new RangeError(`no worker ${index}`);
    await slot.worker.terminate();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.slots.map(async (s) => {
        await this.request(s, { type: 'shutdown', requestId: 0 }).catch(() => undefined);
        await s.worker.terminate();
      }),
    );
  }

  private spawn(index: number): Slot {
    // Worker clocks are staggered over the 20 ms frame (worker i starts i/N of a frame later), so their
    // bursts of work do not all fall on the same milliseconds: with every worker busy at once, nothing
    // else (the main thread, SIP, the kernel's own packet work) gets a core until they are done.
    const phaseMs = (index * FRAME_MS) / this.o.workers;
    const limits = this.o.youngGenerationMb > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: this.o.youngGenerationMb } } : {};
    const worker = new Worker(WORKER_URL, { name: `media-${index}`, workerData: {
        threadNice: this.o.threadNice,
        phaseMs,
        realtimePriority: this.o.realtimePriority,
        sendAhead: this.o.sendAhead,
        ...(this.o.cpuAffinity === 'spread' ? { spread: { index, of: this.o.workers } } : {}),
      }, ...limits });
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    const slot: Slot = { index, worker, ready, pending: new Map(), legs: new Map(), bridges: new Set(), objects: new Set(), creating: 0, isReady: false };
    worker.on('message', (e: WorkerEvent) => {
      if (e.type === 'ready') {
        slot.isReady = true;
        readyResolve();
      }
      else if (e.type === 'ack' || e.type === 'rejected' || e.type === 'stats') {
        const p = slot.pending.get(e.requestId);
        slot.pending.delete(e.requestId);
        if (e.type === 'rejected') p?.reject(new EngineError(e.code, e.message));
        else p?.resolve(e);
      } else {
        if (e.type === 'leg-error') this.forgetLeg(slot, e.legId);
        this.publish(e);
      }
    });
    worker.on('error', (err) => readyReject(err));
    worker.on('exit', (code) => this.onExit(slot, code));
    return slot;
  }

  private onExit(slot: Slot, exitCode: number): void {
    for (const p of slot.pending.values()) p.reject(new EngineError('worker-failed', `media worker ${slot.index} exited with ${exitCode}`));
    slot.pending.clear();
    if (this.stopping) return;
    const lost = [...slot.legs.keys()];
    for (const legId of lost) this.forgetLeg(slot, legId);
    for (const id of [...slot.bridges, ...slot.objects]) this.placement.delete(id);
    for (const legId of lost) this.publish({ type: 'leg-failed', legId, reason: 'worker-crashed', workerIndex: slot.index });
    // A worker that died before it was ever ready (it cannot load) is not
    // restarted in a loop: its slot stays dead and takes no new legs.
    if (!slot.isReady) return;
    const next = this.spawn(slot.index);
    this.slots[slot.index] = next;
    next.ready.then(
      () => this.publish({ type: 'worker-restarted', workerIndex: slot.index, exitCode }),
      () => undefined, // its exit follows and is handled above
    );
  }

  private forgetLeg(slot: Slot, legId: string): void {
    const l = slot.legs.get(legId);
    if (l?.pooled) this.pool.release(l.port);
    slot.legs.delete(legId);
    this.placement.delete(legId);
  }

  private publish(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  private request(slot: Slot, cmd: EngineCommand): Promise<WorkerEvent> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      slot.pending.set(requestId, { resolve, reject });
      slot.worker.postMessage({ ...cmd, requestId });
    });
  }

  private slotOf(id: string, code: EngineErrorCode = 'unknown-leg'): Slot {
    const i = this.placement.get(id);
    const slot = i === undefined ? undefined : this.slots[i];
    if (!slot) throw new EngineError(code, `no ${code.slice('unknown-'.length)} ${id} (or its worker failed)`);
    return slot;
  }

  private sameSlot(bridgeId: string, legId: string): Slot {
    const b = this.slotOf(bridgeId, 'unknown-bridge');
    const l = this.slotOf(legId);
    if (b !== l) throw new EngineError('cross-worker', `${legId} is on worker ${l.index}, bridge ${bridgeId} on ${b.index}: create the leg with near: '${bridgeId}'`);
    return b;
  }

  private leastLoaded(): Slot {
    let best = this.slots[0];
    if (!best) throw new EngineError('worker-failed', 'engine not started');
    for (const s of this.slots) if (!best.isReady || (s.isReady && load(s) < load(best))) best = s;
    if (!best.isReady) throw new EngineError('worker-failed', 'no media worker is running');
    return best;
  }

  private newId(prefix: string): string {
    return `${prefix}-${this.nextId++}`;
  }
}

function load(s: Slot): number {
  return s.legs.size + s.creating + s.bridges.size;
}
