import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { BackOfficeError } from '../backoffice-error.ts';
import { backOfficeConformance, IN_SESSION } from '../backoffice.conformance.ts';
import type { BackOffice } from '../port.ts';
import { SimulatedBackOffice } from '../simulator/simulated-back-office.ts';
import { DEMO, simulatorFixtures } from '../simulator/simulator-fixtures.ts';
import { HttpBackOffice } from './http-backoffice.ts';
import { serveBackOffice } from './serve-backoffice.ts';

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

async function served(startMs = IN_SESSION): Promise<{ app: FastifyInstance; url: string; clock: FakeClock }> {
  const clock = new FakeClock(startMs);
  const app = await serveBackOffice(new SimulatedBackOffice(clock));
  return { app, url: await listen(app), clock };
}

backOfficeConformance('HTTP adapter over the simulator served on 127.0.0.1 (SEC-1)', async (startMs) => {
  const { app, url, clock } = await served(startMs);
  return {
    backOffice: new HttpBackOffice({ baseUrl: url, timeoutMs: 5000 }),
    advance: (ms) => clock.advance(ms),
    close: () => app.close(),
  };
}, simulatorFixtures());

async function errorOf(p: Promise<unknown>): Promise<BackOfficeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BackOfficeError);
    return e as BackOfficeError;
  }
  throw new Error('expected a BackOfficeError');
}

function rawServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
  }));
}

describe('HttpBackOffice failures (SEC-1)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('a server that never answers times out as unavailable, per request', async () => {
    const held: { end(): void }[] = [];
    const { url, server } = await rawServer((_req, res) => { held.push(res); });
    cleanups.push(() => new Promise((r) => { for (const h of held) h.end(); server.closeAllConnections(); server.close(() => r()); }));
    const bo = new HttpBackOffice({ baseUrl: url, timeoutMs: 150 });
    const t0 = Date.now();
    const e = await errorOf(bo.getQuote('600000'));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/within 150 ms/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a refused connection is unavailable', async () => {
    const { url, server } = await rawServer(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
    const e = await errorOf(new HttpBackOffice({ baseUrl: url, timeoutMs: 1000 }).getFundNav('000001'));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/unreachable/);
  });

  it.each([
    ['a 200 that breaks the response schema', 200, '{"code":"600000"}'],
    ['a 200 that is not JSON', 200, '<html>'],
    ['a 502 without a contract error body', 502, 'Bad Gateway'],
    ['an error body with a code outside the contract', 418, '{"code":"teapot","message":"x","details":{}}'],
  ])('%s is unavailable', async (_label, status, body) => {
    const { url, server } = await rawServer((_req, res) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(body); });
    cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const e = await errorOf(new HttpBackOffice({ baseUrl: url }).getQuote('600000'));
    expect(e.code).toBe('unavailable');
  });
});

describe('serveBackOffice request checking (SEC-1)', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => { await app?.close(); app = undefined; });

  it.each([
    ['no bearer token', 'GET', '/v1/securities/balance', undefined, undefined, 401, 'not-authenticated'],
    ['a body that breaks the schema', 'POST', '/v1/securities/orders', 'tok', '{"side":"hold"}', 400, 'invalid-argument'],
    ['a body that is not JSON', 'POST', '/v1/auth/card', undefined, '{nope', 400, 'invalid-argument'],
    ['a statement without dates', 'GET', '/v1/securities/statement', 'tok', undefined, 400, 'invalid-argument'],
    ['an unknown route', 'GET', '/v1/nothing', undefined, undefined, 400, 'invalid-argument'],
    ['an unknown code', 'GET', '/v1/quotes/999999', undefined, undefined, 404, 'unknown-code'],
  ] as const)('answers %s with the contract error body', async (_l, method, path, token, body, status, code) => {
    const s = await served();
    app = s.app;
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body } : {}),
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code, message: expect.any(String), details: expect.any(Object) });
  });

  it('maps a wrong password to 401 and a locked account to 423 with details', async () => {
    const s = await served();
    app = s.app;
    const login = (password: string) => fetch(`${s.url}/v1/auth/fund-account`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'securities', fundAccount: DEMO.rich.fundAccount, password }),
    });
    const r1 = await login('000000');
    expect(r1.status).toBe(401);
    expect(await r1.json()).toEqual({ code: 'wrong-password', message: expect.any(String), details: { attemptsLeft: 2 } });
    await login('000001');
    expect((await login('000002')).status).toBe(423);
  });

  it('guards the screen-pop route with the agent key when the server has one (CRM-1)', async () => {
    const clock = new FakeClock(IN_SESSION);
    app = await serveBackOffice(new SimulatedBackOffice(clock), { agentKey: 'k3y-for-agents' });
    const url = await listen(app);
    const keyless = await errorOf(new HttpBackOffice({ baseUrl: url }).findCustomerByAccount(DEMO.rich.fundAccount));
    expect(keyless.code).toBe('not-permitted');
    const wrong = await errorOf(new HttpBackOffice({ baseUrl: url, agentKey: 'guess' }).findCustomerByAccount(DEMO.rich.fundAccount));
    expect(wrong.code).toBe('not-permitted');
    const agent = new HttpBackOffice({ baseUrl: url, agentKey: 'k3y-for-agents' });
    expect((await agent.findCustomerByAccount(DEMO.rich.fundAccount)).fundAccounts).toContain(DEMO.rich.fundAccount);
    expect((await agent.getQuote('600000')).code).toBe('600000');
  });

  it('an unexpected failure behind the server is a logged 500, unavailable to the adapter', async () => {
    class BrokenQuotes extends SimulatedBackOffice {
      override getQuote(): never { throw new TypeError('quote feed down'); }
    }
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (l: string) => { lines.push(l); } });
    app = await serveBackOffice(new BrokenQuotes(new FakeClock(IN_SESSION)), { logger });
    const e = await errorOf(new HttpBackOffice({ baseUrl: await listen(app) }).getQuote('600000'));
    expect(e.code).toBe('unavailable');
    expect(lines.join('')).toMatch(/quote feed down/);
  });

  it('the adapter hands the same session a direct call would, with the bearer token working', async () => {
    const s = await served();
    app = s.app;
    const bo: BackOffice = new HttpBackOffice({ baseUrl: `${s.url}/` });
    const sess = await bo.loginWithCard(DEMO.card.cardNumber, DEMO.card.pin);
    expect(sess).toMatchObject({ kind: 'bank', account: DEMO.card.cardNumber, issuedAt: new Date(IN_SESSION).toISOString() });
    expect((await bo.listBankAccounts(sess.token)).length).toBe(2);
  });
});
