/**
 * Carries out the commands of one model outcome, in order: leg commands go to
 * the CallGateway, bridge and media commands to the MediaEngine, acd and ivr
 * commands to their ports. Nothing here throws: a leg that cannot be dialled
 * or answered comes back as a LegFailure for the runtime to feed into the
 * model; any other failure is logged and published as `command.failed`.
 */
import type { AudioSource } from '../../media/engine/engine-protocol.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { DialPlan } from '../dialplan/dial-plan.ts';
import type { Command, MediaSource, Party } from '../model/index.ts';
import type { CallGateway, DialOptions, DialTarget } from './call-gateway.ts';
import type { SwitchSounds } from './hold-music.ts';
import type { LiveCall } from './live-call.ts';
import type { AgentDirectory, IvrPort, QueuePort, RuntimeEvent } from './ports.ts';
import type { SwitchMedia } from './switch-media.ts';

export interface LegFailure {
  leg: string;
  status: number;
  cause: string;
}

export interface ExecutorDeps {
  clock: Clock;
  logger: Logger;
  gateway: CallGateway;
  media: SwitchMedia;
  agents: AgentDirectory;
  dialPlan: DialPlan;
  sounds: SwitchSounds;
  queue(): QueuePort | undefined;
  ivr(): IvrPort | undefined;
  publish(e: RuntimeEvent): void;
  /** Ring time for offers and dials that do not say otherwise. */
  ringTimeoutMs: number;
}

const GONE = /unknown-(leg|bridge|player|recorder)|no (leg|bridge|player|recorder)/;

export class CommandExecutor {
  constructor(private readonly d: ExecutorDeps) {}

  /** Runs the commands in order; returns the legs that failed to dial or answer. */
  async run(call: LiveCall, commands: readonly Command[]): Promise<LegFailure[]> {
    const failures: LegFailure[] = [];
    for (const c of commands) {
      try {
        const f = await this.one(call, c);
        if (f !== undefined) failures.push(f);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        if (GONE.test(msg)) {
          this.d.logger.debug({ interaction: call.ix.id, command: c.kind, err: msg }, 'switch: command on a leg or bridge already gone');
          continue;
        }
        this.d.logger.warn({ interaction: call.ix.id, command: c, err: msg }, 'switch: command failed');
        const leg = 'leg' in c ? c.leg : undefined;
        this.d.publish({ type: 'command.failed', interaction: call.ix.id, command: c.kind, ...(leg !== undefined ? { leg } : {}), error: msg, at: this.d.clock.now() });
      }
    }
    return failures;
  }

  private virtual(call: LiveCall, legId: string): boolean {
    return call.ix.legs.get(legId)?.party.kind === 'ivr';
  }

  private async one(call: LiveCall, c: Command): Promise<LegFailure | undefined> {
    const { gateway, media } = this.d;
    switch (c.kind) {
      case 'leg.dial':
        if (call.clickToDial !== undefined) {
          call.clickToDial.deferred.push(c);
          return undefined;
        }
        return this.dial(call, c.leg, c.party);
      case 'leg.answer':
        if (this.virtual(call, c.leg) || call.gatewayAnswered.has(c.leg)) return undefined;
        call.gatewayAnswered.add(c.leg);
        try {
          await gateway.answer(c.leg);
        } catch (err) {
          return { leg: c.leg, status: 408, cause: `answer-failed: ${err instanceof Error ? err.message : String(err)}` };
        }
        return undefined;
      case 'leg.hangup':
        await this.stopLegPlayer(call, c.leg);
        if (this.virtual(call, c.leg)) {
          if (call.ivrActive) {
            call.ivrActive = false;
            this.d.ivr()?.stop(call.ix.id);
          }
          return undefined;
        }
        gateway.hangup(c.leg, c.cause);
        return undefined;
      case 'bridge.create': {
        const near = this.anchorOf(call);
        await media.createBridge({ bridgeId: c.bridge, maxMembers: c.maxSize, ...(near !== undefined ? { near } : {}) });
        return undefined;
      }
      case 'bridge.join':
        if (this.virtual(call, c.leg)) return undefined;
        if (c.role === 'hold') await this.ensureMusic(call, c.bridge);
        await media.join(c.bridge, c.leg, c.role, c.target !== undefined ? { whisperTo: c.target } : {});
        return undefined;
      case 'bridge.setRole':
        if (this.virtual(call, c.leg)) return undefined;
        if (c.role === 'hold') await this.ensureMusic(call, c.bridge);
        await media.setRole(c.bridge, c.leg, c.role, c.target);
        return undefined;
      case 'bridge.leave':
        if (this.virtual(call, c.leg)) return undefined;
        await media.leave(c.bridge, c.leg);
        return undefined;
      case 'bridge.destroy':
        await this.closeBridge(call, c.bridge);
        return undefined;
      case 'media.play':
        if (this.virtual(call, c.leg)) return undefined;
        await this.stopLegPlayer(call, c.leg);
        call.legPlayers.set(c.leg, await media.play({ legId: c.leg }, this.source(c.source)));
        return undefined;
      case 'media.stop':
        await this.stopLegPlayer(call, c.leg);
        return undefined;
      case 'acd.enqueue': {
        const q = this.d.queue();
        if (q === undefined) throw new Error(`no queue service: call waits in queue ${c.queueId} unserved`);
        q.enqueue({
          interactionId: c.interaction,
          queueId: c.queueId,
          callData: c.callData,
          customer: call.customer,
          ...(call.entryPoint !== undefined ? { entryPoint: call.entryPoint } : {}),
        });
        return undefined;
      }
      case 'ivr.start': {
        const ivr = this.d.ivr();
        if (ivr === undefined) throw new Error(`no IVR service: ${c.script} not started`);
        call.ivrActive = true;
        ivr.start({
          interactionId: c.interaction,
          legId: c.leg,
          customerLegId: call.ix.customerLeg,
          script: c.script,
          mode: c.mode,
          ...(c.resumeAt !== undefined ? { resumeAt: c.resumeAt } : {}),
          callData: c.callData,
          customer: call.customer,
          ...(call.entryPoint !== undefined ? { entryPoint: call.entryPoint } : {}),
        });
        return undefined;
      }
    }
  }

  /** Resolves where a party is reached and asks the gateway to dial it. */
  async dial(call: LiveCall, legId: string, party: Party, extra: Partial<DialOptions> = {}): Promise<LegFailure | undefined> {
    const target = this.targetOf(party);
    if ('status' in target) return { leg: legId, ...target };
    const offer = party.kind === 'agent' ? call.offers.get(party.id) : undefined;
    const callerId = party.kind === 'agent' || party.kind === 'supervisor' ? call.customer : this.agentCallerId(call);
    const near = this.anchorOf(call);
    const opts: DialOptions = {
      callerId,
      autoAnswer: party.kind === 'supervisor' || (offer?.autoAnswer ?? false),
      ringTimeoutMs: offer?.ringTimeoutMs ?? this.d.ringTimeoutMs,
      interactionId: call.ix.id,
      callData: { ...call.ix.callData() },
      ...(near !== undefined ? { mediaNear: near } : {}),
      ...extra,
    };
    call.dialed.add(legId);
    try {
      await this.d.gateway.dial(legId, target, opts);
    } catch (err) {
      return { leg: legId, status: 503, cause: `dial-failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    call.anchor ??= legId;
    return undefined;
  }

  /**
   * The leg whose media worker a new leg or bridge of this call must share.
   * The first leg anchors the call, but it may end while the call goes on
   * (an agent who transferred, a consulted party dropped): then the anchor
   * moves to a live leg, which is on the same worker, since every leg of the
   * call was placed near the anchor. A connected or held leg is preferred:
   * its engine leg surely exists.
   */
  private anchorOf(call: LiveCall): string | undefined {
    const live = (id: string | undefined): boolean => {
      const leg = id === undefined ? undefined : call.ix.legs.get(id);
      return leg !== undefined && leg.state !== 'terminated' && leg.party.kind !== 'ivr';
    };
    if (call.anchor === undefined || live(call.anchor)) return call.anchor;
    const legs = [...call.ix.legs.values()].filter((l) => live(l.id));
    const next = legs.find((l) => l.state === 'connected' || l.state === 'held') ?? legs[0];
    if (next !== undefined) call.anchor = next.id;
    return call.anchor;
  }

  private targetOf(party: Party): DialTarget | { status: number; cause: string } {
    if (party.kind === 'agent' || party.kind === 'supervisor') {
      const extension = this.d.agents.extensionOf(party.id);
      return extension === undefined ? { status: 404, cause: `unreachable: ${party.kind} ${party.id} has no extension` } : { kind: 'extension', extension };
    }
    try {
      return this.d.dialPlan.routeOutbound(party.id);
    } catch (err) {
      return { status: 404, cause: `unreachable: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  /** Caller ID for a call the agent places: the agent's extension. */
  private agentCallerId(call: LiveCall): { number: string; name?: string } {
    const agentLeg = call.ix.m.agentLeg === undefined ? undefined : call.ix.legs.get(call.ix.m.agentLeg);
    const id = agentLeg?.party.id;
    const ext = id === undefined ? undefined : this.d.agents.extensionOf(id);
    return { number: ext ?? id ?? 'hotline' };
  }

  private source(s: MediaSource): AudioSource {
    const path = s === 'music-on-hold' ? this.d.sounds.musicOnHold : s === 'queue-music' ? this.d.sounds.queueMusic : this.d.sounds.ringback;
    return { kind: 'wav', path, loop: true };
  }

  private async ensureMusic(call: LiveCall, bridge: string): Promise<void> {
    if (call.bridgeMusic.has(bridge)) return;
    call.bridgeMusic.set(bridge, await this.d.media.play({ bridgeId: bridge }, this.source('music-on-hold')));
  }

  /** Plays a WAV file to a leg in place of what it hears (treatment prompts), replacing any earlier player. */
  async playFile(call: LiveCall, legId: string, path: string, loop: boolean): Promise<void> {
    await this.stopLegPlayer(call, legId);
    call.legPlayers.set(legId, await this.d.media.play({ legId }, { kind: 'wav', path, loop }));
  }

  async stopLegPlayer(call: LiveCall, legId: string): Promise<void> {
    const p = call.legPlayers.get(legId);
    if (p === undefined) return;
    call.legPlayers.delete(legId);
    await this.d.media.stopPlayer(p).catch(() => undefined);
  }

  private async closeBridge(call: LiveCall, bridge: string): Promise<void> {
    if (call.recorder?.bridge === bridge) await this.stopRecording(call);
    const music = call.bridgeMusic.get(bridge);
    if (music !== undefined) {
      call.bridgeMusic.delete(bridge);
      await this.d.media.stopPlayer(music).catch(() => undefined);
    }
    await this.d.media.destroyBridge(bridge);
  }

  async stopRecording(call: LiveCall): Promise<string | undefined> {
    const r = call.recorder;
    if (r === undefined) return undefined;
    delete call.recorder;
    await this.d.media.controlRecording(r.id, 'stop').catch((err: Error) => this.d.logger.warn({ err: err.message, interaction: call.ix.id }, 'switch: stop recording failed'));
    this.d.publish({ type: 'recording.changed', interaction: call.ix.id, recording: false, path: r.path, at: this.d.clock.now() });
    return r.path;
  }
}
