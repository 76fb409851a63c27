import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRequest, createResponseMessage, type SipRequest } from '../../protocol/sip/message.ts';
import { FakeClock } from '../../shared/clock.ts';
import { MemoryBanStore, MemorySecurityEventStore } from '../memory-stores.ts';
import type { MessageSource } from './message-source.ts';
import { RateLimiter } from './rate-limiter.ts';
import { SecurityGuard } from './security-guard.ts';
import type { SecurityGuardSettings } from './security-options.ts';
import { SecuritySettingsError } from './security-options.ts';

const logger = pino({ level: 'silent' });
const ATTACKER: MessageSource = { transport: 'udp', address: '198.51.100.66', port: 5070 };
const PHONE: MessageSource = { transport: 'udp', address: '192.0.2.10', port: 5060 };
const RAW = Buffer.from('REGISTER sip:x SIP/2.0\r\n\r\n');

function req(ua?: string): SipRequest {
  const h: Array<[string, string]> = [['Call-ID', 'x'], ['CSeq', '1 OPTIONS']];
  if (ua !== undefined) h.push(['User-Agent', ua]);
  return createRequest('OPTIONS', 'sip:100@hotline.test', h);
}

describe('SecurityGuard (OPS-2)', () => {
  let clock: FakeClock;
  let events: MemorySecurityEventStore;
  let bans: MemoryBanStore;

  function guard(settings: Partial<SecurityGuardSettings> = {}): SecurityGuard {
    return new SecurityGuard({ clock, logger, events, bans, ...settings });
  }

  beforeEach(() => {
    clock = new FakeClock();
    events = new MemorySecurityEventStore();
    bans = new MemoryBanStore();
  });

  it('bans after N authentication failures within the window, and a banned source is dropped even with a good password', async () => {
    const g = guard({ maxAuthFailures: 3, authFailureWindowMs: 60_000, banMs: 600_000 });
    await g.start();
    for (let i = 0; i < 2; i++) g.recordAuthFailure(ATTACKER, '8001', 'wrong-password');
    expect(g.admit(ATTACKER, undefined, RAW)).toBe('accept');
    g.recordAuthFailure(ATTACKER, '8001', 'wrong-password');
    expect(g.admit(ATTACKER, undefined, RAW)).toBe('drop');
    expect(g.admit(ATTACKER, req('Yealink SIP-T46S'))).toBe('drop');
    expect(g.admit(PHONE, undefined, RAW)).toBe('accept');
    await g.flush();
    expect((await events.list({ kind: 'auth-failure' })).length).toBe(3);
    expect(await events.list({ kind: 'ban' })).toMatchObject([{ sourceAddress: '198.51.100.66' }]);
    expect(await bans.list()).toMatchObject([{ address: '198.51.100.66', until: new Date(clock.now() + 600_000) }]);
    clock.advance(599_000);
    expect(g.admit(ATTACKER, undefined, RAW)).toBe('drop');
    clock.advance(1_000);
    expect(g.admit(ATTACKER, undefined, RAW)).toBe('accept');
    await g.flush();
    expect(await bans.list()).toEqual([]);
    expect(await events.list({ kind: 'unban' })).toMatchObject([{ detail: 'expired' }]);
    g.stop();
  });

  it('failures outside the window do not add up', () => {
    const g = guard({ maxAuthFailures: 3, authFailureWindowMs: 10_000 });
    for (let i = 0; i < 6; i++) {
      g.recordAuthFailure(ATTACKER, '8001');
      clock.advance(6_000);
    }
    expect(g.admit(ATTACKER, undefined)).toBe('accept');
  });

  it('a success forgets failures for that username only', () => {
    const g = guard({ maxAuthFailures: 3 });
    g.recordAuthFailure(PHONE, '8001');
    g.recordAuthFailure(PHONE, '8001');
    g.recordAuthSuccess(PHONE, '8001');
    g.recordAuthFailure(PHONE, '8001');
    expect(g.admit(PHONE, undefined)).toBe('accept');
    g.recordAuthFailure(ATTACKER, '1');
    g.recordAuthFailure(ATTACKER, '2');
    g.recordAuthSuccess(ATTACKER, '9');
    g.recordAuthFailure(ATTACKER, '3');
    expect(g.admit(ATTACKER, undefined)).toBe('drop');
  });

  it('repeat offenders get longer bans, up to the maximum', () => {
    const g = guard({ maxAuthFailures: 1, banMs: 1_000, banGrowth: 2, maxBanMs: 3_000 });
    const lengths: number[] = [];
    for (let i = 0; i < 4; i++) {
      g.recordAuthFailure(ATTACKER, 'x');
      const b = g.listBans()[0]!;
      lengths.push(b.until.getTime() - b.bannedAt.getTime());
      clock.advance(lengths[i]!);
    }
    expect(lengths).toEqual([1_000, 2_000, 3_000, 3_000]);
  });

  it('drops known scanner User-Agents silently and bans them', async () => {
    const g = guard();
    expect(g.admit(ATTACKER, req('friendly-scanner'))).toBe('drop');
    expect(g.admit(ATTACKER, undefined, RAW)).toBe('drop');
    expect(g.admit(PHONE, req('Mozilla SIPVicious 0.3'))).toBe('drop');
    await g.flush();
    const ev = await events.list({ kind: 'scanner-dropped' });
    expect(ev.map((e) => e.sourceAddress).sort()).toEqual(['192.0.2.10', '198.51.100.66']);
    expect(ev.find((e) => e.sourceAddress === '198.51.100.66')?.userAgent).toBe('friendly-scanner');
  });

  it.each([
    ['friendly-scanner', 'drop'],
    ['VaxSIPUserAgent/3.1', 'drop'],
    ['sipcli/v1.8', 'drop'],
    ['iWar', 'drop'],
    ['sundayddr', 'drop'],
    ['SIPScan', 'drop'],
    ['Yealink SIP-T46S 66.86.0.15', 'accept'],
    ['baresip v3.0.0 (x86_64/linux)', 'accept'],
    [undefined, 'accept'],
  ] as const)('User-Agent %s -> %s (default list)', (ua, verdict) => {
    expect(guard({ banScanners: false }).admit(PHONE, req(ua))).toBe(verdict);
  });

  it('uses a configured scanner list and only for requests', () => {
    const g = guard({ scannerUserAgents: ['EvilTool'], banScanners: false });
    expect(g.admit(PHONE, req('friendly-scanner'))).toBe('accept');
    expect(g.admit(PHONE, req('eviltool 2'))).toBe('drop');
    const resp = createResponseMessage(200, 'OK', [['User-Agent', 'eviltool']]);
    expect(g.admit(PHONE, resp)).toBe('accept');
  });

  it('rate-limits per source with a token bucket, logging one event per window', async () => {
    const g = guard({ ratePerSecond: 10, rateBurst: 5, rateBanThreshold: 0, eventThrottleMs: 60_000 });
    const verdicts = Array.from({ length: 8 }, () => g.admit(ATTACKER, undefined, RAW));
    expect(verdicts).toEqual(['accept', 'accept', 'accept', 'accept', 'accept', 'drop', 'drop', 'drop']);
    expect(g.admit(PHONE, undefined, RAW)).toBe('accept');
    clock.advance(100);
    expect(g.admit(ATTACKER, undefined, RAW)).toBe('accept');
    expect(g.admit(ATTACKER, undefined, RAW)).toBe('drop');
    await g.flush();
    expect(await events.list({ kind: 'rate-limited' })).toHaveLength(1);
    await g.start();
    clock.advance(60_000);
    await g.flush();
    const ev = await events.list({ kind: 'rate-limited' });
    expect(ev).toHaveLength(2);
    expect(ev[0]!.detail).toBe('3 more since last event');
    g.stop();
  });

  it('bans a source that keeps flooding past its rate', () => {
    const g = guard({ ratePerSecond: 1, rateBurst: 1, rateBanThreshold: 10, rateBanWindowMs: 60_000 });
    for (let i = 0; i < 11; i++) g.admit(ATTACKER, undefined);
    expect(g.listBans().map((b) => b.address)).toEqual(['198.51.100.66']);
    clock.advance(5_000);
    expect(g.admit(ATTACKER, undefined)).toBe('drop');
  });

  it('exempts trusted networks (IPv4 and IPv6) from every check; nothing is trusted by default, not even loopback', () => {
    const g = guard({ trustedNetworks: ['198.51.100.0/24', '2001:db8::/32'], ratePerSecond: 1, rateBurst: 1, maxAuthFailures: 1 });
    const v6: MessageSource = { transport: 'tcp', address: '2001:db8::5', port: 5060 };
    for (const src of [ATTACKER, v6]) {
      g.recordAuthFailure(src, 'x');
      expect(Array.from({ length: 5 }, () => g.admit(src, undefined))).toEqual(Array(5).fill('accept'));
      expect(g.admit(src, req('friendly-scanner'))).toBe('accept');
    }
    expect(g.listBans()).toEqual([]);
    const d = guard({ ratePerSecond: 1, rateBurst: 1, rateBanThreshold: 0 });
    const lo: MessageSource = { transport: 'udp', address: '127.0.0.1', port: 5060 };
    expect([d.admit(lo, undefined), d.admit(lo, undefined)]).toEqual(['accept', 'drop']);
    expect(d.isTrusted('::1')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 as the same source', () => {
    const g = guard({ maxAuthFailures: 1 });
    g.recordAuthFailure({ transport: 'udp', address: '::ffff:198.51.100.66', port: 1 }, 'x');
    expect(g.admit(ATTACKER, undefined)).toBe('drop');
  });

  it('persists bans, reloads them at start, and lets an operator list and lift them', async () => {
    const g1 = guard({ maxAuthFailures: 1, banMs: 3_600_000 });
    g1.recordAuthFailure(ATTACKER, 'x');
    g1.banAddress('203.0.113.9', 'blacklisted by operator', 120_000);
    await g1.flush();
    clock.advance(1_000);
    const g2 = guard();
    await g2.start();
    expect(g2.listBans().map((b) => b.address)).toEqual(['203.0.113.9', '198.51.100.66']);
    expect(g2.admit(ATTACKER, undefined)).toBe('drop');
    expect(await g2.liftBan('198.51.100.66')).toBe(true);
    expect(await g2.liftBan('198.51.100.66')).toBe(false);
    expect(g2.admit(ATTACKER, undefined)).toBe('accept');
    await g2.flush();
    expect((await bans.list()).map((b) => b.address)).toEqual(['203.0.113.9']);
    expect(await events.list({ kind: 'unban' })).toMatchObject([{ sourceAddress: '198.51.100.66', detail: 'lifted by operator' }]);
    g2.stop();
  });

  it('drops expired bans found in the store at start and lifts bans on its own timer', async () => {
    await bans.put({ address: '203.0.113.1', reason: 'old', bannedAt: new Date(clock.now() - 10_000), until: new Date(clock.now() - 1) });
    await bans.put({ address: '203.0.113.2', reason: 'short', bannedAt: new Date(clock.now()), until: new Date(clock.now() + 40_000) });
    const g = guard();
    await g.start();
    expect(g.listBans().map((b) => b.address)).toEqual(['203.0.113.2']);
    clock.advance(60_000);
    await g.flush();
    expect(await bans.list()).toEqual([]);
    expect(await events.list({ kind: 'unban' })).toHaveLength(1);
    g.stop();
    expect(clock.pending()).toBe(0);
  });

  it('records nonce replays and malformed input as events', async () => {
    const g = guard();
    g.recordNonceReplay(ATTACKER, '8001');
    g.recordMalformed(ATTACKER, 'bad Via');
    g.recordMalformed(ATTACKER, 'bad Via again');
    await g.flush();
    expect(await events.list({ kind: 'nonce-replay' })).toMatchObject([{ username: '8001', sourceAddress: '198.51.100.66', transport: 'udp', sourcePort: 5070 }]);
    expect(await events.list({ kind: 'malformed' })).toHaveLength(1);
  });

  it.each([
    [{ ratePerSecond: 0 }, 'ratePerSecond'],
    [{ banGrowth: 0.5 }, 'banGrowth'],
    [{ trustedNetworks: ['10.0.0.0/99'] }, 'trustedNetworks'],
    [{ maxAuthFailures: -1 }, 'maxAuthFailures'],
  ] as const)('rejects bad settings %j', (s, name) => {
    expect(() => guard(s as Partial<SecurityGuardSettings>)).toThrow(SecuritySettingsError);
    expect(() => guard(s as Partial<SecurityGuardSettings>)).toThrow(name);
  });
});

describe('RateLimiter (OPS-2)', () => {
  it('refills at the configured rate and forgets idle keys when full', () => {
    const clock = new FakeClock();
    const rl = new RateLimiter(clock, { ratePerSecond: 2, burst: 2, maxKeys: 3 });
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([true, true, false]);
    clock.advance(500);
    expect([rl.take('a'), rl.take('a')]).toEqual([true, false]);
    rl.take('b');
    rl.take('c');
    clock.advance(1_000);
    rl.take('d');
    expect(rl.size()).toBeLessThanOrEqual(3);
  });
});
