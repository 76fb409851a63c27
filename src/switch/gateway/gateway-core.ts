/**
 * State shared by the gateway's parts (inbound calls, outbound calls,
 * in-dialog requests): the leg table, the dialog index, event delivery,
 * our Contact, SDP capabilities, in-dialog sending, persistence of
 * confirmed dialogs, and the one place a leg ends.
 */
import { capabilities } from '../../protocol/sdp/sdp-negotiator.ts';
import type { MediaCapabilities, MediaDirection, NegotiatedAudio } from '../../protocol/sdp/media-capabilities.ts';
import { formatNameAddr } from '../../protocol/sip/name-addr.ts';
import type { SipRequest } from '../../protocol/sip/message.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Dialog, InDialogRequestOptions } from '../../sip/dialog/dialog.ts';
import type { ClientTransactionUser } from '../../sip/transaction/transaction-types.ts';
import type { TransportProtocol } from '../../sip/transport/transport.ts';
import type { GatewayEvent } from '../runtime/call-gateway.ts';
import type { DialogRecord } from './dialog-store.ts';
import { GatewayError } from './gateway-error.ts';
import type { GatewayLeg } from './gateway-leg.ts';
import type { ResolvedOptions } from './gateway-options.ts';

export class GatewayCore {
  readonly legs = new Map<string, GatewayLeg>();
  readonly log: Logger;
  private readonly byDialog = new Map<string, GatewayLeg>();
  private readonly listeners = new Set<(e: GatewayEvent) => void>();

  constructor(readonly o: ResolvedOptions) {
    this.log = o.logger.child({ component: 'sip-gateway' });
  }

  onEvent(listener: (e: GatewayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(e: GatewayEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error({ err: String(err), event: e.type }, 'gateway listener failed');
      }
    }
  }

  leg(legId: string): GatewayLeg {
    const leg = this.legs.get(legId);
    if (!leg) throw new GatewayError('unknown-leg', `no leg ${legId}`);
    return leg;
  }

  legOfDialog(dialog: Dialog | undefined): GatewayLeg | undefined {
    return dialog ? this.byDialog.get(dialog.key) : undefined;
  }

  bindDialog(leg: GatewayLeg, dialog: Dialog): void {
    leg.dialog = dialog;
    this.byDialog.set(dialog.key, leg);
  }

  /** Our Contact for a transport: `<sip:hotline@HOST:PORT;transport=tcp>`. */
  contact(protocol: TransportProtocol): string {
    const port = this.o.sipPorts[protocol] ?? this.o.sipPorts.udp ?? 5060;
    const host = this.o.sipHost.includes(':') && !this.o.sipHost.startsWith('[') ? `[${this.o.sipHost}]` : this.o.sipHost;
    const tp = protocol === 'udp' ? '' : `;transport=${protocol}`;
    return formatNameAddr({ uri: `sip:hotline@${host}:${port}${tp}`, params: new Map() });
  }

  /** Our media capabilities for a new SDP of this leg (its o= version moves on). */
  caps(leg: GatewayLeg, direction: MediaDirection = 'sendrecv'): MediaCapabilities {
    leg.sdpVersion++;
    return capabilities({
      address: this.o.mediaAddress,
      port: leg.localPort,
      codecs: [...this.o.codecs],
      direction,
      preference: 'local',
      rtcpMux: false,
      sessionId: leg.sdpSessionId,
      sessionVersion: leg.sdpVersion,
    });
  }

  /** Capabilities to check an offer before any engine leg exists (the port is a placeholder). */
  probeCaps(): MediaCapabilities {
    return capabilities({ address: this.o.mediaAddress, port: 9, codecs: [...this.o.codecs], preference: 'local', rtcpMux: false });
  }

  /** Create the engine leg (same ID), already pointed at the peer when its SDP is known. */
  async createMedia(leg: GatewayLeg, audio?: NegotiatedAudio, near?: string): Promise<void> {
    const opts: Parameters<ResolvedOptions['media']['createLeg']>[0] = { legId: leg.legId, inactivityMs: this.o.rtpTimeoutMs };
    if (near !== undefined) opts.near = near;
    if (audio) {
      opts.remote = { address: audio.remoteAddress, port: audio.remotePort };
      opts.codec = audio.codec;
      opts.payloadType = audio.payloadType;
      if (audio.telephoneEventPayloadType !== undefined) opts.telephoneEventPt = audio.telephoneEventPayloadType;
      leg.audio = audio;
    }
    const handle = await this.o.media.createLeg(opts);
    leg.localPort = handle.localPort;
  }

  /** Point the engine leg at the negotiated remote and codec. */
  async applyAudio(leg: GatewayLeg, audio: NegotiatedAudio): Promise<void> {
    leg.audio = audio;
    // RFC 2543 hold (c=0.0.0.0) names no address to send to: keep the old one.
    if (leg.ended || audio.remoteAddress === '0.0.0.0' || audio.remoteAddress === '::') return;
    // telephone-event follows the new SDP: without it the leg neither sends RFC 4733 nor skips in-band detection.
    const change: Parameters<ResolvedOptions['media']['updateLeg']>[1] = { remote: { address: audio.remoteAddress, port: audio.remotePort }, codec: audio.codec, payloadType: audio.payloadType, telephoneEventPt: audio.telephoneEventPayloadType };
    try {
      await this.o.media.updateLeg(leg.legId, change);
    } catch (err) {
      this.log.warn({ leg: leg.legId, err: String(err) }, 'engine leg update failed');
    }
  }

  /** Send a new request in the leg's dialog; the stored record follows its CSeq. */
  sendInDialog(leg: GatewayLeg, method: string, opts: InDialogRequestOptions = {}, user: ClientTransactionUser = {}): SipRequest | undefined {
    const dialog = leg.dialog;
    if (!dialog || dialog.state === 'terminated') return undefined;
    const req = dialog.createRequest(method, opts);
    this.send(leg, req, user);
    if (method !== 'BYE') this.saveDialog(leg);
    return req;
  }

  /** Send a request built for the leg's dialog: over its flow when no route set says otherwise. */
  send(leg: GatewayLeg, req: SipRequest, user: ClientTransactionUser = {}): void {
    const hop = leg.dialog && leg.dialog.routeSet.length > 0 ? undefined : leg.hop;
    this.o.stack.sendRequest(req, user, hop).catch((err: unknown) => {
      this.log.warn({ leg: leg.legId, method: req.method, err: String(err) }, 'in-dialog request not sent');
      user.onResponse?.({ kind: 'response', status: 503, reason: 'Service Unavailable', version: 'SIP/2.0', headers: req.headers, body: Buffer.alloc(0) }, 'transport-error');
    });
  }

  saveDialog(leg: GatewayLeg): void {
    const d = leg.dialog;
    if (!d || d.state !== 'confirmed' || leg.ended) return;
    const rec: DialogRecord = {
      legId: leg.legId,
      callId: d.id.callId,
      localTag: d.id.localTag,
      remoteTag: d.id.remoteTag,
      localUri: formatNameAddr(d.localUri),
      remoteUri: formatNameAddr(d.remoteUri),
      remoteTarget: d.remoteTarget,
      routeSet: [...d.routeSet],
      localSeq: d.localSeq ?? 0,
      savedAt: this.o.clock.now(),
    };
    if (leg.hop) rec.hop = { protocol: leg.hop.protocol, address: leg.hop.remote.address, port: leg.hop.remote.port };
    this.o.store.put(rec).catch((err: unknown) => this.log.error({ leg: leg.legId, err: String(err) }, 'dialog not saved'));
  }

  /**
   * The one way a leg ends: timers stopped, dialog forgotten (in the stack
   * and the store), engine leg destroyed, waiting answer() rejected, and
   * the event (if any) delivered last.
   */
  finish(leg: GatewayLeg, event?: GatewayEvent): void {
    if (leg.ended) return;
    leg.transition('ended');
    leg.clearTimers();
    if (leg.dialog) {
      this.byDialog.delete(leg.dialog.key);
      if (this.o.stack.dialogs.get(leg.dialog.key) === leg.dialog) this.o.stack.dialogs.remove(leg.dialog);
      else leg.dialog.terminate();
      this.o.store.remove(leg.legId).catch((err: unknown) => this.log.error({ leg: leg.legId, err: String(err) }, 'dialog record not removed'));
    }
    this.legs.delete(leg.legId);
    if (leg.webrtc) this.o.webrtc?.close(leg.legId);
    if (leg.localPort !== 0) this.o.media.destroyLeg(leg.legId).catch((err: unknown) => this.log.debug({ leg: leg.legId, err: String(err) }, 'engine leg already gone'));
    const waiter = leg.answerWaiter;
    leg.answerWaiter = undefined;
    waiter?.reject(new GatewayError('leg-ended', `leg ${leg.legId} ended before the ACK`));
    if (event) this.emit(event);
  }
}
