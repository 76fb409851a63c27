/**
 * WebRTC termination for browser calls (TEL-2): one werift
 * RTCPeerConnection per leg, on the main thread, relaying decrypted RTP
 * over loopback to the ordinary engine leg, so the mixer, recording and
 * RFC 4733 DTMF see plain RTP as from any phone:
 *
 *   browser <-ICE/DTLS-SRTP-> RTCPeerConnection <-RTP on relayAddress-> engine leg
 *
 * Codecs are PCMU and PCMA at 8 kHz plus telephone-event/8000 (so DTMF from
 * the page's RTCDTMFSender reaches the engine's RFC 4733 decoder). SDP is
 * non-trickle: an offer or answer is returned once ICE gathering is
 * complete, candidates inside. The relay socket only takes packets from
 * the engine leg's address; packets toward the browser leave with the
 * sender's SSRC, their payload type mapped to the one the browser agreed
 * on (identical to the engine's when the gateway configures the engine leg
 * with the agreed payload types, as it does).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpPacket, type RTCRtpTransceiver, type PeerConfig } from 'werift';
import { SdpNegotiationError } from '../../protocol/sdp/sdp-errors.ts';
import type { MediaDirection } from '../../protocol/sdp/media-capabilities.ts';
import type { Logger } from '../../shared/logger.ts';
import { guardIceSources } from './ice-source-guard.ts';
import { agreedAudio, checkWebRtcOffer, isWebRtcSdp, type WebRtcAudio } from './webrtc-offer.ts';

export { isWebRtcSdp } from './webrtc-offer.ts';

/** Where the engine leg takes RTP (its bound address and port). */
export interface RtpEndpoint {
  address: string;
  port: number;
}

/** The outcome of an offer/answer with the browser. */
export interface WebRtcMedia extends WebRtcAudio {
  /** Our SDP (the answer, for answer()), candidates inside. */
  sdp: string;
  /** The relay socket: the engine leg's remote. */
  relay: RtpEndpoint;
  /** The browser holds the call (its offer or answer is sendonly or inactive). */
  remoteHold: boolean;
}

export interface WebRtcTerminatorOptions {
  logger: Logger;
  /** Address the relay sockets bind to (default 127.0.0.1). */
  relayAddress?: string;
  /** Host addresses offered as ICE candidates besides the interfaces' own (e.g. 127.0.0.1 or the SIP host). */
  extraHostAddresses?: string[];
  /** UDP ports ICE may use, [min, max] (default: any). */
  icePortRange?: [number, number];
  /** Longest wait for ICE gathering before the SDP goes with what is there, ms (default 5000). */
  gatherTimeoutMs?: number;
  /** Payload type of telephone-event/8000 in our offers (default 101). */
  telephoneEventPt?: number;
}

interface Session {
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver | undefined;
  socket: Socket;
  relay: RtpEndpoint;
  engine: RtpEndpoint;
  /** Engine payload type -> browser payload type (identity unless told otherwise). */
  toBrowser: Map<number, number>;
  toEngine: Map<number, number>;
  closed: boolean;
  counts: { toBrowser: number; toEngine: number; dtmfToEngine: number; unvalidatedDropped: number };
  telephoneEventPt: number | undefined;
}

const HOLD: ReadonlySet<MediaDirection> = new Set(['sendonly', 'inactive']);

export class WebRtcTerminator {
  private readonly sessions = new Map<string, Session>();
  private readonly log: Logger;
  private readonly relayAddress: string;
  private readonly tePt: number;
  private unguardedWarned = false;

  constructor(private readonly o: WebRtcTerminatorOptions) {
    this.log = o.logger.child({ component: 'webrtc' });
    this.relayAddress = o.relayAddress ?? '127.0.0.1';
    this.tePt = o.telephoneEventPt ?? 101;
  }

  /** True when the SDP is a WebRTC one (RTP/SAVPF, fingerprint or ICE). */
  isWebRtc(sdp: string): boolean {
    return isWebRtcSdp(sdp);
  }

  /** Check an offer before any leg exists: throws SdpNegotiationError. */
  check(offer: string): WebRtcAudio {
    return checkWebRtcOffer(offer);
  }

  /** Open session IDs (for health and tests). */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** Packets relayed so far for a session. */
  stats(id: string): Session['counts'] | undefined {
    const s = this.sessions.get(id);
    return s ? { ...s.counts } : undefined;
  }

  /**
   * Answer a browser's offer for session `id` (new: created toward `engine`;
   * existing: a re-offer, e.g. hold). Returns our answer and what was agreed.
   */
  async answer(id: string, offer: string, engine?: RtpEndpoint): Promise<WebRtcMedia> {
    const offered = checkWebRtcOffer(offer);
    let s = this.sessions.get(id);
    const fresh = !s;
    if (!s) {
      if (!engine) throw new Error(`webrtc: no session ${id} and no engine endpoint`);
      s = await this.open(id, engine);
    }
    try {
      await s.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      if (!s.transceiver) throw new SdpNegotiationError('no-audio', 'the offer made no audio transceiver');
      s.transceiver.setDirection(mirror(offered.direction));
      await s.pc.setLocalDescription(await s.pc.createAnswer());
      const sdp = await this.gathered(s);
      if (s.closed) throw new Error(`webrtc: session ${id} closed while answering`);
      const agreed = agreedAudio(sdp);
      this.mapPayloads(s, agreed);
      return { ...agreed, direction: mirror(offered.direction), sdp, relay: s.relay, remoteHold: HOLD.has(offered.direction) };
    } catch (err) {
      if (fresh) this.close(id);
      if (err instanceof SdpNegotiationError) throw err;
      throw new SdpNegotiationError('no-common-codec', `WebRTC offer not answerable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Make our WebRTC offer for a new session toward `engine` (the browser's answer goes to accept()). */
  async offer(id: string, engine: RtpEndpoint): Promise<string> {
    const s = await this.open(id, engine);
    try {
      this.bind(s, s.pc.addTransceiver('audio', { direction: 'sendrecv' }));
      await s.pc.setLocalDescription(await s.pc.createOffer());
      const sdp = await this.gathered(s);
      if (s.closed) throw new Error(`webrtc: session ${id} closed while offering`);
      return sdp;
    } catch (err) {
      this.close(id);
      throw err;
    }
  }

  /** The browser's answer to our offer. Throws SdpNegotiationError when it is not usable (the session stays for close()). */
  async accept(id: string, answer: string): Promise<WebRtcMedia> {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`webrtc: no session ${id}`);
    const agreed = agreedAudio(answer);
    if (!isWebRtcSdp(answer)) throw new SdpNegotiationError('no-audio', 'the answer is not WebRTC');
    try {
      await s.pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (err) {
      throw new SdpNegotiationError('malformed', `WebRTC answer not taken: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.mapPayloads(s, agreed);
    return { ...agreed, direction: mirror(agreed.direction), sdp: s.pc.localDescription?.sdp ?? '', relay: s.relay, remoteHold: HOLD.has(agreed.direction) };
  }

  /** Free the session: peer connection, relay socket. Unknown IDs are ignored. */
  close(id: string): void {
    const s = this.sessions.get(id);
    if (!s || s.closed) return;
    this.sessions.delete(id);
    s.closed = true;
    try {
      s.socket.close();
    } catch {
      /* already closed */
    }
    s.pc.close().catch((err: unknown) => this.log.debug({ session: id, err: String(err) }, 'peer connection close failed'));
    this.log.info({ session: id, ...s.counts }, 'webrtc session closed');
  }

  /** Close every session (shutdown). */
  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  /** A new session, in the table at once (so a close() while its socket binds ends it too). */
  private async open(id: string, engine: RtpEndpoint): Promise<Session> {
    if (this.sessions.has(id)) throw new Error(`webrtc: session ${id} exists`);
    const config: Partial<PeerConfig> = {
      codecs: { audio: this.codecs() },
      headerExtensions: { audio: [] },
      iceServers: [],
      iceUseIpv6: false,
      bundlePolicy: 'max-bundle',
    };
    if (this.o.extraHostAddresses && this.o.extraHostAddresses.length > 0) config.iceAdditionalHostAddresses = [...this.o.extraHostAddresses];
    if (this.o.icePortRange) config.icePortRange = this.o.icePortRange;
    const socket = createSocket('udp4');
    const pc = new RTCPeerConnection(config);
    const s: Session = {
      pc,
      transceiver: undefined,
      socket,
      relay: { address: this.relayAddress, port: 0 },
      engine: { ...engine },
      toBrowser: new Map(),
      toEngine: new Map(),
      closed: false,
      counts: { toBrowser: 0, toEngine: 0, dtmfToEngine: 0, unvalidatedDropped: 0 },
      telephoneEventPt: undefined,
    };
    this.sessions.set(id, s);
    socket.on('message', (buf, rinfo) => this.fromEngine(s, buf, rinfo));
    pc.onTransceiverAdded.subscribe((t) => this.bind(s, t));
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed') this.log.warn({ session: id }, 'webrtc connection failed (ICE or DTLS): the leg ends when its RTP timeout passes');
      else this.log.debug({ session: id, state }, 'webrtc connection state');
    });
    try {
      s.relay.port = await new Promise<number>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('close', () => reject(new Error(`webrtc: session ${id} closed while opening`)));
        socket.bind(0, this.relayAddress, () => {
          socket.off('error', reject);
          resolve(socket.address().port);
        });
      });
    } catch (err) {
      this.close(id);
      throw err;
    }
    socket.on('error', (err) => this.log.warn({ session: id, err: String(err) }, 'relay socket error'));
    return s;
  }

  private codecs(): RTCRtpCodecParameters[] {
    return [
      new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
      new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
      new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: this.tePt, parameters: '0-16' }),
    ];
  }

  /** The session's audio transceiver (the first one, made by our offer or the browser's). */
  private bind(s: Session, t: RTCRtpTransceiver): void {
    if (s.transceiver || t.kind !== 'audio') return;
    s.transceiver = t;
    t.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => this.fromBrowser(s, rtp));
    });
  }

  private mapPayloads(s: Session, agreed: WebRtcAudio): void {
    s.toBrowser.clear();
    s.toEngine.clear();
    s.telephoneEventPt = agreed.telephoneEventPt;
    for (const pt of [agreed.payloadType, agreed.telephoneEventPt]) {
      if (pt === undefined) continue;
      s.toBrowser.set(pt, pt);
      s.toEngine.set(pt, pt);
    }
  }

  /** RTP from the engine leg: out to the browser over DTLS-SRTP with our SSRC. */
  private fromEngine(s: Session, buf: Buffer, rinfo: RemoteInfo): void {
    if (s.closed || rinfo.port !== s.engine.port || rinfo.address !== s.engine.address) return;
    const sender = s.transceiver?.sender;
    if (!sender || sender.dtlsTransport?.state !== 'connected') return;
    let rtp: RtpPacket;
    try {
      rtp = RtpPacket.deSerialize(buf);
    } catch {
      return;
    }
    const pt = s.toBrowser.get(rtp.header.payloadType);
    if (pt === undefined) return;
    rtp.header.payloadType = pt;
    rtp.header.ssrc = sender.ssrc;
    rtp.header.extensions = [];
    rtp.header.extension = false;
    s.counts.toBrowser++;
    sender.dtlsTransport.sendRtp(rtp.payload, rtp.header).catch(() => undefined);
  }

  /** Decrypted RTP from the browser: to the engine leg as plain RTP. */
  private fromBrowser(s: Session, rtp: RtpPacket): void {
    if (s.closed) return;
    const pt = s.toEngine.get(rtp.header.payloadType);
    if (pt === undefined) return;
    rtp.header.payloadType = pt;
    rtp.header.extensions = [];
    rtp.header.extension = false;
    rtp.header.padding = false;
    rtp.header.paddingSize = 0;
    s.counts.toEngine++;
    if (rtp.header.payloadType === s.telephoneEventPt) s.counts.dtmfToEngine++;
    s.socket.send(rtp.serialize(), s.engine.port, s.engine.address);
  }

  /** Wait for ICE gathering to end (non-trickle), then our SDP with its candidates. */
  private async gathered(s: Session): Promise<string> {
    const { pc } = s;
    if (pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.o.gatherTimeoutMs ?? 5000);
        const sub = pc.iceGatheringStateChange.subscribe((state) => {
          if (state === 'complete') done();
        });
        function done(): void {
          clearTimeout(timer);
          sub.unSubscribe();
          resolve();
        }
      });
    }
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('webrtc: no local description');
    if (guardIceSources(pc, s.counts) === 0 && !this.unguardedWarned) {
      this.unguardedWarned = true;
      this.log.warn({}, "webrtc: werift's candidate sockets were not found: DTLS and SRTP from unvalidated addresses are not filtered");
    }
    return sdp;
  }
}

/** Our direction for an offered one. */
function mirror(d: MediaDirection): MediaDirection {
  return d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d;
}
