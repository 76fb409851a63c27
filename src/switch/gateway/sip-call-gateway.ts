/**
 * The SIP call gateway (TEL-1, CTI-1): the CallGateway port of the switch
 * runtime over Hotline's SIP stack and media engine. Every leg is one SIP
 * dialog (or attempt) plus one engine leg with the same ID. This class is
 * the thin front: it owns the request handlers it registers on the stack,
 * the engine event subscription, and routes each call to its part
 * (InboundCalls, OutboundCalls, InDialogRequests, ReferHandler).
 */
import type { EngineEvent } from '../../media/engine/engine-protocol.ts';
import type { CallGateway, DialOptions, DialTarget, GatewayEvent } from '../runtime/call-gateway.ts';
import { recoverDialogs, type RecoveredDialog } from './dialog-recovery.ts';
import { MemoryDialogStore } from './dialog-store.ts';
import { GatewayCore } from './gateway-core.ts';
import type { GatewayLeg } from './gateway-leg.ts';
import { resolveOptions, type SipCallGatewayOptions, type TrunkConfig } from './gateway-options.ts';
import { InDialogRequests } from './in-dialog-requests.ts';
import { InboundCalls } from './inbound-calls.ts';
import { OutboundCalls } from './outbound-calls.ts';
import { ReferHandler } from './refer-handler.ts';
import { TrunkRegistrations } from './trunk-registrations.ts';

/** Final status for a leg the runtime ends before answering it, by cause. */
const REJECT_STATUS: Record<string, number> = { busy: 486, declined: 603, 'blacklist-refused': 603, 'not-found': 404 };

export class SipCallGateway implements CallGateway {
  private readonly core: GatewayCore;
  private readonly inbound: InboundCalls;
  private readonly outbound: OutboundCalls;
  private readonly inDialog: InDialogRequests;
  private readonly refers: ReferHandler;
  private readonly trunks: TrunkRegistrations;
  private unsubscribeMedia: (() => void) | undefined;

  constructor(options: SipCallGatewayOptions) {
    this.core = new GatewayCore(resolveOptions(options, () => new MemoryDialogStore()));
    this.inbound = new InboundCalls(this.core);
    this.outbound = new OutboundCalls(this.core);
    this.inDialog = new InDialogRequests(this.core, this.inbound);
    this.refers = new ReferHandler(this.core);
    this.trunks = new TrunkRegistrations(this.core);
  }

  /** Register INVITE, BYE, INFO and REFER on the stack, listen to the engine, register to the trunks that ask for it. */
  start(): void {
    const { stack } = this.core.o;
    stack.handle('INVITE', {
      onRequest: (incoming) => (incoming.dialog ? this.inDialog.onReinvite(incoming) : this.inbound.onInvite(incoming)),
      onCancel: (incoming) => this.inbound.onCancel(incoming),
      onAck: (ack, dialog) => this.inDialog.onAck(ack, dialog),
    });
    stack.handle('BYE', { onRequest: (incoming) => this.inDialog.onBye(incoming) });
    stack.handle('INFO', { onRequest: (incoming) => this.inDialog.onInfo(incoming) });
    stack.handle('REFER', { onRequest: (incoming) => this.refers.onRefer(incoming) });
    this.unsubscribeMedia ??= this.core.o.media.onEvent((e) => this.onMedia(e));
    this.trunks.start();
  }

  /**
   * ADM-2: replace the trunks live. The next INVITE is matched against the
   * new source addresses and outbound calls use the new hosts; registrations
   * of new or changed trunks start, those of removed ones end (Expires: 0).
   * Calls in progress keep their dialogs.
   */
  setTrunks(trunks: TrunkConfig[]): void {
    const ids = new Set<string>();
    for (const t of trunks) {
      if (ids.has(t.id)) throw new Error(`gateway: trunk id ${t.id} appears twice`);
      if (t.register && (t.username === undefined || t.password === undefined)) throw new Error(`gateway: trunk ${t.id} registers but has no username and password`);
      ids.add(t.id);
    }
    this.core.o.trunks = trunks.map((t) => ({ ...t }));
    this.trunks.sync();
  }

  /** Registration state by trunk id (idle, registering, registered, failed, stopped). */
  registrationStates(): Record<string, string> {
    return this.trunks.states();
  }

  /** The trunks in force now. */
  trunkList(): TrunkConfig[] {
    return this.core.o.trunks.map((t) => ({ ...t }));
  }

  /** BYE every dialog the previous process left (crash recovery), then clear the store. Call before start() takes calls. */
  recover(): Promise<RecoveredDialog[]> {
    return recoverDialogs(this.core.o.stack, this.core.o.store, this.core.log);
  }

  /** Stop listening to the engine, unregister from trunks. Live legs are left as they are (the stack closes their dialogs). */
  stop(): void {
    this.trunks.stop();
    this.unsubscribeMedia?.();
    this.unsubscribeMedia = undefined;
  }

  /** Live legs by state and trunk registration states, for health and the CLI. */
  toJSON(): { legs: Record<string, number>; trunks: Record<string, string> } {
    const legs: Record<string, number> = {};
    for (const leg of this.core.legs.values()) legs[leg.state] = (legs[leg.state] ?? 0) + 1;
    return { legs, trunks: this.trunks.states() };
  }

  dial(legId: string, target: DialTarget, opts: DialOptions): Promise<void> {
    return this.outbound.dial(legId, target, opts);
  }

  ring(legId: string): void {
    this.inbound.ring(this.core.leg(legId));
  }

  answer(legId: string): Promise<void> {
    try {
      return this.inbound.answer(this.core.leg(legId));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  reject(legId: string, status: number, reason?: string): void {
    this.inbound.reject(this.core.leg(legId), status, reason);
  }

  hangup(legId: string, cause: string): void {
    const leg = this.core.legs.get(legId);
    if (!leg || leg.ended) return;
    this.end(leg, cause);
  }

  referOutcome(legId: string, referId: string, status: number): void {
    const leg = this.core.legs.get(legId);
    if (!leg) {
      this.core.log.debug({ leg: legId, referId, status }, 'REFER outcome for a leg that has ended: no NOTIFY');
      return;
    }
    this.refers.outcome(leg, referId, status);
  }

  onEvent(listener: (e: GatewayEvent) => void): () => void {
    return this.core.onEvent(listener);
  }

  private end(leg: GatewayLeg, cause: string, event?: GatewayEvent): void {
    switch (leg.state) {
      case 'offered':
        this.inbound.reject(leg, REJECT_STATUS[cause] ?? 480);
        if (event) this.core.emit(event);
        return;
      case 'calling':
      case 'alerting':
        this.outbound.abandon(leg);
        return;
      case 'accepting':
      case 'answered':
        this.core.sendInDialog(leg, 'BYE', { headers: [['Reason', `SIP;cause=200;text="${cause.replace(/"/g, '')}"`]] });
        this.core.finish(leg, event);
        return;
      case 'ended':
        return;
    }
  }

  private onMedia(e: EngineEvent): void {
    if (e.type === 'dtmf') {
      if (this.core.legs.has(e.legId)) this.core.emit({ type: 'dtmf', legId: e.legId, digit: e.digit });
      return;
    }
    if (e.type !== 'inactive' && e.type !== 'leg-failed') return;
    const leg = this.core.legs.get(e.legId);
    if (!leg || leg.ended) return;
    if (e.type === 'inactive') {
      // Before the answer, or while the phone holds the call (it may send nothing), silence is expected.
      if (leg.state !== 'answered' || leg.remoteHeld) return;
      this.core.log.info({ leg: leg.legId, silentMs: e.silentMs }, 'no RTP: ending the call');
      this.end(leg, 'rtp-timeout', { type: 'hangup', legId: leg.legId, cause: 'rtp-timeout' });
      return;
    }
    this.core.log.warn({ leg: leg.legId }, 'media worker lost the leg: ending the call');
    leg.localPort = 0;
    if (leg.state === 'answered' || leg.state === 'accepting') this.end(leg, 'media-failed', { type: 'hangup', legId: leg.legId, cause: 'media-failed' });
    else if (leg.state === 'offered') this.end(leg, 'media-failed', { type: 'failed', legId: leg.legId, status: 500, cause: 'media-failed' });
    else {
      this.outbound.abandon(leg);
      this.core.emit({ type: 'failed', legId: leg.legId, status: 500, cause: 'media-failed' });
    }
  }
}
