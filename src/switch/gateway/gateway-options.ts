/**
 * What the SIP call gateway is built from: the SIP stack, the location
 * service and authenticator of src/sip, the media engine (through the
 * narrow GatewayMedia port it needs), a clock, a logger, and typed options
 * with their defaults filled once (resolveOptions).
 */
import type { G711Codec, MediaDirection } from '../../protocol/sdp/media-capabilities.ts';
import { randomHex } from '../../shared/random.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { CreateLegOptions, LegHandle } from '../../media/engine/media-engine.ts';
import type { EngineEvent, RemoteAddress } from '../../media/engine/engine-protocol.ts';
import type { DigestAuthenticator } from '../../sip/auth/digest-authenticator.ts';
import type { LocationService } from '../../sip/registrar/location-service.ts';
import type { SipStack } from '../../sip/stack/sip-stack.ts';
import type { TransportProtocol } from '../../sip/transport/transport.ts';
import type { DialogStore } from './dialog-store.ts';

/** The part of MediaEngine the gateway uses (MediaEngine satisfies it). */
export interface GatewayMedia {
  createLeg(opts: CreateLegOptions): Promise<LegHandle>;
  updateLeg(legId: string, change: { remote?: RemoteAddress; codec?: G711Codec; payloadType?: number; telephoneEventPt?: number }): Promise<void>;
  destroyLeg(legId: string): Promise<void>;
  onEvent(listener: (e: EngineEvent) => void): () => void;
}

/** What an offer/answer with a browser agreed on (WebRtcTerminator's WebRtcMedia satisfies it). */
export interface WebRtcOutcome {
  /** Our SDP (answer or offer), ICE candidates inside. */
  sdp: string;
  codec: G711Codec;
  payloadType: number;
  telephoneEventPt: number | undefined;
  /** Our direction toward the browser. */
  direction: MediaDirection;
  remoteHold: boolean;
  /** The relay socket: where the engine leg sends and receives plain RTP. */
  relay: { address: string; port: number };
}

/**
 * WebRTC termination for browser legs (src/media/webrtc's WebRtcTerminator
 * satisfies it). Sessions are named by leg ID; `engine` is the engine
 * leg's RTP address. Errors for SDP that cannot be taken are
 * SdpNegotiationError (answered 488).
 */
export interface GatewayWebRtc {
  isWebRtc(sdp: string): boolean;
  check(offer: string): unknown;
  answer(id: string, offer: string, engine: { address: string; port: number }): Promise<WebRtcOutcome>;
  offer(id: string, engine: { address: string; port: number }): Promise<string>;
  accept(id: string, answer: string): Promise<WebRtcOutcome>;
  close(id: string): void;
}

/** A SIP trunk to a carrier or PBX. */
export interface TrunkConfig {
  id: string;
  /** Where INVITEs for external numbers go. */
  host: string;
  port?: number;
  transport?: 'udp' | 'tcp' | 'tls';
  /** Source addresses whose INVITEs are trusted as coming from this trunk (IP authentication); with `register`, `host` (an IP) is trusted too. */
  inboundAddresses?: string[];
  /** Digest credentials the carrier asks for (INVITE 401/407 and outbound REGISTER). */
  username?: string;
  password?: string;
  /** Register to the carrier with the credentials above (RFC 3261 section 10). */
  register?: boolean;
  /** Registration lifetime asked for, seconds (default 600). */
  registerExpiresSec?: number;
  /** Domain of the From/To/Request-URI for this carrier (default: host). */
  domain?: string;
}

export interface SipCallGatewayOptions {
  stack: SipStack;
  location: Pick<LocationService, 'lookup'>;
  authenticator: Pick<DigestAuthenticator, 'authenticate'>;
  media: GatewayMedia;
  clock: Clock;
  logger: Logger;
  /** Address written in SDP c= lines (the media engine's reachable address). */
  mediaAddress: string;
  /** Host written in our Contact and From (the SIP address phones and trunks reach). */
  sipHost: string;
  /** Our listening port per transport, for Contact (udp defaults to 5060). */
  sipPorts?: Partial<Record<TransportProtocol, number>>;
  /** AOR of an extension as the registrar records it (e.g. registrar.aorOf). */
  aorOf(extension: string): string;
  trunks?: TrunkConfig[];
  /** Request-URI users anyone may call without an account (service numbers). */
  isPublicNumber?(user: string): boolean;
  /** End an answered leg after this long without RTP (0: never). Default 60 000. */
  rtpTimeoutMs?: number;
  /** Codecs in our order of preference. Default PCMU, PCMA. */
  codecs?: G711Codec[];
  /** Where dialogs are kept for recovery after a crash (default: in memory). */
  store?: DialogStore;
  /** Leg IDs for inbound calls (default `in-` + random hex). */
  newLegId?(): string;
  /** User-Agent and Server header value. */
  userAgent?: string;
  /** How long answer() waits for the ACK, ms (default 64*T1 = 32 000). */
  ackTimeoutMs?: number;
  /** Browser calls (WebRTC SDP); without it such offers get 488. */
  webrtc?: GatewayWebRtc;
  /** Address the engine legs are bound to, for the WebRTC relay (default: mediaAddress). */
  engineAddress?: string;
}

export type ResolvedOptions = Required<Omit<SipCallGatewayOptions, 'isPublicNumber' | 'store' | 'webrtc'>> & Pick<SipCallGatewayOptions, 'isPublicNumber' | 'webrtc'> & { store: DialogStore };

export function resolveOptions(o: SipCallGatewayOptions, defaultStore: () => DialogStore): ResolvedOptions {
  if (o.mediaAddress.length === 0 || o.sipHost.length === 0) throw new Error('gateway: mediaAddress and sipHost must not be empty');
  const ids = new Set<string>();
  for (const t of o.trunks ?? []) {
    if (ids.has(t.id)) throw new Error(`gateway: trunk id ${t.id} appears twice`);
    ids.add(t.id);
  }
  return {
    ...o,
    sipPorts: { udp: 5060, ...o.sipPorts },
    trunks: o.trunks ?? [],
    rtpTimeoutMs: o.rtpTimeoutMs ?? 60_000,
    codecs: o.codecs ?? ['PCMU', 'PCMA'],
    store: o.store ?? defaultStore(),
    newLegId: o.newLegId ?? (() => `in-${randomHex(8)}`),
    userAgent: o.userAgent ?? 'Hotline',
    ackTimeoutMs: o.ackTimeoutMs ?? 32_000,
    engineAddress: o.engineAddress ?? o.mediaAddress,
  };
}
