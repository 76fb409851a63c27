import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { computeDigestResponse, computeHa1, formatDigestCredentials, parseChallenges, toDigestChallenge } from '../../protocol/sip/digest.ts';
import { createRequest, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { parseNameAddr } from '../../protocol/sip/name-addr.ts';
import { FakeClock } from '../../shared/clock.ts';
import { DigestAuthenticator } from '../auth/digest-authenticator.ts';
import { createSipAccount } from '../auth/sip-account-factory.ts';
import { MemoryRegistrationStore, MemorySipAccountStore } from '../memory-stores.ts';
import type { Registration } from '../ports.ts';
import type { MessageSource } from '../security/message-source.ts';
import { LocationService } from './location-service.ts';
import { Registrar } from './registrar.ts';

const logger = pino({ level: 'silent' });
const DOMAIN = 'hotline.test';
const AOR = 'sip:8001@hotline.test';
const SRC: MessageSource = { transport: 'tcp', address: '192.0.2.10', port: 40001, connectionId: 'conn-7' };

interface Reg {
  contacts?: string[];
  supported?: string;
  expires?: string;
  callId?: string;
  cseq: number;
  ruri?: string;
  to?: string;
  user?: string;
  password?: string;
}

describe('Registrar and location service (RFC 3261 10.3; TEL-2, OPS-1)', () => {
  let clock: FakeClock;
  let store: MemoryRegistrationStore;
  let location: LocationService;
  let registrar: Registrar;
  let auth: DigestAuthenticator;
  let events: string[];
  let nonce: string;
  let nc: number;

  function build(r: Reg, withAuth: boolean): SipRequest {
    const ruri = r.ruri ?? `sip:${DOMAIN}`;
    const h: Array<[string, string]> = [
      ['Via', 'SIP/2.0/TCP 192.0.2.10:40001;branch=z9hG4bK-r'],
      ['From', `<${r.to ?? AOR}>;tag=f1`],
      ['To', `<${r.to ?? AOR}>`],
      ['Call-ID', r.callId ?? 'call-1'],
      ['CSeq', `${r.cseq} REGISTER`],
      ['User-Agent', 'baresip v3'],
    ];
    for (const c of r.contacts ?? []) h.push(['Contact', c]);
    if (r.expires !== undefined) h.push(['Expires', r.expires]);
    if (r.supported !== undefined) h.push(['Supported', r.supported]);
    if (withAuth) {
      const user = r.user ?? '8001';
      const ncHex = (++nc).toString(16).padStart(8, '0');
      const ha1 = computeHa1('SHA-256', user, DOMAIN, r.password ?? 'demo-8001');
      const response = computeDigestResponse({ algorithm: 'SHA-256', ha1, nonce, method: 'REGISTER', uri: ruri, qop: 'auth', nc: ncHex, cnonce: 'cn' });
      h.push(['Authorization', formatDigestCredentials({ username: user, realm: DOMAIN, nonce, uri: ruri, response, algorithm: 'SHA-256', qop: 'auth', nc: ncHex, cnonce: 'cn' })]);
    }
    return createRequest('REGISTER', ruri, h);
  }

  const send = (r: Reg, source = SRC): Promise<SipResponse> => registrar.handleRegister(build(r, true), source);

  function listed(res: SipResponse): Array<{ uri: string; expires: string | null | undefined; q: string | null | undefined }> {
    return res.headers.getAll('Contact').map((v) => {
      const na = parseNameAddr(v);
      return { uri: na.uri, expires: na.params.get('expires'), q: na.params.get('q') };
    });
  }

  beforeEach(async () => {
    clock = new FakeClock();
    store = new MemoryRegistrationStore();
    const accounts = new MemorySipAccountStore([createSipAccount({ username: '8001', realm: DOMAIN, password: 'demo-8001', createdAt: new Date(clock.now()) })]);
    auth = new DigestAuthenticator({ realm: DOMAIN, accounts, clock, logger, secret: Buffer.alloc(32, 1), nonceLifetimeMs: 24 * 3_600_000 });
    location = new LocationService({ store, clock, logger, purgeIntervalMs: 10_000 });
    registrar = new Registrar({ domains: [DOMAIN, '192.0.2.1'], authenticator: auth, location, clock, logger, minExpires: 60, maxExpires: 7200, defaultExpires: 3600 });
    events = [];
    location.subscribe({
      onRegistered: (r, refreshed) => events.push(`${refreshed ? 'refreshed' : 'registered'} ${r.contact}`),
      onUnregistered: (r) => events.push(`unregistered ${r.contact}`),
      onExpired: (r) => events.push(`expired ${r.contact}`),
    });
    const first = await registrar.handleRegister(build({ cseq: 1, contacts: ['<sip:8001@192.0.2.10:40001;transport=tcp>'] }, false), SRC);
    expect(first.status).toBe(401);
    const chs = parseChallenges(first.headers.getAll('WWW-Authenticate')).map(toDigestChallenge);
    expect(chs.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    nonce = chs[0]!.nonce;
    nc = 0;
  });

  it('authenticates first, then binds and answers 200 listing the binding with To tag and expires', async () => {
    const res = await send({ cseq: 2, contacts: ['"Agent" <sip:8001@192.0.2.10:40001;transport=tcp>;+sip.instance="<urn:uuid:1234>"'] });
    expect(res.status).toBe(200);
    expect(parseNameAddr(res.headers.get('To')!).params.get('tag')).toBeTruthy();
    expect(listed(res)).toEqual([{ uri: 'sip:8001@192.0.2.10:40001;transport=tcp', expires: '3600', q: undefined }]);
    expect(res.headers.get('Contact')).toContain('+sip.instance="<urn:uuid:1234>"');
    const [b] = await location.lookup(AOR);
    expect(b).toMatchObject<Partial<Registration>>({
      aor: AOR,
      transport: 'tcp',
      sourceAddress: '192.0.2.10',
      sourcePort: 40001,
      connectionId: 'conn-7',
      userAgent: 'baresip v3',
      instanceId: 'urn:uuid:1234',
      callId: 'call-1',
      cseq: 2,
      contactHeader: '"Agent" <sip:8001@192.0.2.10:40001;transport=tcp>;+sip.instance="<urn:uuid:1234>"',
    });
    expect(events).toEqual(['registered sip:8001@192.0.2.10:40001;transport=tcp']);
  });

  it('keeps several contacts, ordered by q then recency; the 200 lists all with their q', async () => {
    await send({ cseq: 2, contacts: ['<sip:8001@10.0.0.1>;q=0.5', '<sip:8001@10.0.0.2>;q=1.0'] });
    clock.advance(1_000);
    const res = await send({ cseq: 3, contacts: ['<sip:8001@10.0.0.3>;q=0.5'], callId: 'call-2' });
    expect(listed(res).map((c) => [c.uri, c.q, c.expires])).toEqual([
      ['sip:8001@10.0.0.2', '1.0', '3599'],
      ['sip:8001@10.0.0.3', '0.5', '3600'],
      ['sip:8001@10.0.0.1', '0.5', '3599'],
    ]);
    expect((await location.lookup(AOR)).map((r) => r.contact)).toEqual(['sip:8001@10.0.0.2', 'sip:8001@10.0.0.3', 'sip:8001@10.0.0.1']);
  });

  it('uses the expires parameter over the Expires header, clamps to the maximum, and 423s below the minimum (0 allowed)', async () => {
    let res = await send({ cseq: 2, expires: '120', contacts: ['<sip:8001@10.0.0.1>', '<sip:8001@10.0.0.2>;expires=99999999999'] });
    expect(listed(res).map((c) => c.expires).sort()).toEqual(['120', '7200']);
    res = await send({ cseq: 3, contacts: ['<sip:8001@10.0.0.1>;expires=30'] });
    expect(res.status).toBe(423);
    expect(res.headers.get('Min-Expires')).toBe('60');
    res = await send({ cseq: 4, expires: '30', contacts: ['<sip:8001@10.0.0.9>'] });
    expect(res.status).toBe(423);
    res = await send({ cseq: 5, contacts: ['<sip:8001@10.0.0.1>;expires=0'] });
    expect(res.status).toBe(200);
    expect(listed(res).map((c) => c.uri)).toEqual(['sip:8001@10.0.0.2']);
  });

  it('refreshes with the same Call-ID and a higher CSeq; matches URIs per RFC 3261 19.1.4', async () => {
    await send({ cseq: 2, expires: '600', contacts: ['<sip:8001@Phone.Example:5060;transport=UDP;ob>'] });
    clock.advance(300_000);
    const res = await send({ cseq: 3, expires: '600', contacts: ['<sip:8001@phone.example:5060;transport=udp>'] });
    expect(listed(res)).toEqual([{ uri: 'sip:8001@phone.example:5060;transport=udp', expires: '600', q: undefined }]);
    expect(await store.listAll()).toHaveLength(1);
    expect(events).toEqual(['registered sip:8001@Phone.Example:5060;transport=UDP;ob', 'refreshed sip:8001@phone.example:5060;transport=udp']);
  });

  it('refuses a same-Call-ID REGISTER whose CSeq is not higher with 500 and changes nothing; another Call-ID may', async () => {
    await send({ cseq: 5, contacts: ['<sip:8001@10.0.0.1>'] });
    for (const cseq of [5, 4]) {
      const res = await send({ cseq, contacts: ['<sip:8001@10.0.0.1>;expires=0', '<sip:8001@10.0.0.2>'] });
      expect(res.status).toBe(500);
    }
    expect((await location.lookup(AOR)).map((r) => r.contact)).toEqual(['sip:8001@10.0.0.1']);
    expect((await send({ cseq: 1, callId: 'other', contacts: ['<sip:8001@10.0.0.1>;expires=0'] })).status).toBe(200);
    expect(await location.lookup(AOR)).toEqual([]);
  });

  it('Contact: * with Expires: 0 removes every binding; otherwise 400', async () => {
    await send({ cseq: 2, contacts: ['<sip:8001@10.0.0.1>', '<sip:8001@10.0.0.2>'] });
    expect((await send({ cseq: 3, contacts: ['*'] })).status).toBe(400);
    expect((await send({ cseq: 4, contacts: ['*'], expires: '60' })).status).toBe(400);
    expect((await send({ cseq: 5, contacts: ['*', '<sip:8001@10.0.0.3>'], expires: '0' })).status).toBe(400);
    expect((await send({ cseq: 6, contacts: ['*, <sip:8001@10.0.0.3>'], expires: '0' })).status).toBe(400);
    expect((await send({ cseq: 2, contacts: ['*'], expires: '0' })).status).toBe(500);
    const res = await send({ cseq: 7, contacts: ['*'], expires: '0' });
    expect(res.status).toBe(200);
    expect(res.headers.getAll('Contact')).toEqual([]);
    expect(await store.listAll()).toEqual([]);
    expect(events.filter((e) => e.startsWith('unregistered'))).toHaveLength(2);
  });

  it('a REGISTER without Contact is a query listing current bindings', async () => {
    await send({ cseq: 2, contacts: ['<sip:8001@10.0.0.1>'] });
    clock.advance(10_000);
    const res = await send({ cseq: 3, callId: 'query' });
    expect(res.status).toBe(200);
    expect(listed(res)).toEqual([{ uri: 'sip:8001@10.0.0.1', expires: '3590', q: undefined }]);
  });

  it('expired bindings vanish from lookup at once and are purged on the clock with an expired event', async () => {
    await send({ cseq: 2, expires: '60', contacts: ['<sip:8001@10.0.0.1>'] });
    await send({ cseq: 3, expires: '600', contacts: ['<sip:8001@10.0.0.2>'] });
    location.start();
    clock.advance(60_000);
    expect((await location.lookup(AOR)).map((r) => r.contact)).toEqual(['sip:8001@10.0.0.2']);
    await new Promise((r) => setImmediate(r));
    expect(events).toContain('expired sip:8001@10.0.0.1');
    expect((await store.listAll()).map((r) => r.contact)).toEqual(['sip:8001@10.0.0.2']);
    location.stop();
    expect(clock.pending()).toBe(0);
  });

  it('keeps bindings across a restart (persisted through the RegistrationStore)', async () => {
    await send({ cseq: 2, contacts: ['<sip:8001@10.0.0.1>'] });
    const again = new LocationService({ store, clock, logger });
    expect((await again.lookup(AOR)).map((r) => r.sourceAddress)).toEqual(['192.0.2.10']);
  });

  it.each<[string, number, Partial<Reg>]>([
    ['Request-URI of a domain not served', 404, { ruri: 'sip:elsewhere.test' }],
    ['To in a domain not served', 404, { to: 'sip:8001@elsewhere.test' }],
    ['To without a user', 400, { to: 'sip:hotline.test' }],
    ['digest user other than the To user', 403, { to: 'sip:8002@hotline.test' }],
    ['wrong password', 401, { password: 'guess' }],
    ['malformed q', 400, { contacts: ['<sip:8001@10.0.0.1>;q=2'] }],
    ['malformed expires', 400, { contacts: ['<sip:8001@10.0.0.1>;expires=soon'] }],
    ['malformed Expires', 400, { expires: '-1', contacts: ['<sip:8001@10.0.0.1>'] }],
    ['malformed Contact', 400, { contacts: ['<sip:8001@10.0.0.1'] }],
  ])('%s -> %i', async (_n, status, r) => {
    expect((await send({ cseq: 2, ...r })).status).toBe(status);
    expect(await store.listAll()).toEqual([]);
  });

  it('accepts a configured alias address and stores the AOR at the primary domain', async () => {
    const res = await send({ cseq: 2, ruri: 'sip:192.0.2.1:5060', to: 'sip:8001@192.0.2.1', contacts: ['<sip:8001@10.0.0.1>'] });
    expect(res.status).toBe(200);
    expect((await location.lookup(AOR)).length).toBe(1);
    expect(registrar.aorOf('8001')).toBe(AOR);
  });

  it('refuses more than maxBindingsPerAor bindings with 403', async () => {
    const small = new Registrar({ domains: [DOMAIN], authenticator: auth, location, clock, logger, maxBindingsPerAor: 2 });
    const contacts = ['<sip:8001@10.0.0.1>', '<sip:8001@10.0.0.2>', '<sip:8001@10.0.0.3>'];
    expect((await small.handleRegister(build({ cseq: 2, contacts }, true), SRC)).status).toBe(403);
    expect((await small.handleRegister(build({ cseq: 3, contacts: contacts.slice(0, 2) }, true), SRC)).status).toBe(200);
  });

  it('applies concurrent REGISTERs for one AOR one after the other', async () => {
    const a = send({ cseq: 2, callId: 'a', contacts: ['<sip:8001@10.0.0.1>'] });
    const b = send({ cseq: 2, callId: 'b', contacts: ['<sip:8001@10.0.0.2>'] });
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(listed(rb).map((c) => c.uri).sort()).toEqual(['sip:8001@10.0.0.1', 'sip:8001@10.0.0.2']);
  });

  it('outbound (RFC 5626): a new contact with the same instance and reg-id replaces the binding; 200 requires outbound', async () => {
    const inst = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-000a95a0e128>"';
    let res = await send({ cseq: 2, supported: 'path, outbound', contacts: [`<sip:8001@192.0.2.10:40001;transport=tcp;ob>;${inst};reg-id=1`] });
    expect(res.headers.get('Require')).toBe('outbound');
    res = await send({ cseq: 3, supported: 'outbound', contacts: [`<sip:8001@192.0.2.10:40777;transport=tcp;ob>;${inst};reg-id=1`] });
    expect(listed(res).map((c) => c.uri)).toEqual(['sip:8001@192.0.2.10:40777;transport=tcp;ob']);
    res = await send({ cseq: 4, supported: 'outbound', contacts: [`<sip:8001@192.0.2.10:40999;transport=tcp;ob>;${inst};reg-id=2`] });
    expect(listed(res)).toHaveLength(2);
    expect((await store.listAll()).length).toBe(2);
    expect(events).toContain('refreshed sip:8001@192.0.2.10:40777;transport=tcp;ob');
    // without Supported: outbound the contact URI is the key again
    res = await send({ cseq: 5, contacts: [`<sip:8001@192.0.2.10:41000;transport=tcp>;${inst};reg-id=1`] });
    expect(res.headers.get('Require')).toBeUndefined();
    expect(listed(res)).toHaveLength(3);
  });

  it('outbound: two contacts with reg-id in one REGISTER -> 400', async () => {
    const inst = '+sip.instance="<urn:uuid:1>"';
    const res = await send({ cseq: 2, supported: 'outbound', contacts: [`<sip:8001@10.0.0.1;ob>;${inst};reg-id=1`, `<sip:8001@10.0.0.2;ob>;${inst};reg-id=2`] });
    expect(res.status).toBe(400);
  });

  it('answers 500 with Retry-After when the store fails, and changes nothing', async () => {
    const failing = new LocationService({
      store: { ...store, list: (a: string) => store.list(a), listAll: () => store.listAll(), put: async () => Promise.reject(new Error('disk full')), remove: (a: string, c: string) => store.remove(a, c), removeAll: (a: string) => store.removeAll(a), purgeExpired: (d: Date) => store.purgeExpired(d) },
      clock,
      logger,
    });
    const r = new Registrar({ domains: [DOMAIN], authenticator: auth, location: failing, clock, logger });
    const res = await r.handleRegister(build({ cseq: 2, contacts: ['<sip:8001@10.0.0.1>'] }, true), SRC);
    expect(res.status).toBe(500);
    expect(res.headers.get('Retry-After')).toBe('5');
    expect(await store.listAll()).toEqual([]);
  });
});
