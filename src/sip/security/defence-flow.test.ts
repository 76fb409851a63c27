/**
 * The guard, the authenticator and the registrar together, as the stack
 * will chain them: admit before parsing, admit after parsing, then REGISTER.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { computeDigestResponse, computeHa1, formatDigestCredentials, parseChallenges, toDigestChallenge } from '../../protocol/sip/digest.ts';
import { createRequest, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { FakeClock } from '../../shared/clock.ts';
import { DigestAuthenticator } from '../auth/digest-authenticator.ts';
import { createSipAccount } from '../auth/sip-account-factory.ts';
import { MemoryBanStore, MemoryRegistrationStore, MemorySecurityEventStore, MemorySipAccountStore } from '../memory-stores.ts';
import { LocationService } from '../registrar/location-service.ts';
import { Registrar } from '../registrar/registrar.ts';
import type { MessageSource } from './message-source.ts';
import { SecurityGuard } from './security-guard.ts';

const logger = pino({ level: 'silent' });
const REALM = 'hotline.test';
const SRC: MessageSource = { transport: 'udp', address: '203.0.113.50', port: 5062 };

describe('brute force against REGISTER is banned (OPS-2, TEL-2)', () => {
  it('wrong passwords get 401, then a ban; the right password from the banned source is dropped until the ban ends', async () => {
    const clock = new FakeClock();
    const events = new MemorySecurityEventStore();
    const guard = new SecurityGuard({ clock, logger, events, bans: new MemoryBanStore(), maxAuthFailures: 4, banMs: 300_000 });
    await guard.start();
    const accounts = new MemorySipAccountStore([createSipAccount({ username: '8001', realm: REALM, password: 'demo-8001', createdAt: new Date(clock.now()) })]);
    const auth = new DigestAuthenticator({ realm: REALM, accounts, clock, logger, observer: guard, nonceLifetimeMs: 3_600_000 });
    const location = new LocationService({ store: new MemoryRegistrationStore(), clock, logger });
    const registrar = new Registrar({ domains: [REALM], authenticator: auth, location, clock, logger });

    let cseq = 0;
    let nonce = '';
    const request = (password?: string): SipRequest => {
      const h: Array<[string, string]> = [
        ['Via', 'SIP/2.0/UDP 203.0.113.50:5062;branch=z9hG4bK-x'],
        ['From', '<sip:8001@hotline.test>;tag=1'],
        ['To', '<sip:8001@hotline.test>'],
        ['Call-ID', 'bf'],
        ['CSeq', `${++cseq} REGISTER`],
        ['Contact', '<sip:8001@203.0.113.50:5062>'],
        ['User-Agent', 'Generic Phone'],
      ];
      if (password !== undefined) {
        const nc = cseq.toString(16).padStart(8, '0');
        const ha1 = computeHa1('MD5', '8001', REALM, password);
        const response = computeDigestResponse({ algorithm: 'MD5', ha1, nonce, method: 'REGISTER', uri: 'sip:hotline.test', qop: 'auth', nc, cnonce: 'k' });
        h.push(['Authorization', formatDigestCredentials({ username: '8001', realm: REALM, nonce, uri: 'sip:hotline.test', response, algorithm: 'MD5', qop: 'auth', nc, cnonce: 'k' })]);
      }
      return createRequest('REGISTER', 'sip:hotline.test', h);
    };
    const deliver = async (req: SipRequest): Promise<SipResponse | 'dropped'> => {
      if (guard.admit(SRC, undefined, Buffer.alloc(300)) === 'drop' || guard.admit(SRC, req) === 'drop') return 'dropped';
      return registrar.handleRegister(req, SRC);
    };

    const first = await deliver(request());
    if (first === 'dropped') throw new Error('first request dropped');
    expect(first.status).toBe(401);
    nonce = parseChallenges(first.headers.getAll('WWW-Authenticate')).map(toDigestChallenge).find((c) => c.algorithm === 'MD5')!.nonce;

    const statuses: Array<number | 'dropped'> = [];
    for (let i = 0; i < 5; i++) {
      const r = await deliver(request(`guess-${i}`));
      statuses.push(r === 'dropped' ? r : r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 'dropped']);
    expect(await deliver(request('demo-8001'))).toBe('dropped');
    clock.advance(299_000);
    expect(await deliver(request('demo-8001'))).toBe('dropped');
    clock.advance(1_000);
    const ok = await deliver(request('demo-8001'));
    expect(ok === 'dropped' ? ok : ok.status).toBe(200);

    await guard.flush();
    expect((await events.list({ kind: 'auth-failure' })).map((e) => e.username)).toEqual(['8001', '8001', '8001', '8001']);
    expect(await events.list({ kind: 'ban' })).toHaveLength(1);
    guard.stop();
  });
});
