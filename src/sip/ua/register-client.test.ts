import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { parseMessage } from '../../protocol/sip/parser.ts';
import type { SipRequest } from '../../protocol/sip/message.ts';
import { serializeMessage } from '../../protocol/sip/serializer.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { DigestAuthenticator } from '../auth/digest-authenticator.ts';
import { createSipAccount } from '../auth/sip-account-factory.ts';
import { MemoryRegistrationStore, MemorySipAccountStore } from '../memory-stores.ts';
import { LocationService } from '../registrar/location-service.ts';
import { Registrar } from '../registrar/registrar.ts';
import { SipStack } from '../stack/sip-stack.ts';
import { RecordingTransport, quiet } from '../stack/test-support.ts';
import type { Flow } from '../transport/transport.ts';
import { RegisterClient, type RegisterState } from './register-client.ts';

const CARRIER: Flow = { protocol: 'udp', local: { address: '192.0.2.1', port: 5060 }, remote: { address: '203.0.113.5', port: 5060 } };

/** Our client stack, and the carrier: Hotline's own Registrar and DigestAuthenticator answering what the client sends. */
function setup(password: string, algorithms: Array<'MD5' | 'SHA-256'> = ['SHA-256', 'MD5']) {
  const clock = new FakeClock();
  const udp = new RecordingTransport('udp', { address: '192.0.2.1', port: 5060 });
  const stack = new SipStack({ transports: [udp], clock, logger: quiet });
  const accounts = new MemorySipAccountStore([createSipAccount({ username: 'acct', realm: 'carrier.example', password: 'secret', createdAt: new Date(0) })]);
  const location = new LocationService({ store: new MemoryRegistrationStore(), clock, logger: quiet });
  const authenticator = new DigestAuthenticator({ realm: 'carrier.example', accounts, clock, logger: quiet, algorithms });
  const registrar = new Registrar({ domains: ['carrier.example'], authenticator, location, clock, logger: quiet, maxExpires: 300, defaultExpires: 300 });
  const states: RegisterState[] = [];
  const client = new RegisterClient({
    stack, clock, logger: quiet,
    registrarUri: 'sip:carrier.example', aor: 'sip:acct@carrier.example', contact: '<sip:acct@192.0.2.1:5060>',
    credentials: { username: 'acct', password }, expiresSec: 600, hop: { protocol: 'udp', remote: CARRIER.remote },
    onStateChange: (s) => states.push(s),
  });
  let handled = 0;
  /** The carrier answers every REGISTER sent so far that it has not answered. */
  const carrier = async () => {
    for (;;) {
      const pending = udp.sent.slice(handled);
      if (pending.length === 0) return;
      handled = udp.sent.length;
      for (const s of pending) {
        const req = parseMessage(s.data, { stream: false }) as SipRequest;
        const res = await registrar.handleRegister(req, { transport: 'udp', address: '192.0.2.1', port: 5060 });
        stack.onMessage(serializeMessage(res), CARRIER);
      }
      await new Promise((r) => setImmediate(r));
    }
  };
  const sent = () => udp.sent.map((s) => parseMessage(s.data, { stream: false }) as SipRequest);
  return { clock, client, carrier, states, location, sent, stack, udp };
}

describe('RegisterClient against Hotline registrar (TEL-1 trunks, RFC 3261 10.2)', () => {
  it('answers the digest challenge (SHA-256 preferred), is registered for what the registrar grants, refreshes before expiry', async () => {
    const t = setup('secret');
    t.client.start();
    await t.carrier();
    expect(t.states).toEqual(['registering', 'registered']);
    const regs = t.sent();
    expect(regs.map((r) => r.headers.get('CSeq'))).toEqual(['1 REGISTER', '2 REGISTER']);
    expect(regs[1]!.headers.get('Authorization')).toMatch(/algorithm=SHA-256/);
    expect(t.client.grantedSec).toBe(300);
    expect((await t.location.lookup('sip:acct@carrier.example')).map((r) => r.contact)).toEqual(['sip:acct@192.0.2.1:5060']);
    t.clock.advance(240_000);
    await t.carrier();
    expect(t.states).toEqual(['registering', 'registered']);
    t.clock.advance(30_000);
    await t.carrier();
    expect(t.states).toEqual(['registering', 'registered', 'registering', 'registered']);
    expect(t.sent().map((r) => r.headers.get('Call-ID'))).toEqual(Array(4).fill(regs[0]!.headers.get('Call-ID')));
    t.client.stop();
    await t.carrier();
    expect(t.sent().at(-1)!.headers.get('Expires')).toBe('0');
    expect(await t.location.lookup('sip:acct@carrier.example')).toEqual([]);
  });

  it('a wrong password: two answers at most, then failed, and a retry after retryMs', async () => {
    const t = setup('wrong', ['MD5']);
    t.client.start();
    await t.carrier();
    expect(t.states).toEqual(['registering', 'failed']);
    expect(t.sent()).toHaveLength(3);
    t.clock.advance(30_000);
    await t.carrier();
    expect(t.states).toEqual(['registering', 'failed', 'registering', 'failed']);
  });

  it('a 403 from the registrar is a failure without a retry storm', async () => {
    const t = setup('secret');
    t.client.start();
    const req = t.sent()[0]!;
    t.stack.onMessage(serializeMessage(createResponse(req, 403, 'Forbidden')), CARRIER);
    await new Promise((r) => setImmediate(r));
    expect(t.states).toEqual(['registering', 'failed']);
    expect(t.sent()).toHaveLength(1);
  });
});
