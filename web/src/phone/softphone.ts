/**
 * A SIP.js softphone for the browser (MSG-4, TEL-2): SIP over WebSocket
 * (RFC 7118) to Hotline, WebRTC media that Hotline terminates. One call at
 * a time; its events are PhoneEvents for phone-state.ts. DTMF goes as
 * RFC 4733 through the RTCDTMFSender of SIP.js's session description
 * handler (not SIP INFO), so the server's RFC 4733 decoder hears it.
 * ICE is non-trickle on both sides: no STUN servers, the offer leaves once
 * the host candidates are gathered.
 */
import { Inviter, Registerer, SessionState, UserAgent, type Invitation, type Session } from 'sip.js';
import type { Web } from 'sip.js';

type SessionDescriptionHandler = Web.SessionDescriptionHandler;
import { failureReason, type PhoneEvent } from './phone-state.ts';

export interface SoftphoneOptions {
  /** ws(s)://host:port of Hotline's SIP WebSocket transport. */
  wsUrl: string;
  /** Our SIP identity (sip:anonymous@anonymous.invalid for a caller without an account). */
  uri: string;
  displayName?: string;
  /** Digest credentials, for a registering phone (the agent's extension). */
  authorizationUsername?: string;
  authorizationPassword?: string;
  /** Digest HA1 instead of the password (the server hands it to a signed-in agent). */
  authorizationHa1?: string;
  /** Where the far end's audio plays. */
  audio: HTMLAudioElement;
  onEvent(e: PhoneEvent): void;
  /** Incoming calls (registered phones only): answer or not. */
  onIncoming?(from: string, answer: () => void, reject: () => void): void;
}

const SDH_OPTIONS = { constraints: { audio: true, video: false }, iceGatheringTimeout: 2000 };

export class Softphone {
  private ua: UserAgent | undefined;
  private registerer: Registerer | undefined;
  private session: Session | undefined;

  constructor(private readonly o: SoftphoneOptions) {}

  /** Open the WebSocket (and REGISTER when `register`). */
  async start(register = false): Promise<void> {
    if (this.ua) return;
    const uri = UserAgent.makeURI(this.o.uri);
    if (!uri) throw new Error(`bad SIP URI ${this.o.uri}`);
    const ua = new UserAgent({
      uri,
      displayName: this.o.displayName ?? '',
      transportOptions: { server: this.o.wsUrl, traceSip: false },
      logLevel: 'error',
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 2000 },
      ...(this.o.authorizationUsername !== undefined ? { authorizationUsername: this.o.authorizationUsername, authorizationPassword: this.o.authorizationPassword ?? '' } : {}),
      ...(this.o.authorizationHa1 !== undefined ? { authorizationHa1: this.o.authorizationHa1 } : {}),
      delegate: { onInvite: (inv) => this.incoming(inv) },
    });
    this.ua = ua;
    await ua.start();
    if (register) {
      this.registerer = new Registerer(ua, { expires: 300 });
      const registerer = this.registerer;
      await new Promise<void>((resolve, reject) => {
        registerer
          .register({ requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(`REGISTER: ${r.message.statusCode ?? '?'} ${r.message.reasonPhrase ?? ''}`)) } })
          .catch(reject);
      });
    }
  }

  /** Call `target` (a sip: URI). */
  async call(target: string): Promise<void> {
    if (this.session) throw new Error('a call is already up');
    try {
      await this.start();
    } catch {
      this.o.onEvent({ type: 'failed', reason: 'network', at: Date.now() });
      await this.stop();
      return;
    }
    const uri = UserAgent.makeURI(target);
    if (!uri || !this.ua) throw new Error(`bad target ${target}`);
    const inviter = new Inviter(this.ua, uri, { sessionDescriptionHandlerOptions: SDH_OPTIONS });
    this.track(inviter);
    this.o.onEvent({ type: 'connected' });
    await inviter
      .invite({
        requestDelegate: {
          onProgress: (r) => this.o.onEvent({ type: 'progress', status: r.message.statusCode ?? 0 }),
          onReject: (r) => this.o.onEvent({ type: 'failed', reason: failureReason(r.message.statusCode), at: Date.now() }),
        },
      })
      .catch((err: unknown) => {
        const reason = err instanceof Error && /getUserMedia|NotAllowed|NotFound|Permission/i.test(`${err.name} ${err.message}`) ? 'microphone' : 'network';
        this.o.onEvent({ type: 'failed', reason, at: Date.now() });
        this.session = undefined;
      });
  }

  /** Send one DTMF digit as RFC 4733 (RTCDTMFSender). False when no call can carry it. */
  sendDigit(digit: string): boolean {
    const sdh = this.session?.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
    if (!sdh || this.session?.state !== SessionState.Established) return false;
    const ok = sdh.sendDtmf(digit, { duration: 160, interToneGap: 70 });
    if (ok) this.o.onEvent({ type: 'digit', digit });
    return ok;
  }

  /** Hang up: CANCEL before the answer, BYE after, reject an incoming one. */
  hangup(): void {
    const s = this.session;
    if (!s) return;
    this.o.onEvent({ type: 'hangup-requested' });
    if (s.state === SessionState.Established) void s.bye().catch(() => undefined);
    else if (s instanceof Inviter) void s.cancel().catch(() => undefined);
    else void (s as Invitation).reject().catch(() => undefined);
  }

  /** The far end's audio, for analysis or a level meter. */
  get remoteStream(): MediaStream | undefined {
    return (this.session?.sessionDescriptionHandler as SessionDescriptionHandler | undefined)?.remoteMediaStream;
  }

  /** Hang up, unregister, close the WebSocket. */
  async stop(): Promise<void> {
    this.hangup();
    const ua = this.ua;
    this.ua = undefined;
    try {
      await this.registerer?.unregister();
    } catch {
      /* the socket may be gone */
    }
    this.registerer = undefined;
    await ua?.stop().catch(() => undefined);
  }

  private incoming(inv: Invitation): void {
    if (this.session || !this.o.onIncoming) {
      void inv.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    this.track(inv);
    this.o.onEvent({ type: 'dial', number: inv.remoteIdentity.uri.user ?? '' });
    this.o.onEvent({ type: 'connected' });
    this.o.onIncoming(
      inv.remoteIdentity.uri.user ?? '',
      () => void inv.accept({ sessionDescriptionHandlerOptions: SDH_OPTIONS }).catch(() => this.o.onEvent({ type: 'failed', reason: 'media', at: Date.now() })),
      () => void inv.reject().catch(() => undefined),
    );
  }

  private track(s: Session): void {
    this.session = s;
    s.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        this.attachAudio(s);
        this.o.onEvent({ type: 'answered', at: Date.now() });
      } else if (state === SessionState.Terminated) {
        if (this.session === s) this.session = undefined;
        this.o.audio.srcObject = null;
        this.o.onEvent({ type: 'ended', at: Date.now() });
      }
    });
  }

  private attachAudio(s: Session): void {
    const stream = (s.sessionDescriptionHandler as SessionDescriptionHandler | undefined)?.remoteMediaStream;
    if (!stream) return;
    this.o.audio.srcObject = stream;
    void this.o.audio.play().catch(() => undefined);
  }
}
