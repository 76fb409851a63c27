/**
 * Inbound legs (TEL-1): an INVITE outside any dialog is admitted (trusted
 * trunk address, public service number, or digest authentication with a
 * 407 challenge), its SDP offer negotiated, the engine leg created, and the
 * runtime told (`inbound`). Then ring, answer (200 retransmitted until the
 * ACK; late offer: our offer in the 200, the answer in the ACK), reject,
 * and CANCEL (487, `failed`).
 */
import { acceptAnswer, createOffer, negotiate } from '../../protocol/sdp/sdp-negotiator.ts';
import type { NegotiatedAudio } from '../../protocol/sdp/media-capabilities.ts';
import { contactsOf, fromOf, toOf } from '../../protocol/sip/name-addr.ts';
import type { SipRequest } from '../../protocol/sip/message.ts';
import { createResponse, randomTag } from '../../protocol/sip/response.ts';
import type { IncomingRequest } from '../../sip/stack/request-handler.ts';
import { sourceOfFlow } from '../../sip/security/message-source.ts';
import type { InboundCall } from '../runtime/call-gateway.ts';
import type { GatewayCore } from './gateway-core.ts';
import { GatewayError } from './gateway-error.ts';
import { GatewayLeg } from './gateway-leg.ts';
import { partyOf, userOf } from './party.ts';
import { sdpBodyOf, warningFor } from './sdp-body.ts';
import { answerWebRtc, checkWebRtcOffer, isWebRtcOffer } from './webrtc-legs.ts';

/** Request headers handed to the dial plan (lower-case names). */
const PASSED_HEADERS = ['user-agent', 'p-asserted-identity', 'diversion', 'history-info', 'subject', 'x-hotline-interaction', 'call-info', 'alert-info'];

interface Admission {
  account?: string;
  trunkId?: string;
}

export class InboundCalls {
  private readonly byTransaction = new WeakMap<object, GatewayLeg>();
  private readonly toTags = new WeakMap<GatewayLeg, string>();

  constructor(private readonly core: GatewayCore) {}

  /** A new INVITE (no To tag). */
  async onInvite(incoming: IncomingRequest): Promise<void> {
    const req = incoming.request;
    if (incoming.transaction.kind !== 'ist') return;
    const { core } = this;
    const server = [['Server', core.o.userAgent]] as [string, string][];
    if (contactsOf(req).length === 0) {
      incoming.respond(400, 'Bad Request - INVITE without Contact');
      return;
    }
    const body = sdpBodyOf(req);
    if (body.kind === 'unsupported') {
      incoming.respond(415, 'Unsupported Media Type', { headers: [['Accept', 'application/sdp']] });
      return;
    }
    const admission = await this.admit(incoming);
    if (!admission || !this.pending(incoming)) return;
    let audio: NegotiatedAudio | undefined;
    const browser = body.kind === 'sdp' && isWebRtcOffer(core, body.text);
    if (browser) {
      const bad = checkWebRtcOffer(core, body.text);
      if (bad) {
        core.log.info({ code: bad.code, callId: req.headers.get('Call-ID') }, 'WebRTC offer not acceptable');
        incoming.respond(488, 'Not Acceptable Here', { headers: [warningFor(bad, core.o.sipHost), ...server] });
        return;
      }
    } else if (body.kind === 'sdp') {
      const probe = negotiate(body.text, core.probeCaps());
      if (!probe.ok) {
        core.log.info({ code: probe.error.code, callId: req.headers.get('Call-ID') }, 'INVITE offer not acceptable');
        incoming.respond(488, 'Not Acceptable Here', { headers: [warningFor(probe.error, core.o.sipHost), ...server] });
        return;
      }
      audio = probe.audio;
    }
    const leg = new GatewayLeg(core.o.newLegId(), 'inbound');
    leg.webrtc = browser;
    leg.incoming = incoming;
    leg.hop = { protocol: incoming.flow.protocol, remote: { ...incoming.flow.remote } };
    this.toTags.set(leg, randomTag());
    this.byTransaction.set(incoming.transaction, leg);
    core.legs.set(leg.legId, leg);
    try {
      await core.createMedia(leg, audio);
    } catch (err) {
      core.log.error({ leg: leg.legId, err: String(err) }, 'no engine leg for inbound call');
      if (this.pending(incoming)) incoming.respond(503, 'Service Unavailable', { headers: [['Retry-After', '5'], ...server] });
      core.finish(leg);
      return;
    }
    if (leg.ended) {
      // CANCELled while the engine leg was being made: finish() ran before the port existed.
      core.o.media.destroyLeg(leg.legId).catch(() => undefined);
      return;
    }
    core.emit({ type: 'inbound', call: this.describe(leg, incoming, admission) });
  }

  ring(leg: GatewayLeg): void {
    leg.require(['offered'], 'ring');
    this.incomingOf(leg).respond(180, 'Ringing', { toTag: this.toTags.get(leg)!, headers: [['Contact', this.core.contact(leg.hop!.protocol)]] });
  }

  answer(leg: GatewayLeg): Promise<void> {
    leg.require(['offered'], 'answer');
    const offer = sdpBodyOf(this.incomingOf(leg).request);
    if (leg.webrtc && offer.kind === 'sdp') return this.answerBrowser(leg, offer.text);
    let sdp: string;
    if (offer.kind === 'sdp') {
      const r = negotiate(offer.text, this.core.caps(leg));
      if (!r.ok) throw new Error(`bug: offer accepted before no longer negotiates: ${r.error.message}`);
      sdp = r.answer;
    } else {
      sdp = createOffer(this.core.caps(leg));
      leg.awaitingAckAnswer = true;
    }
    return this.sendOk(leg, sdp);
  }

  /** A browser's offer: answered by the WebRTC port, the engine leg pointed at its relay, then the 200. */
  private async answerBrowser(leg: GatewayLeg, offer: string): Promise<void> {
    const { core } = this;
    const incoming = this.incomingOf(leg);
    let answer: Awaited<ReturnType<typeof answerWebRtc>>;
    try {
      answer = await answerWebRtc(core, leg, offer);
    } catch (err) {
      core.log.warn({ leg: leg.legId, err: String(err) }, 'WebRTC offer not answered');
      if (!leg.ended && this.pending(incoming)) {
        incoming.respond(488, 'Not Acceptable Here', { toTag: this.toTags.get(leg)! });
        core.finish(leg, { type: 'failed', legId: leg.legId, status: 488, cause: 'incompatible-media' });
      }
      throw new GatewayError('leg-ended', `leg ${leg.legId}: WebRTC offer not answered`);
    }
    if (leg.state !== 'offered' || !this.pending(incoming)) throw new GatewayError('leg-ended', `leg ${leg.legId} ended while its WebRTC answer was made`);
    await core.applyAudio(leg, answer.audio);
    return this.sendOk(leg, answer.sdp);
  }

  private sendOk(leg: GatewayLeg, sdp: string): Promise<void> {
    const { core } = this;
    const incoming = this.incomingOf(leg);
    const tx = incoming.transaction;
    if (tx.kind !== 'ist') throw new Error('bug: inbound leg without an INVITE server transaction');
    const contact = core.contact(leg.hop!.protocol);
    const ok = createResponse(incoming.request, 200, 'OK', {
      toTag: this.toTags.get(leg)!,
      headers: [['Contact', contact], ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY'], ['Supported', 'replaces'], ['Server', core.o.userAgent]],
      body: Buffer.from(sdp),
      contentType: 'application/sdp',
    });
    const dialog = core.o.stack.dialogs.acceptInvite(tx, ok, contact);
    core.bindDialog(leg, dialog);
    leg.transition('accepting');
    return new Promise<void>((resolve, reject) => {
      leg.answerWaiter = { resolve, reject };
      leg.setTimer(
        'ack',
        core.o.clock.setTimeout(() => {
          if (leg.state !== 'accepting') return;
          core.log.warn({ leg: leg.legId }, 'no ACK for our 200: ending the call');
          leg.answerWaiter = undefined;
          core.sendInDialog(leg, 'BYE');
          reject(new GatewayError('no-ack', `no ACK for the 200 of leg ${leg.legId}`));
          core.finish(leg, { type: 'hangup', legId: leg.legId, cause: 'no-ack' });
        }, core.o.ackTimeoutMs),
      );
    });
  }

  reject(leg: GatewayLeg, status: number, reason?: string): void {
    leg.require(['offered'], 'reject');
    if (!(status >= 300 && status < 700)) throw new GatewayError('bad-state', `reject needs a 3xx-6xx status, got ${status}`);
    this.incomingOf(leg).respond(status, reason, { toTag: this.toTags.get(leg)! });
    this.core.finish(leg);
  }

  /** The stack matched a CANCEL to this INVITE (and answered it 200). */
  onCancel(incoming: IncomingRequest): void {
    const leg = this.byTransaction.get(incoming.transaction);
    if (!leg || leg.ended) {
      if (this.pending(incoming)) incoming.respond(487, 'Request Terminated');
      return;
    }
    if (leg.state !== 'offered') return; // our 200 crossed the CANCEL: the call goes on (RFC 3261 9.2)
    incoming.respond(487, 'Request Terminated', { toTag: this.toTags.get(leg)! });
    this.core.finish(leg, { type: 'failed', legId: leg.legId, status: 487, cause: 'cancelled' });
  }

  /** The ACK for our 200 to the initial INVITE. */
  onAck(leg: GatewayLeg, ack: SipRequest): void {
    if (leg.state !== 'accepting') return;
    const { core } = this;
    leg.clearTimer('ack');
    if (leg.awaitingAckAnswer) {
      leg.awaitingAckAnswer = false;
      const body = sdpBodyOf(ack);
      const r = body.kind === 'sdp' ? acceptAnswer(body.text, core.caps(leg)) : undefined;
      if (!r?.ok) {
        core.log.info({ leg: leg.legId }, 'ACK without a usable SDP answer: ending the call');
        core.sendInDialog(leg, 'BYE');
        core.finish(leg, { type: 'hangup', legId: leg.legId, cause: 'no-sdp-answer' });
        return;
      }
      void core.applyAudio(leg, r.audio);
    }
    leg.transition('answered');
    core.saveDialog(leg);
    const waiter = leg.answerWaiter;
    leg.answerWaiter = undefined;
    waiter?.resolve();
    core.emit({ type: 'answered', legId: leg.legId });
  }

  private incomingOf(leg: GatewayLeg): IncomingRequest {
    if (!leg.incoming) throw new GatewayError('bad-state', `leg ${leg.legId} is not an inbound leg`);
    return leg.incoming;
  }

  /** Still waiting for our final response (not CANCELled meanwhile). */
  private pending(incoming: IncomingRequest): boolean {
    const tx = incoming.transaction;
    return tx.kind === 'ist' && tx.state === 'proceeding';
  }

  private async admit(incoming: IncomingRequest): Promise<Admission | undefined> {
    const { core } = this;
    const req = incoming.request;
    const source = incoming.flow.remote.address;
    // A trunk we register to sends its INVITEs from its registrar's address (when configured as an IP).
    const trunk = core.o.trunks.find((t) => t.inboundAddresses?.includes(source) || (t.register === true && t.host === source));
    if (trunk) return { trunkId: trunk.id };
    const publicNumber = core.o.isPublicNumber?.(userOf(req.uri)) === true;
    if (publicNumber && !req.headers.has('Proxy-Authorization')) return {};
    const decision = await core.o.authenticator.authenticate(req, sourceOfFlow(incoming.flow), { proxy: true });
    if (decision.kind === 'authorized') return { account: decision.username };
    if (publicNumber) return {};
    if (!this.pending(incoming)) return undefined;
    if (decision.kind === 'challenge') incoming.respond(decision.status, decision.reason, { headers: decision.challenges.map((c) => [decision.headerName, c]) });
    else incoming.respond(decision.status, decision.reason);
    return undefined;
  }

  private describe(leg: GatewayLeg, incoming: IncomingRequest, admission: Admission): InboundCall {
    const req = incoming.request;
    const headers: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const v = req.headers.get(name);
      if (v !== undefined) headers[name] = v;
    }
    const call: InboundCall = {
      legId: leg.legId,
      from: partyOf(fromOf(req)),
      to: partyOf({ ...toOf(req), uri: req.uri }, userOf(req.uri)),
      source: { address: incoming.flow.remote.address, port: incoming.flow.remote.port, transport: incoming.flow.protocol },
      headers,
    };
    if (admission.account !== undefined) call.account = admission.account;
    if (admission.trunkId !== undefined) call.trunkId = admission.trunkId;
    return call;
  }
}
