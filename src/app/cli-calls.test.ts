// `hotline calls|call|supervise` against an API whose switch runs over the runtime test kit (issue 4, CTI-1..CTI-4, SUP-2).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHotlineCli } from '../../test/support/server.ts';
import { buildHttpApi } from '../api/http-api.ts';
import { callRoutes } from '../api/routes/call-routes.ts';
import { runtimeKit, settle } from '../switch/runtime/test-kit.ts';
import { hashPassword, newBearerToken } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';
import { parseDestination } from './cli-calls.ts';

let stores: Stores;
let app: FastifyInstance;
let k: ReturnType<typeof runtimeKit>;
let url = '';
let token = '';
const cli = (...args: string[]) => runHotlineCli([...args, '--server', url, '--token', token]);

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  k = runtimeKit();
  app = buildHttpApi({ version: 't', clock: { now: () => Date.now(), setTimeout: () => ({ cancel() {} }) }, realm: 'r', startedAt: 0, stores, components: async () => ({}) }, { routes: callRoutes(k.runtime) });
  await stores.users.put({ username: 'admin', passwordHash: await hashPassword('pw'), role: 'admin', enabled: true, createdAt: new Date() });
  const t = newBearerToken();
  await stores.apiTokens.put({ id: 'a', tokenHash: t.hash, username: 'admin', label: 'cli', createdAt: new Date() });
  token = t.token;
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  await stores.close();
});

describe('hotline call CLI (CTI-1, CTI-2, CTI-4)', () => {
  it('lists calls, holds, refuses a second hold with the typed code, retrieves, blind-transfers to a queue', async () => {
    expect((await cli('calls')).stdout.trim()).toBe('no calls');
    const cust = k.gateway.inbound('13800000001', '95001');
    await settle();
    const ix = k.queue.enqueued[0]!.interactionId;
    await k.runtime.offerToAgent(ix, '8001', { autoAnswer: true, ringTimeoutMs: 1000 });
    await settle();
    k.gateway.emit({ type: 'answered', legId: k.gateway.legTo('8001') });
    await settle();

    const list = await cli('calls', '--json');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: ix, state: 'talking', agentId: '8001' })]);
    const table = await cli('calls');
    expect(table.stdout).toMatch(/^ID\s+STATE\s+CUSTOMER\s+AGENT/);

    const held = await cli('call', 'hold', ix, '--agent', '8001');
    expect([held.code, held.stdout]).toEqual([0, expect.stringContaining(`${ix} on-hold agent 8001`)]);
    expect(k.media.hears(cust)).toEqual(['music']);
    const again = await cli('call', 'hold', ix, '--agent', '8001');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/ALREADY_ON_HOLD.*\(HTTP 409\)/);
    expect((await cli('call', 'retrieve', ix, '--agent', '8001')).code).toBe(0);
    const moved = await cli('call', 'transfer', ix, '--to', 'queue:vip', '--agent', '8001', '--json');
    expect(JSON.parse(moved.stdout)).toMatchObject({ state: 'queued', queueId: 'vip' });
  });

  it('make, supervise and usage errors', async () => {
    const made = await cli('call', 'make', '913900000000', '--agent', '8002', '--set', 'ticket=T-9', '--json');
    const { interactionId } = JSON.parse(made.stdout) as { interactionId: string };
    expect((await cli('call', 'show', interactionId, '--json')).stdout).toContain('"ticket": "T-9"');
    const idle = await cli('supervise', 'monitor', '8007', '--supervisor', '8100');
    expect([idle.code, idle.stderr]).toEqual([1, expect.stringMatching(/AGENT_NOT_ON_CALL.*HTTP 409/)]);
    expect((await cli('call', 'transfer', interactionId, '--to', 'bogus')).code).toBe(2);
  });

  it.each([
    ['agent:8002', { kind: 'agent', agentId: '8002' }],
    ['number:913900000000', { kind: 'external', number: '913900000000' }],
    ['queue:general', { kind: 'queue', queueId: 'general' }],
    ['ivr:resume', { kind: 'ivr', mode: 'resume' }],
    ['ivr:file:///x/main.vxml', { kind: 'ivr', mode: 'new', script: 'file:///x/main.vxml' }],
  ])('--to %s', (s, d) => expect(parseDestination(s)).toEqual(d));
});
