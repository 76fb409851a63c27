/**
 * The browser softphone's state, as pure functions (MSG-4, TEL-2): the
 * call's phase driven by SIP.js events, the talk timer, which controls are
 * live, the WebSocket URL and Request-URI built from the server's
 * /api/v1/webphone/config, and keypad input. No SIP.js or DOM here, so
 * vitest covers it without a browser.
 */

export type CallPhase = 'idle' | 'connecting' | 'calling' | 'ringing' | 'in-call' | 'ending' | 'ended' | 'failed';

export interface PhoneState {
  phase: CallPhase;
  /** The number being called or talked to. */
  number?: string;
  /** When the call was answered (ms since epoch): the talk timer's start. */
  answeredAt?: number;
  /** When it ended, for the last duration shown. */
  endedAt?: number;
  /** Why it failed: a SIP status or 'network', 'media' (no microphone), 'insecure' (no secure context). */
  failure?: string;
  /** Digits sent in this call, in order. */
  digits: string;
}

export type PhoneEvent =
  | { type: 'dial'; number: string }
  | { type: 'connected' } // the WebSocket is up, the INVITE goes out
  | { type: 'progress'; status: number } // 1xx
  | { type: 'answered'; at: number }
  | { type: 'hangup-requested' }
  | { type: 'ended'; at: number } // BYE either way, or CANCEL done
  | { type: 'failed'; reason: string; at: number }
  | { type: 'digit'; digit: string }
  | { type: 'reset' };

export const INITIAL: PhoneState = { phase: 'idle', digits: '' };

const LIVE: ReadonlySet<CallPhase> = new Set(['connecting', 'calling', 'ringing', 'in-call']);

/** The next state; events that do not fit the phase leave it unchanged. */
export function reduce(s: PhoneState, e: PhoneEvent): PhoneState {
  switch (e.type) {
    case 'dial':
      if (LIVE.has(s.phase) || s.phase === 'ending') return s;
      return { phase: 'connecting', number: e.number, digits: '' };
    case 'connected':
      return s.phase === 'connecting' ? { ...s, phase: 'calling' } : s;
    case 'progress':
      return (s.phase === 'calling' || s.phase === 'connecting') && e.status >= 180 && e.status < 200 ? { ...s, phase: 'ringing' } : s;
    case 'answered':
      return s.phase === 'calling' || s.phase === 'ringing' || s.phase === 'connecting' ? { ...s, phase: 'in-call', answeredAt: e.at } : s;
    case 'hangup-requested':
      return LIVE.has(s.phase) ? { ...s, phase: 'ending' } : s;
    case 'ended':
      return LIVE.has(s.phase) || s.phase === 'ending' ? { ...s, phase: 'ended', endedAt: e.at } : s;
    case 'failed':
      return LIVE.has(s.phase) || s.phase === 'ending' ? { ...s, phase: 'failed', failure: e.reason, endedAt: e.at } : s;
    case 'digit':
      return s.phase === 'in-call' && isDtmfDigit(e.digit) ? { ...s, digits: s.digits + e.digit } : s;
    case 'reset':
      return LIVE.has(s.phase) || s.phase === 'ending' ? s : INITIAL;
  }
}

/** A call is under way (the dial buttons are off, hang-up is on). */
export function isLive(s: PhoneState): boolean {
  return LIVE.has(s.phase) || s.phase === 'ending';
}

/** The keypad sends digits only while talking. */
export function canSendDigits(s: PhoneState): boolean {
  return s.phase === 'in-call';
}

export function isDtmfDigit(d: string): boolean {
  return /^[0-9*#A-D]$/.test(d);
}

/** Talk time so far (or of the last call) in whole seconds. */
export function talkSeconds(s: PhoneState, now: number): number {
  if (s.answeredAt === undefined) return 0;
  const end = s.phase === 'in-call' || s.phase === 'ending' ? now : (s.endedAt ?? now);
  return Math.max(0, Math.floor((end - s.answeredAt) / 1000));
}

/** 75 -> "01:15", 3725 -> "1:02:05". */
export function formatTimer(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** What the server's /api/v1/webphone/config returns. */
export interface WebphoneConfig {
  wsPort: number;
  /** SIP over secure WebSocket, when the server serves it (pages over https use it). */
  wssPort?: number;
  /** Set by the server when browsers reach SIP over another URL (e.g. wss through a reverse proxy). */
  wsUrl?: string;
  sipDomain: string;
  entryPoints: Array<{ number: string; entryPoint: string; kind: 'queue' | 'ivr' }>;
}

/** ws://HOST:wsPort for an http page, wss://HOST:wssPort for https (wsPort when the server names no wss port), to the host the page came from. */
export function wsUrlFor(location: { protocol: string; hostname: string }, wsPort: number, wssPort?: number): string {
  const secure = location.protocol === 'https:';
  const scheme = secure ? 'wss' : 'ws';
  const port = secure && wssPort !== undefined ? wssPort : wsPort;
  const host = location.hostname.includes(':') && !location.hostname.startsWith('[') ? `[${location.hostname}]` : location.hostname;
  return `${scheme}://${host}:${port}`;
}

/** sip:NUMBER@DOMAIN for a service number; throws for anything but digits, * and #. */
export function targetUri(number: string, sipDomain: string): string {
  if (!/^[0-9*#+]+$/.test(number)) throw new Error(`not a number: ${number}`);
  return `sip:${number}@${sipDomain}`;
}

/**
 * Why this page cannot call, or undefined: getUserMedia needs a secure
 * context (https, or http://localhost); WebRTC must exist.
 */
export function callBlocker(env: { isSecureContext: boolean; hasGetUserMedia: boolean; hasPeerConnection: boolean }): 'insecure' | 'no-webrtc' | undefined {
  if (!env.isSecureContext) return 'insecure';
  if (!env.hasGetUserMedia || !env.hasPeerConnection) return 'no-webrtc';
  return undefined;
}

const KNOWN_REASONS = new Set(['network', 'busy', 'no-answer', 'not-found', 'media', 'unavailable', 'microphone']);

/** The message key of a failure reason, or undefined for a bare SIP status (shown as the number). */
export function reasonKey(reason: string | undefined): `caller.reason.${string}` | undefined {
  return reason !== undefined && KNOWN_REASONS.has(reason) ? `caller.reason.${reason}` : undefined;
}

/** A SIP failure status as the reason shown: busy, no answer, unavailable, or the code. */
export function failureReason(status: number | undefined): string {
  if (status === undefined) return 'network';
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  if (status === 404 || status === 484) return 'not-found';
  if (status === 488 || status === 606) return 'media';
  if (status >= 500) return 'unavailable';
  return String(status);
}
