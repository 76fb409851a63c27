/**
 * The typed message protocol between the engine (main thread) and its media
 * workers: a discriminated union of commands down and events up, no string
 * event names. Every command carries `requestId`; the worker answers each one
 * with exactly one `ack` or `rejected`. Other events are unsolicited.
 */
import type { G711Codec } from '../../protocol/sdp/media-capabilities.ts';
import type { MixerRole } from '../mixer/mixer.ts';

export interface RemoteAddress {
  address: string;
  port: number;
}

export interface LegSpec {
  legId: string;
  /** Local address to bind (default 0.0.0.0). */
  bindAddress: string;
  localPort: number;
  /** From the remote SDP; undefined until known (symmetric RTP latches it). */
  remote?: RemoteAddress;
  codec: G711Codec;
  /** Payload type of the codec (0 PCMU, 8 PCMA unless negotiated otherwise). */
  payloadType: number;
  /** telephone-event payload type, undefined when not negotiated. */
  telephoneEventPt?: number;
  /** Run the in-band DTMF detector on received audio while no telephone-event (RFC 4733) payload type is negotiated. */
  inbandDtmf: boolean;
  /** Raise `inactive` after this long without RTP (0: never). */
  inactivityMs: number;
  /** Latch the send address to where packets come from (phones behind NAT). */
  symmetricRtp: boolean;
  /**
   * A latched leg's socket is connected to its source while the source
   * keeps sending (RtpLeg, "Locking"); this much silence from it unlocks
   * the socket so every source is heard again. Absent: 60 ms.
   */
  unlockSilenceMs?: number;
  /**
   * Accept RTP only from `remote` (a trunk or SBC with a fixed address): the
   * socket is connected, so the kernel drops datagrams from anyone else and
   * sends skip the per-datagram route lookup. Needs `remote`; latching does
   * not apply. Absent: false.
   */
  strictSource?: boolean;
}

/** Silence from a latched source after which a locked leg socket hears every source again, by default (three frames). */
export const UNLOCK_SILENCE_MS = 60;

export type AudioSource =
  | { kind: 'wav'; path: string; loop: boolean }
  | { kind: 'tone'; frequencies: number[]; levelDbfs: number };

/** What a player feeds: a leg's outgoing audio, or a bridge's music on hold. */
export type PlayTarget = { legId: string } | { bridgeId: string };

/**
 * What a recorder writes. On a leg: `mixed` is received + sent audio in one
 * channel, `channels` is received left, sent right. On a bridge: `mixed` is
 * the sum of what every audible member says; `channels` is one channel per
 * member (what each one says), in the order of `members`.
 */
export type RecordTarget = { legId: string } | { bridgeId: string; members: string[] };

export type EngineCommand =
  | { type: 'create-leg'; requestId: number; leg: LegSpec }
  | { type: 'update-leg'; requestId: number; legId: string; remote?: RemoteAddress; codec?: G711Codec; payloadType?: number; telephoneEventPt?: number }
  | { type: 'destroy-leg'; requestId: number; legId: string }
  | { type: 'create-bridge'; requestId: number; bridgeId: string; maxMembers: number }
  | { type: 'destroy-bridge'; requestId: number; bridgeId: string }
  | { type: 'join'; requestId: number; bridgeId: string; legId: string; role: MixerRole; whisperTo?: string; gain?: number }
  | { type: 'set-role'; requestId: number; bridgeId: string; legId: string; role: MixerRole; whisperTo?: string }
  | { type: 'leave'; requestId: number; bridgeId: string; legId: string }
  | { type: 'play'; requestId: number; playerId: string; target: PlayTarget; source: AudioSource }
  | { type: 'stop-player'; requestId: number; playerId: string }
  | { type: 'record'; requestId: number; recorderId: string; target: RecordTarget; path: string; mode: 'mixed' | 'channels' }
  | { type: 'recorder-control'; requestId: number; recorderId: string; action: 'pause' | 'resume' | 'stop' }
  | { type: 'send-dtmf'; requestId: number; legId: string; digits: string; durationMs: number }
  /** `legs: false`: the worker's own figures without the per-leg list (cheap enough to ask for while a worker carries hundreds of calls). */
  | { type: 'stats'; requestId: number; legs?: boolean }
  | { type: 'shutdown'; requestId: number };

export type EngineErrorCode =
  | 'bind-failed'
  | 'unknown-leg'
  | 'unknown-bridge'
  | 'unknown-player'
  | 'unknown-recorder'
  | 'duplicate-id'
  | 'cross-worker'
  | 'bad-request'
  | 'worker-failed'
  | 'no-ports';

export interface LegStats {
  legId: string;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  /** Packets missing from the received sequence (RFC 3550 A.3 style). */
  lostIn: number;
  /** Received packets that were not RTP or had an unexpected payload type. */
  rejectedIn: number;
  jitterMs: number;
  /** The jitter buffer's playout delay now (it adapts between 20 and 200 ms to the arrival jitter). */
  jitterDelayMs: number;
  concealed: number;
  latched: boolean;
  /** The socket is connected to the latched source now (it hears no other), and how often it was locked. */
  locked: boolean;
  locks: number;
}

export interface WorkerStats {
  ticks: number;
  /** Frames whose send time was more than 10 ms past their deadline. */
  lateFrames: number;
  /** Frames skipped because the worker fell more than `maxCatchUp` frames behind. */
  skippedFrames: number;
  maxLateMs: number;
  /** Time spent running ticks (media work), and the longest single tick. */
  busyMs: number;
  maxTickMs: number;
  /** How many legs the worker carries. */
  legCount: number;
  /** Per leg (empty when asked without). */
  legs: LegStats[];
  /** The worker thread's own JavaScript heap (each worker is a V8 isolate of its own). */
  heap?: WorkerHeap;
  /**
   * The worker thread's scheduling: the nice value it runs at and the one
   * asked for; the real-time (SCHED_FIFO) priority it waits for each frame
   * and sends it at (0: ordinary scheduling throughout) and the one asked
   * for; the CPU it is pinned to (absent: not pinned); why any of them
   * differs from what was asked.
   */
  thread?: { nice: number; requestedNice: number; realtimePriority: number; requestedRealtimePriority: number; cpu?: number; error?: string };
  /**
   * The worker's paced sender (MediaEngineOptions.sendAhead above 0 or
   * 'auto'): frames between a tick and its send; datagrams sent, dropped
   * (send buffer full, refused) and failed; batches with a datagram sent
   * over 10 ms after its due time, those datagrams, and the latest; the
   * sender thread's real-time priority and why it differs from what was
   * asked.
   */
  sender?: { sendAhead: number; sent: number; dropped: number; errors: number; batches: number; lateBatches: number; lateDatagrams: number; maxLateMs: number; realtimePriority: number; error?: string;
    /** With sendAhead 'auto': the policy's state (sendAhead above is its current frames). */
    auto?: { frames: number; meanTickMs: number; raised: number; lowered: number; nearMisses: number };
  };
}

/** KiB, and the isolate's garbage collections since the worker started. */
export interface WorkerHeap {
  usedKiB: number;
  totalKiB: number;
  externalKiB: number;
  /** Young-generation collections (scavenges) and full (mark-compact) collections. */
  scavenges?: number;
  markCompacts?: number;
  /** Total and longest collection pause, ms: a pause stops this worker's clock and every leg on it. */
  gcPauseMs?: number;
  maxGcPauseMs?: number;
  /** The young generation's limit the worker was started with (MediaEngineOptions.youngGenerationMb), MiB. */
  youngGenerationMb?: number;
}

export type WorkerEvent =
  | { type: 'ready' }
  | { type: 'ack'; requestId: number; localPort?: number }
  | { type: 'rejected'; requestId: number; code: EngineErrorCode; message: string }
  | { type: 'dtmf'; legId: string; digit: string; source: 'rfc4733' | 'inband'; durationMs: number }
  | { type: 'inactive'; legId: string; silentMs: number }
  | { type: 'latched'; legId: string; remote: RemoteAddress }
  | { type: 'player-done'; playerId: string }
  | { type: 'leg-error'; legId: string; message: string }
  | { type: 'stats'; requestId: number; stats: WorkerStats };

/** Events the engine hands to its listener (worker events plus engine-level ones). */
export type EngineEvent =
  | Extract<WorkerEvent, { type: 'dtmf' | 'inactive' | 'latched' | 'player-done' | 'leg-error' }>
  | { type: 'leg-failed'; legId: string; reason: 'worker-crashed'; workerIndex: number }
  | { type: 'worker-restarted'; workerIndex: number; exitCode: number };
