/**
 * Browser legs (TEL-2): SDP with WebRTC media (RTP/SAVPF, ICE, DTLS) is
 * terminated by the GatewayWebRtc port (src/media/webrtc's
 * WebRtcTerminator in the app) and the engine leg talks plain RTP to the
 * port's relay socket; the mixer, recording and RFC 4733 DTMF stay as for
 * any phone. Inbound: the browser's offer is checked at the INVITE (488
 * when it cannot be taken) and answered when the runtime answers (so ICE
 * starts when the browser has our answer). Outbound: an INVITE to a
 * contact registered over ws/wss carries the port's WebRTC offer; its 2xx
 * answer goes back to the port. Re-INVITEs (hold) are answered by the port.
 * The leg's end closes the session (GatewayCore.finish).
 */
import type { NegotiatedAudio } from '../../protocol/sdp/media-capabilities.ts';
import { SdpNegotiationError } from '../../protocol/sdp/sdp-errors.ts';
import type { GatewayCore } from './gateway-core.ts';
import type { GatewayLeg } from './gateway-leg.ts';
import type { GatewayWebRtc, WebRtcOutcome } from './gateway-options.ts';

/** The port, when the gateway was given one. */
function port(core: GatewayCore): GatewayWebRtc | undefined {
  return core.o.webrtc;
}

/** True when the gateway terminates WebRTC and this SDP asks for it. */
export function isWebRtcOffer(core: GatewayCore, sdp: string): boolean {
  return port(core)?.isWebRtc(sdp) === true;
}

/** A branch toward a contact registered over WebSocket: a browser. */
export function isBrowserProtocol(core: GatewayCore, protocol: string): boolean {
  return port(core) !== undefined && (protocol === 'ws' || protocol === 'wss');
}

/** Why a WebRTC offer cannot be taken, or undefined when it can. */
export function checkWebRtcOffer(core: GatewayCore, sdp: string): SdpNegotiationError | undefined {
  try {
    port(core)!.check(sdp);
    return undefined;
  } catch (err) {
    return err instanceof SdpNegotiationError ? err : new SdpNegotiationError('malformed', String(err));
  }
}

function engineOf(core: GatewayCore, leg: GatewayLeg): { address: string; port: number } {
  return { address: core.o.engineAddress, port: leg.localPort };
}

function audioOf(m: WebRtcOutcome): NegotiatedAudio {
  return {
    codec: m.codec,
    payloadType: m.payloadType,
    telephoneEventPayloadType: m.telephoneEventPt,
    remoteAddress: m.relay.address,
    remotePort: m.relay.port,
    remotePtime: 20,
    rtcpMux: true,
    direction: m.direction,
    remoteHold: m.remoteHold,
    mediaIndex: 0,
  };
}

/** Answer the browser's offer (initial or re-INVITE): our SDP, and what the engine leg should now do. Throws SdpNegotiationError. */
export async function answerWebRtc(core: GatewayCore, leg: GatewayLeg, offer: string): Promise<{ sdp: string; audio: NegotiatedAudio }> {
  leg.webrtc = true;
  const m = await port(core)!.answer(leg.legId, offer, engineOf(core, leg));
  return { sdp: m.sdp, audio: audioOf(m) };
}

/** Our WebRTC offer for an outbound leg to a browser. */
export async function offerWebRtc(core: GatewayCore, leg: GatewayLeg): Promise<string> {
  leg.webrtc = true;
  return port(core)!.offer(leg.legId, engineOf(core, leg));
}

/** The browser's answer to our offer: the engine leg goes to the relay. Throws SdpNegotiationError. */
export async function acceptWebRtc(core: GatewayCore, leg: GatewayLeg, answer: string): Promise<NegotiatedAudio> {
  const m = await port(core)!.accept(leg.legId, answer);
  const audio = audioOf(m);
  await core.applyAudio(leg, audio);
  return audio;
}

/** Free the leg's WebRTC session (when another branch won, or the leg ended). */
export function closeWebRtc(core: GatewayCore, leg: GatewayLeg): void {
  if (!leg.webrtc) return;
  leg.webrtc = false;
  port(core)?.close(leg.legId);
}
