/**
 * Requests from the peer inside a leg's dialog: re-INVITE (hold and
 * resume by the phone: the answer mirrors its direction, the engine leg
 * follows its address, `remote-hold` tells the runtime; 500 + Retry-After
 * while a previous one is still unacknowledged (RFC 3261 14.2; the gateway
 * sends no re-INVITE of its own, so 491 glare cannot arise), 488 for an
 * offer we cannot take), BYE, INFO (DTMF relay)
 * and the ACKs of our 2xx responses.
 */
import { acceptAnswer, createOffer, negotiate } from '../../protocol/sdp/sdp-negotiator.ts';
import type { NegotiatedAudio } from '../../protocol/sdp/media-capabilities.ts';
import { SdpNegotiationError } from '../../protocol/sdp/sdp-errors.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import type { SipRequest } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import type { Dialog } from '../../sip/dialog/dialog.ts';
import type { IncomingRequest } from '../../sip/stack/request-handler.ts';
import type { GatewayCore } from './gateway-core.ts';
import type { GatewayLeg } from './gateway-leg.ts';
import type { InboundCalls } from './inbound-calls.ts';
import { sdpBodyOf, warningFor } from './sdp-body.ts';
import { answerWebRtc } from './webrtc-legs.ts';

export class InDialogRequests {
  constructor(
    private readonly core: GatewayCore,
    private readonly inbound: InboundCalls,
  ) {}

  onReinvite(incoming: IncomingRequest): void {
    const { core } = this;
    const tx = incoming.transaction;
    const leg = core.legOfDialog(incoming.dialog);
    if (tx.kind !== 'ist') return;
    if (!leg || leg.ended) {
      incoming.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    if (leg.state !== 'answered' || leg.reinviteInProgress !== undefined) {
      // RFC 3261 14.2: a second INVITE before the first is done.
      incoming.respond(500, 'Server Internal Error - previous INVITE still in progress', { headers: [['Retry-After', String(1 + Math.floor(Math.random() * 9))]] });
      return;
    }
    const req = incoming.request;
    const body = sdpBodyOf(req);
    if (body.kind === 'unsupported') {
      incoming.respond(415, 'Unsupported Media Type', { headers: [['Accept', 'application/sdp']] });
      return;
    }
    if (leg.webrtc) {
      this.reinviteBrowser(incoming, leg, body.kind === 'sdp' ? body.text : undefined);
      return;
    }
    let sdp: string;
    let audio: NegotiatedAudio | undefined;
    if (body.kind === 'sdp') {
      const r = negotiate(body.text, core.caps(leg));
      if (!r.ok) {
        incoming.respond(488, 'Not Acceptable Here', { headers: [warningFor(r.error, core.o.sipHost)] });
        return;
      }
      sdp = r.answer;
      audio = r.audio;
    } else {
      sdp = createOffer(core.caps(leg));
      leg.awaitingAckAnswer = true;
    }
    const contact = core.contact(leg.hop?.protocol ?? incoming.flow.protocol);
    const ok = createResponse(req, 200, 'OK', { headers: [['Contact', contact], ['Server', core.o.userAgent]], body: Buffer.from(sdp), contentType: 'application/sdp' });
    core.o.stack.dialogs.acceptInvite(tx, ok, contact);
    leg.reinviteInProgress = cseqOf(req).seq;
    core.saveDialog(leg);
    if (audio) this.takeAudio(leg, audio);
  }

  /** A browser's re-INVITE (hold, resume): answered by the WebRTC port; one without an offer is refused. */
  private reinviteBrowser(incoming: IncomingRequest, leg: GatewayLeg, offer: string | undefined): void {
    const { core } = this;
    const req = incoming.request;
    if (offer === undefined) {
      incoming.respond(488, 'Not Acceptable Here - re-INVITE without offer to a browser leg');
      return;
    }
    const seq = cseqOf(req).seq;
    leg.reinviteInProgress = seq;
    answerWebRtc(core, leg, offer).then(
      ({ sdp, audio }) => {
        const tx = incoming.transaction;
        if (leg.ended || tx.kind !== 'ist' || tx.state !== 'proceeding') return;
        const contact = core.contact(leg.hop?.protocol ?? incoming.flow.protocol);
        const ok = createResponse(req, 200, 'OK', { headers: [['Contact', contact], ['Server', core.o.userAgent]], body: Buffer.from(sdp), contentType: 'application/sdp' });
        core.o.stack.dialogs.acceptInvite(tx, ok, contact);
        core.saveDialog(leg);
        this.takeAudio(leg, audio);
      },
      (err: unknown) => {
        if (leg.reinviteInProgress === seq) leg.reinviteInProgress = undefined;
        core.log.info({ leg: leg.legId, err: String(err) }, 'browser re-INVITE not answered');
        const code = err instanceof SdpNegotiationError ? err : new SdpNegotiationError('malformed', String(err));
        if (incoming.transaction.kind === 'ist' && incoming.transaction.state === 'proceeding') incoming.respond(488, 'Not Acceptable Here', { headers: [warningFor(code, core.o.sipHost)] });
      },
    );
  }

  onBye(incoming: IncomingRequest): void {
    const leg = this.core.legOfDialog(incoming.dialog);
    incoming.respond(200, 'OK');
    if (!leg) {
      if (incoming.dialog) this.core.o.stack.dialogs.remove(incoming.dialog);
      return;
    }
    this.core.finish(leg, { type: 'hangup', legId: leg.legId, cause: 'bye' });
  }

  /** INFO: answered 200 in a dialog; application/dtmf-relay digits become `dtmf` events. */
  onInfo(incoming: IncomingRequest): void {
    const leg = this.core.legOfDialog(incoming.dialog);
    if (!leg) {
      incoming.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    incoming.respond(200, 'OK');
    const type = (incoming.request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/dtmf-relay') return;
    const m = /^\s*Signal\s*=\s*([0-9A-D*#])\s*$/im.exec(incoming.request.body.toString('utf8'));
    if (m) this.core.emit({ type: 'dtmf', legId: leg.legId, digit: m[1]!.toUpperCase() });
  }

  /** An ACK for one of our 2xx (initial or re-INVITE). */
  onAck(ack: SipRequest, dialog: Dialog | undefined): void {
    const leg = this.core.legOfDialog(dialog);
    if (!leg || leg.ended) return;
    if (leg.state === 'accepting') {
      this.inbound.onAck(leg, ack);
      return;
    }
    if (leg.reinviteInProgress !== cseqOf(ack).seq) return;
    leg.reinviteInProgress = undefined;
    if (!leg.awaitingAckAnswer) return;
    leg.awaitingAckAnswer = false;
    const body = sdpBodyOf(ack);
    const r = body.kind === 'sdp' ? acceptAnswer(body.text, this.core.caps(leg)) : undefined;
    if (r?.ok) this.takeAudio(leg, r.audio);
    else this.core.log.info({ leg: leg.legId }, 're-INVITE ACK without a usable answer: media left as it was');
  }

  /** New remote media for an answered leg: engine leg updated, hold changes reported. */
  private takeAudio(leg: GatewayLeg, audio: NegotiatedAudio): void {
    void this.core.applyAudio(leg, audio);
    if (audio.remoteHold !== leg.remoteHeld) {
      leg.remoteHeld = audio.remoteHold;
      this.core.emit({ type: 'remote-hold', legId: leg.legId, held: audio.remoteHold });
    }
  }
}
