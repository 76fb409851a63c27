/**
 * The runtime's engine room: the live calls, the leg index, the per-call
 * serial queue, and `apply`, which publishes an outcome's events, carries out
 * its commands and feeds failed legs back into the model. SwitchRuntime (the
 * public face) and the gateway event handler both work through this.
 */
import { join } from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { DialPlan } from '../dialplan/dial-plan.ts';
import { CallModelError, hangup, noAnswer, type AfterAgent, type Interaction, type Outcome, type SwitchContext } from '../model/index.ts';
import type { CallGateway } from './call-gateway.ts';
import { CommandExecutor, type LegFailure } from './command-executor.ts';
import type { DialOutPolicy } from './dial-out.ts';
import { EventHub } from './event-hub.ts';
import type { SwitchSounds } from './hold-music.ts';
import { IdSource } from './id-source.ts';
import type { LiveCall } from './live-call.ts';
import type { AgentDirectory, IvrPort, OfferFailureCause, QueuePort, SwitchEvent } from './ports.ts';
import { SerialQueue } from './serial-queue.ts';
import { SwitchRuntimeError } from './switch-runtime-error.ts';
import type { SwitchMedia } from './switch-media.ts';

export interface SwitchRuntimeOptions {
  clock: Clock;
  logger: Logger;
  gateway: CallGateway;
  media: SwitchMedia;
  agents: AgentDirectory;
  dialPlan: DialPlan;
  sounds: SwitchSounds;
  /** Directory recordings are written to (one WAV per interaction). */
  recordingsDir: string;
  /** Record every call (TEL-5, REC-1): a recording starts whenever a conversation bridge holds two parties. */
  recordCalls?: boolean;
  /** Most members of a conference (TEL-4), default 4 (one customer and three agents). */
  maxConference?: number;
  /** Ring time when an offer or dial does not say, default 20 s. */
  ringTimeoutMs?: number;
  /** Ended interactions kept for reads, default 500. */
  keepEnded?: number;
  queue?: QueuePort;
  ivr?: IvrPort;
  /** Prefix of generated IDs (default: start time in base 36), unique per process start. */
  idPrefix?: string;
}

export function offerCause(status: number, cause: string): OfferFailureCause {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603) return 'rejected';
  if (status === 408 || status === 480 || status === 487 || /no-answer|timeout/.test(cause)) return 'no-answer';
  return 'unreachable';
}

export class RuntimeCore {
  readonly ids: IdSource;
  readonly ctx: SwitchContext;
  readonly hub: EventHub<SwitchEvent>;
  readonly serial = new SerialQueue();
  readonly exec: CommandExecutor;
  readonly live = new Map<string, LiveCall>();
  readonly ended = new Map<string, LiveCall>();
  readonly legIndex = new Map<string, string>();
  queue: QueuePort | undefined;
  ivr: IvrPort | undefined;
  /** ADM-1 may-dial-out (dial-out.ts); undefined: every agent may. */
  dialOut: DialOutPolicy | undefined = undefined;
  readonly log: Logger;

  constructor(readonly o: SwitchRuntimeOptions) {
    this.log = o.logger;
    this.ids = new IdSource(o.idPrefix);
    this.ctx = { clock: o.clock, maxConference: o.maxConference ?? 4, newId: (k) => this.ids.newId(k) };
    this.hub = new EventHub(o.logger);
    this.queue = o.queue;
    this.ivr = o.ivr;
    this.exec = new CommandExecutor({
      clock: o.clock,
      logger: o.logger,
      gateway: o.gateway,
      media: o.media,
      agents: o.agents,
      dialPlan: o.dialPlan,
      sounds: o.sounds,
      queue: () => this.queue,
      ivr: () => this.ivr,
      publish: (e) => this.hub.emit(e),
      ringTimeoutMs: o.ringTimeoutMs ?? 20_000,
    });
  }

  get dialPlan(): DialPlan {
    return this.o.dialPlan;
  }

  /** Where the caller goes if the leg is the handling agent hanging up first (IVR-8 survey), else undefined. */
  afterAgent(ix: Interaction, legId: string): AfterAgent | undefined {
    if (ix.m.agentLeg !== legId || (ix.state !== 'talking' && ix.state !== 'on-hold')) return undefined;
    try {
      const entryPoint = this.live.get(ix.id)?.entryPoint;
      return this.ivr?.surveyFor?.({ interactionId: ix.id, agentId: ix.leg(legId).party.id, ...(entryPoint !== undefined ? { entryPoint } : {}) });
    } catch (err) {
      this.log.warn({ interaction: ix.id, err: String(err) }, 'switch: survey lookup failed; the call ends');
      return undefined;
    }
  }

  /** A live call, or the typed not-found. */
  call(interactionId: string): LiveCall {
    const c = this.live.get(interactionId);
    if (c === undefined && this.ended.has(interactionId)) throw new CallModelError('INTERACTION_ENDED', `interaction ${interactionId}`, 'the call is over');
    if (c === undefined) throw new SwitchRuntimeError('no-such-interaction', interactionId);
    return c;
  }

  register(call: LiveCall): void {
    this.live.set(call.ix.id, call);
    this.index(call.ix);
  }

  /** Runs an operation on one interaction, after every earlier one on it. */
  op(interactionId: string, body: (call: LiveCall) => Outcome | Promise<Outcome | undefined> | undefined): Promise<void> {
    return this.serial.run(interactionId, async () => {
      const call = this.call(interactionId);
      const outcome = await body(call);
      if (outcome !== undefined) await this.apply(call, outcome);
    });
  }

  /** Publishes events, carries out commands, feeds failures back; retires an ended call. */
  async apply(call: LiveCall, outcome: Outcome): Promise<void> {
    this.index(call.ix);
    for (const e of outcome.events) {
      if (e.type === 'interaction.state' && e.from === 'queued' && e.to !== 'ringing') this.queue?.cancel(call.ix.id);
      this.hub.emit(e);
    }
    const failures = await this.exec.run(call, outcome.commands);
    for (const f of failures) await this.legFailed(call, f);
    if (this.o.recordCalls === true && call.recorder === undefined && call.ix.state !== 'ended') await this.autoRecord(call);
    if (call.ix.state === 'ended' && this.live.has(call.ix.id)) await this.retire(call);
  }

  /**
   * Starts the call's recording on its main bridge (every non-IVR member,
   * mixed); returns the path. Already recording: the running one's path.
   * The first recording of a call is INTERACTION.wav, later ones (after a
   * transfer moved the call to a new bridge) INTERACTION-N.wav.
   */
  async startRecorder(call: LiveCall): Promise<string> {
    if (call.recorder !== undefined) return call.recorder.path;
    const id = call.ix.id;
    const bridge = call.ix.m.mainBridge;
    if (bridge === undefined || call.ix.state === 'ended') throw new SwitchRuntimeError('no-bridge', id);
    const members = call.ix.bridge(bridge).members().filter((m) => m.kind !== 'ivr').map((m) => m.leg);
    const n = (call.recordings ?? 0) + 1;
    const path = join(this.o.recordingsDir, n === 1 ? `${id}.wav` : `${id}-${n}.wav`);
    const recorderId = await this.o.media.record({ bridgeId: bridge, members }, path, 'mixed');
    call.recordings = n;
    call.recorder = { id: recorderId, bridge, path };
    this.hub.emit({ type: 'recording.changed', interaction: id, recording: true, path, at: this.o.clock.now() });
    return path;
  }

  /** record-every-call: once the main bridge holds two parties (IVR and music do not count). */
  private async autoRecord(call: LiveCall): Promise<void> {
    const bridge = call.ix.m.mainBridge;
    if (bridge === undefined) return;
    if (call.ix.bridge(bridge).members().filter((m) => m.kind !== 'ivr').length < 2) return;
    try {
      await this.startRecorder(call);
    } catch (err) {
      this.log.warn({ interaction: call.ix.id, err: err instanceof Error ? err.message : String(err) }, 'switch: automatic recording did not start');
    }
  }

  /** A leg that could not be dialled or answered, or that failed at the gateway before answer. */
  async legFailed(call: LiveCall, f: LegFailure): Promise<void> {
    const ix = call.ix;
    const leg = ix.legs.get(f.leg);
    if (leg === undefined || !leg.live || ix.state === 'ended') return;
    const ringingParty = ix.state === 'ringing' && (ix.m.agentLeg === f.leg || (f.leg === ix.customerLeg && leg.direction === 'outbound'));
    let outcome: Outcome;
    try {
      outcome = ringingParty ? noAnswer(ix, f.leg, offerCause(f.status, f.cause)) : hangup(ix, f.leg, 'party', f.cause);
    } catch (err) {
      if (!(err instanceof CallModelError)) throw err;
      this.log.warn({ interaction: ix.id, leg: f.leg, err: err.message }, 'switch: leg failure not applicable');
      return;
    }
    if (ringingParty && leg.party.kind === 'agent') {
      this.hub.emit({ type: 'offer.failed', interaction: ix.id, agentId: leg.party.id, cause: offerCause(f.status, f.cause), at: this.o.clock.now() });
    }
    await this.apply(call, outcome);
  }

  private async retire(call: LiveCall): Promise<void> {
    await this.exec.stopRecording(call);
    for (const p of call.legPlayers.keys()) await this.exec.stopLegPlayer(call, p);
    if (call.ivrActive) {
      call.ivrActive = false;
      this.ivr?.stop(call.ix.id);
    }
    this.live.delete(call.ix.id);
    for (const id of call.ix.legs.keys()) this.legIndex.delete(id);
    this.ended.set(call.ix.id, call);
    const keep = this.o.keepEnded ?? 500;
    for (const id of this.ended.keys()) {
      if (this.ended.size <= keep) break;
      this.ended.delete(id);
    }
  }

  private index(ix: Interaction): void {
    for (const id of ix.legs.keys()) this.legIndex.set(id, ix.id);
  }

  /** The live call a gateway leg belongs to. */
  callOfLeg(legId: string): LiveCall | undefined {
    const ixId = this.legIndex.get(legId);
    return ixId === undefined ? undefined : this.live.get(ixId);
  }
}
