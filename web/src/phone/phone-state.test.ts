import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../i18n/catalogs.ts';
import { INITIAL, reasonKey, callBlocker, canSendDigits, failureReason, formatTimer, isLive, reduce, talkSeconds, targetUri, wsUrlFor, type PhoneEvent, type PhoneState } from './phone-state.ts';

const run = (events: PhoneEvent[], from: PhoneState = INITIAL) => events.reduce(reduce, from);

describe('browser softphone state (MSG-4, TEL-2)', () => {
  it('a call: connecting, calling, ringing, in call with digits, ended with its talk time', () => {
    let s = run([{ type: 'dial', number: '95001' }]);
    expect(s).toMatchObject({ phase: 'connecting', number: '95001' });
    expect(isLive(s)).toBe(true);
    expect(canSendDigits(s)).toBe(false);
    s = run([{ type: 'connected' }, { type: 'progress', status: 100 }], s);
    expect(s.phase).toBe('calling');
    s = run([{ type: 'progress', status: 180 }, { type: 'answered', at: 10_000 }], s);
    expect(s).toMatchObject({ phase: 'in-call', answeredAt: 10_000 });
    expect(canSendDigits(s)).toBe(true);
    s = run([{ type: 'digit', digit: '1' }, { type: 'digit', digit: 'x' }, { type: 'digit', digit: '#' }], s);
    expect(s.digits).toBe('1#');
    expect(talkSeconds(s, 75_500)).toBe(65);
    s = run([{ type: 'hangup-requested' }], s);
    expect(s.phase).toBe('ending');
    expect(run([{ type: 'dial', number: '95000' }], s)).toBe(s);
    s = run([{ type: 'ended', at: 40_000 }], s);
    expect(s.phase).toBe('ended');
    expect(isLive(s)).toBe(false);
    expect(talkSeconds(s, 99_000)).toBe(30);
    expect(run([{ type: 'reset' }], s)).toEqual(INITIAL);
  });

  it('a second dial while a call is live is ignored; a failure keeps its reason; a new dial after it starts over', () => {
    const live = run([{ type: 'dial', number: '95001' }, { type: 'connected' }]);
    expect(run([{ type: 'dial', number: '95000' }], live)).toBe(live);
    expect(run([{ type: 'reset' }], live)).toBe(live);
    const failed = run([{ type: 'failed', reason: 'busy', at: 1 }], live);
    expect(failed).toMatchObject({ phase: 'failed', failure: 'busy' });
    expect(talkSeconds(failed, 5_000)).toBe(0);
    expect(run([{ type: 'dial', number: '95000' }], failed)).toEqual({ phase: 'connecting', number: '95000', digits: '' });
  });

  it('events out of place change nothing', () => {
    expect(run([{ type: 'answered', at: 1 }, { type: 'ended', at: 2 }, { type: 'digit', digit: '1' }, { type: 'hangup-requested' }])).toEqual(INITIAL);
  });

  it.each([
    [0, '00:00'],
    [75, '01:15'],
    [3599, '59:59'],
    [3725, '1:02:05'],
  ])('formatTimer(%i) = %s', (sec, text) => expect(formatTimer(sec)).toBe(text));

  it('WebSocket URL and Request-URI from the server config', () => {
    expect(wsUrlFor({ protocol: 'http:', hostname: '10.91.0.1' }, 5066)).toBe('ws://10.91.0.1:5066');
    expect(wsUrlFor({ protocol: 'https:', hostname: 'hotline.example' }, 7443)).toBe('wss://hotline.example:7443');
    expect(wsUrlFor({ protocol: 'http:', hostname: '::1' }, 5066)).toBe('ws://[::1]:5066');
    expect(wsUrlFor({ protocol: 'https:', hostname: '10.91.0.1' }, 5066, 7443)).toBe('wss://10.91.0.1:7443');
    expect(wsUrlFor({ protocol: 'http:', hostname: '10.91.0.1' }, 5066, 7443)).toBe('ws://10.91.0.1:5066');
    expect(targetUri('95001', 'hotline')).toBe('sip:95001@hotline');
    expect(() => targetUri('95001@evil', 'hotline')).toThrow();
  });

  it('calls need a secure context and WebRTC', () => {
    expect(callBlocker({ isSecureContext: false, hasGetUserMedia: false, hasPeerConnection: true })).toBe('insecure');
    expect(callBlocker({ isSecureContext: true, hasGetUserMedia: false, hasPeerConnection: true })).toBe('no-webrtc');
    expect(callBlocker({ isSecureContext: true, hasGetUserMedia: true, hasPeerConnection: true })).toBeUndefined();
  });

  it.each([
    [undefined, 'network'],
    [486, 'busy'],
    [480, 'no-answer'],
    [404, 'not-found'],
    [488, 'media'],
    [503, 'unavailable'],
    [403, '403'],
  ])('failure %s is shown as %s', (status, reason) => expect(failureReason(status)).toBe(reason));

  it.each(['network', 'busy', 'no-answer', 'not-found', 'media', 'unavailable', 'microphone'])('reason %s has a label in both languages', (r) => {
    const key = reasonKey(r) as keyof (typeof CATALOGS)['en-US'];
    expect(CATALOGS['en-US'][key]).toBeTruthy();
    expect(CATALOGS['zh-CN'][key]).toBeTruthy();
  });

  it('a bare SIP status has no label: shown as the number', () => expect(reasonKey('403')).toBeUndefined());
});
