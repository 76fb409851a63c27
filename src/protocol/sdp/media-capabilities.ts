/** What this side can do for audio, the input of offer and answer. */
export type G711Codec = 'PCMU' | 'PCMA';
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface MediaCapabilities {
  /** Address for c= (IPv4 or IPv6 literal). */
  address: string;
  /** RTP port of the audio stream. */
  port: number;
  /** Supported codecs in our order of preference. */
  codecs: G711Codec[];
  /** Offer/accept RFC 4733 telephone-event/8000 (events 0-15). */
  telephoneEvent: boolean;
  /** Our packetization time in ms. */
  ptime: number;
  /** Accept/offer RTP and RTCP on one port (RFC 5761). */
  rtcpMux: boolean;
  /** What we want to do: 'sendonly' when we put the peer on hold. */
  direction: MediaDirection;
  /** Whose codec order wins when answering: ours or the offerer's. */
  preference: 'local' | 'offerer';
  /** o= line values. */
  username: string;
  sessionId: number;
  sessionVersion: number;
}

export const DEFAULT_CAPABILITIES: Omit<MediaCapabilities, 'address' | 'port'> = {
  codecs: ['PCMU', 'PCMA'],
  telephoneEvent: true,
  ptime: 20,
  rtcpMux: true,
  direction: 'sendrecv',
  preference: 'offerer',
  username: 'hotline',
  sessionId: 1,
  sessionVersion: 1,
};

/** The outcome of offer/answer for the one audio stream we use. */
export interface NegotiatedAudio {
  codec: G711Codec;
  payloadType: number;
  /** Payload type of telephone-event/8000, when both sides support it. */
  telephoneEventPayloadType: number | undefined;
  remoteAddress: string;
  remotePort: number;
  /** The peer's packetization time (its a=ptime, or 20). */
  remotePtime: number;
  rtcpMux: boolean;
  /** Our direction after negotiation: whether we may send and should expect to receive. */
  direction: MediaDirection;
  /** The peer put us on hold (sendonly/inactive offer, or c=0.0.0.0 per RFC 2543). */
  remoteHold: boolean;
  /** Index of the accepted m-line. */
  mediaIndex: number;
}

export const STATIC_PAYLOAD_TYPES: Record<G711Codec, number> = { PCMU: 0, PCMA: 8 };
