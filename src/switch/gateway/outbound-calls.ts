/**
 * Outbound legs (TEL-1, CTI-1): dial creates the engine leg, offers its
 * SDP and sends one INVITE per destination (parallel fork). 180/183 give
 * `ringing`; the first 2xx is ACKed, sets the engine leg's remote and
 * codec, CANCELs the other branches and gives `answered`; a 2xx arriving
 * after that (another branch, or after a hang-up) is ACKed and BYEd.
 * All branches failing gives `failed` with the best status (RFC 3261
 * 16.7 step 6); ringTimeoutMs gives CANCEL and `failed` cause no-answer.
 * Trunk challenges (401/407) are answered once with the trunk credentials.
 */
import { acceptAnswer, createOffer } from '../../protocol/sdp/sdp-negotiator.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { cloneMessage, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { toTag } from '../../protocol/sip/name-addr.ts';
import { randomCallId, randomTag } from '../../protocol/sip/response.ts';
import type { Dialog } from '../../sip/dialog/dialog.ts';
import { createUacDialog } from '../../sip/dialog/dialog-factory.ts';
import type { LocalFailure } from '../../sip/transaction/transaction-types.ts';
import { answerChallenge, pickChallenge } from '../../sip/ua/digest-client.ts';
import type { DialOptions, DialTarget } from '../runtime/call-gateway.ts';
import { causeOf, pickFinal } from './failure-cause.ts';
import type { GatewayCore } from './gateway-core.ts';
import { GatewayError } from './gateway-error.ts';
import { GatewayLeg } from './gateway-leg.ts';
import { OutboundBranch } from './outbound-branch.ts';
import { buildInvite, planDial } from './outbound-request.ts';
import { sdpBodyOf } from './sdp-body.ts';
import { acceptWebRtc, closeWebRtc, isBrowserProtocol, offerWebRtc } from './webrtc-legs.ts';

const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

export class OutboundCalls {
  private readonly announced = new WeakMap<GatewayLeg, 'ringing' | 'early'>();

  constructor(private readonly core: GatewayCore) {}

  async dial(legId: string, target: DialTarget, opts: DialOptions): Promise<void> {
    const { core } = this;
    if (core.legs.has(legId)) throw new GatewayError('duplicate-leg', `leg ${legId} exists`);
    const plan = await planDial(core, target);
    if (core.legs.has(legId)) throw new GatewayError('duplicate-leg', `leg ${legId} exists`);
    const leg = new GatewayLeg(legId, 'outbound');
    core.legs.set(legId, leg);
    try {
      await core.createMedia(leg, undefined, opts.mediaNear);
    } catch (err) {
      core.legs.delete(legId);
      throw err;
    }
    const offer = createOffer(core.caps(leg));
    let browserOffer: string | undefined;
    if (plan.branches.some((t) => this.browser(t))) {
      try {
        browserOffer = await offerWebRtc(core, leg);
      } catch (err) {
        core.finish(leg);
        throw err;
      }
      if (leg.ended) return; // abandoned while the offer was made
    }
    const fromTag = randomTag();
    for (const t of plan.branches) {
      const sdp = this.browser(t) && browserOffer !== undefined ? browserOffer : offer;
      const invite = buildInvite(core, t, { callId: randomCallId(core.o.sipHost), fromTag, toUri: plan.toUri, offer: sdp, cseq: 1 }, opts);
      const branch = new OutboundBranch(t, invite);
      leg.branches.push(branch);
      this.send(leg, branch);
    }
    if (opts.ringTimeoutMs !== undefined && opts.ringTimeoutMs > 0) {
      leg.setTimer('ring', core.o.clock.setTimeout(() => this.ringTimeout(leg), opts.ringTimeoutMs));
    }
  }

  /** A branch toward a contact registered over WebSocket: a browser, offered WebRTC. */
  private browser(t: OutboundBranch['target']): boolean {
    return isBrowserProtocol(this.core, t.hop?.protocol ?? t.protocol);
  }

  /** The runtime ends a leg not yet answered: CANCEL every open branch. No event follows. */
  abandon(leg: GatewayLeg): void {
    this.cancelOpen(leg);
    this.core.finish(leg);
  }

  private ringTimeout(leg: GatewayLeg): void {
    if (leg.state !== 'calling' && leg.state !== 'alerting') return;
    this.cancelOpen(leg);
    this.core.finish(leg, { type: 'failed', legId: leg.legId, status: 408, cause: 'no-answer' });
  }

  private send(leg: GatewayLeg, branch: OutboundBranch): void {
    const invite = branch.invite;
    this.core.o.stack
      .sendRequest(invite, { onResponse: (res, local) => this.onResponse(leg, branch, invite, res, local) }, branch.target.hop)
      .then((tx) => {
        if (branch.invite === invite) branch.transaction = tx;
        // A CANCEL asked for before the transaction existed.
        if (branch.state === 'cancelling') this.cancelBranch(branch);
      })
      .catch((err: unknown) => {
        this.core.log.info({ leg: leg.legId, uri: invite.uri, err: String(err) }, 'INVITE not sent');
        this.branchFailed(leg, branch, 503, 'Service Unavailable', 'transport-error');
      });
  }

  private onResponse(leg: GatewayLeg, branch: OutboundBranch, invite: typeof branch.invite, res: SipResponse, local?: LocalFailure): void {
    if (invite !== branch.invite) return; // a response to an INVITE replaced by its authenticated retry
    const status = res.status;
    if (status < 200) {
      if (status === 100) return;
      if (branch.state === 'trying') branch.transition('proceeding');
      this.provisional(leg, res, this.browser(branch.target));
      return;
    }
    if (status < 300) {
      this.success(leg, branch, res);
      return;
    }
    if ((status === 401 || status === 407) && branch.target.credentials && branch.authTries < 2 && branch.state !== 'cancelling' && !leg.ended) {
      const picked = pickChallenge(res);
      if (picked) {
        branch.authTries++;
        const retry = cloneMessage(invite);
        retry.headers.delete('Via');
        retry.headers.set('CSeq', `${cseqOf(invite).seq + 1} INVITE`);
        retry.headers.set(picked.header, answerChallenge(retry, picked.challenge, branch.target.credentials));
        branch.invite = retry;
        branch.transaction = undefined;
        this.send(leg, branch);
        return;
      }
    }
    this.branchFailed(leg, branch, status, res.reason, local);
  }

  private provisional(leg: GatewayLeg, res: SipResponse, browser: boolean): void {
    if (leg.state !== 'calling' && leg.state !== 'alerting') return;
    const body = sdpBodyOf(res);
    const early = body.kind === 'sdp' && !browser; // a browser's early answer: taken with its 2xx
    if (early) {
      const r = acceptAnswer(body.text, this.core.caps(leg));
      if (r.ok) void this.core.applyAudio(leg, r.audio);
    }
    const before = this.announced.get(leg);
    if (leg.state === 'calling') leg.transition('alerting');
    if (before === 'early' || (before === 'ringing' && !early)) return;
    this.announced.set(leg, early ? 'early' : 'ringing');
    this.core.emit({ type: 'ringing', legId: leg.legId, early });
  }

  private success(leg: GatewayLeg, branch: OutboundBranch, res: SipResponse): void {
    const { core } = this;
    const remoteTag = toTag(res) ?? '';
    const known = branch.confirmed.get(remoteTag);
    const seq = cseqOf(branch.invite).seq;
    if (known) {
      known.ack = this.sendAck(known.dialog, seq, branch, known.ack);
      return;
    }
    let dialog: Dialog;
    try {
      dialog = createUacDialog(branch.invite, res, core.contact(branch.target.hop?.protocol ?? branch.target.protocol));
    } catch (err) {
      core.log.warn({ leg: leg.legId, err: String(err) }, '2xx that makes no dialog: ignored');
      return;
    }
    const confirmed: { dialog: Dialog; ack?: SipRequest } = { dialog };
    branch.confirmed.set(remoteTag, confirmed);
    const winner = !leg.ended && leg.state !== 'answered' && branch.state !== 'failed';
    if (branch.state !== 'answered') branch.transition('answered');
    confirmed.ack = this.sendAck(dialog, seq, branch);
    if (!winner) {
      // Too late: another branch answered, or the leg was hung up (RFC 3261 13.2.2.4).
      core.log.info({ leg: leg.legId, callId: dialog.id.callId }, 'late 2xx: ACK and BYE');
      const bye = dialog.createRequest('BYE', { headers: [['Reason', COMPLETED_ELSEWHERE]] });
      core.o.stack.sendRequest(bye, {}, dialog.routeSet.length > 0 ? undefined : branch.target.hop).catch(() => undefined);
      return;
    }
    const body = sdpBodyOf(res);
    const browser = this.browser(branch.target) && leg.webrtc;
    if (!browser) closeWebRtc(core, leg);
    const r = body.kind !== 'sdp' ? undefined : browser ? { ok: true as const } : acceptAnswer(body.text, core.caps(leg));
    core.o.stack.dialogs.add(dialog);
    core.bindDialog(leg, dialog);
    leg.hop = branch.target.hop;
    if (!r?.ok) {
      core.log.info({ leg: leg.legId }, '2xx without a usable SDP answer: BYE');
      this.cancelOpen(leg);
      core.sendInDialog(leg, 'BYE');
      core.finish(leg, { type: 'failed', legId: leg.legId, status: 488, cause: 'incompatible-media' });
      return;
    }
    if ('audio' in r) void core.applyAudio(leg, r.audio);
    else this.acceptBrowser(leg, body.kind === 'sdp' ? body.text : '');
    leg.transition('answered');
    leg.clearTimer('ring');
    this.cancelOpen(leg, COMPLETED_ELSEWHERE);
    core.saveDialog(leg);
    core.emit({ type: 'answered', legId: leg.legId });
  }

  /** The browser's 2xx answer goes to the WebRTC port; one it cannot take ends the call. */
  private acceptBrowser(leg: GatewayLeg, answer: string): void {
    acceptWebRtc(this.core, leg, answer).catch((err: unknown) => {
      if (leg.ended) return;
      this.core.log.info({ leg: leg.legId, err: String(err) }, "browser's WebRTC answer not usable: BYE");
      this.core.sendInDialog(leg, 'BYE');
      this.core.finish(leg, { type: 'hangup', legId: leg.legId, cause: 'incompatible-media' });
    });
  }

  /** Sends the ACK for a 2xx (`again`: the one already sent for it, when the 2xx is a retransmission) and returns it. */
  private sendAck(dialog: Dialog, seq: number, branch: OutboundBranch, again?: SipRequest): SipRequest {
    const ack = again ?? dialog.createAck(seq);
    const hop = dialog.routeSet.length > 0 ? undefined : branch.target.hop;
    this.core.o.stack.sendAck(ack, hop, again !== undefined).catch((err: unknown) => this.core.log.warn({ err: String(err) }, 'ACK not sent'));
    return ack;
  }

  private branchFailed(leg: GatewayLeg, branch: OutboundBranch, status: number, reason: string, local?: LocalFailure): void {
    if (!branch.open) return;
    branch.transition('failed');
    leg.failures.push({ status, reason: local === 'transport-error' ? 'unreachable' : reason });
    if (leg.ended || leg.state === 'answered') return;
    if (leg.branches.some((b) => b.open || b.state === 'answered')) return;
    const final = pickFinal(leg.failures);
    this.core.finish(leg, { type: 'failed', legId: leg.legId, status: final.status, cause: causeOf(final.status, final.reason) });
  }

  private cancelOpen(leg: GatewayLeg, reason?: string): void {
    for (const b of leg.branches) {
      if (!b.open || b.state === 'cancelling') continue;
      b.transition('cancelling');
      b.cancelReason = reason;
      this.cancelBranch(b);
    }
  }

  private cancelBranch(b: OutboundBranch): void {
    const tx = b.transaction;
    if (!tx || tx.kind !== 'ict') return; // sent once the transaction exists (see send)
    try {
      this.core.o.stack.transactions.cancel(tx, {}, b.cancelReason);
    } catch {
      /* already final: nothing to cancel */
    }
  }
}
