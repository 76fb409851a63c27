// The WebSocket event stream (CTI-6, SUP-1): authentication by header or
// first frame, versioned frames with a sequence, agents see only their own
// calls, supervisors everything, a plain GET gets 426. A real Fastify
// server on loopback and the `ws` client.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeClock } from '../shared/clock.ts';
import { hashPassword, newBearerToken } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';
import type { ApiDeps } from './api-deps.ts';
import { Audience, permissionOfEvent, type EventFeed, type StreamEvent } from './event-stream.ts';
import { buildHttpApi } from './http-api.ts';

const T0 = Date.UTC(2026, 11, 6, 12);
let stores: Stores;
let app: FastifyInstance;
let base: string;
const listeners = new Set<(e: StreamEvent) => void>();
const feed: EventFeed = {
  subscribe(l) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
const publish = (e: StreamEvent) => listeners.forEach((l) => l(e));
const tokens = { supervisor: '', agent1: '', agent2: '' };

async function addUser(username: string, role: 'supervisor' | 'agent'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date(T0) });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return token;
}

/** Opens a stream client; resolves once it has its hello, collecting every later frame. */
async function client(opts: { header?: string; frame?: string; query?: string }): Promise<{ ws: WebSocket; frames: Record<string, unknown>[]; closed: Promise<{ code: number }> }> {
  const ws = new WebSocket(`${base}/api/v1/events${opts.query ?? ''}`, opts.header ? { headers: { authorization: `Bearer ${opts.header}` } } : {});
  const frames: Record<string, unknown>[] = [];
  const closed = new Promise<{ code: number }>((r) => ws.on('close', (code) => r({ code })));
  const hello = new Promise<void>((resolve, reject) => {
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as Record<string, unknown>;
      if (f['type'] === 'hello') resolve();
      else frames.push(f);
    });
    ws.on('close', () => reject(new Error(`closed before hello: ${JSON.stringify(frames)}`)));
  });
  await new Promise<void>((r, j) => {
    ws.once('open', () => r());
    ws.once('error', j);
  });
  if (opts.frame !== undefined) ws.send(opts.frame);
  await hello.catch(() => undefined);
  return { ws, frames, closed };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  const deps: ApiDeps = { version: '1', clock: new FakeClock(T0), realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) };
  app = buildHttpApi(deps, { events: feed });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  tokens.supervisor = await addUser('8100', 'supervisor');
  tokens.agent1 = await addUser('8001', 'agent');
  tokens.agent2 = await addUser('8002', 'agent');
});
afterAll(async () => {
  await app.close();
  await stores.close();
});

describe('event stream at /api/v1/events (CTI-6, SUP-1)', () => {
  it('agents see their own calls from the offer to the end, supervisors everything; frames are versioned and numbered', async () => {
    const sup = await client({ header: tokens.supervisor });
    const a1 = await client({ frame: JSON.stringify({ type: 'auth', token: tokens.agent1 }) });
    const a2 = await client({ header: tokens.agent2 });
    publish({ source: 'switch', type: 'interaction.offered', at: 1, interaction: 'ix-1', agentId: '8001', call: { customer: { number: '13800000001' } } });
    publish({ source: 'switch', type: 'interaction.state', at: 2, interaction: 'ix-1', from: 'ringing', to: 'talking', action: 'answer' });
    publish({ source: 'acd', type: 'agent-state', at: 3, agentId: '8002', from: 'ready', to: 'not-ready' });
    publish({ source: 'switch', type: 'interaction.ended', at: 4, interaction: 'ix-1', by: 'party', cause: 'normal' });
    publish({ source: 'switch', type: 'interaction.state', at: 5, interaction: 'ix-1', from: 'x', to: 'y', action: 'late' });
    await until(() => sup.frames.length === 5 && a1.frames.length === 4 && a2.frames.length === 1);
    expect(sup.frames.map((f) => [f['v'], f['seq'], f['type']])).toEqual([
      [1, 1, 'interaction.offered'],
      [1, 2, 'interaction.state'],
      [1, 3, 'agent-state'],
      [1, 4, 'interaction.ended'],
      [1, 5, 'interaction.state'],
    ]);
    // 8001 also sees 8002's state change: the desktop's directory of agents
    expect(a1.frames.map((f) => f['type'])).toEqual(['interaction.offered', 'interaction.state', 'agent-state', 'interaction.ended']);
    expect(a1.frames[0]).toMatchObject({ source: 'switch', interaction: 'ix-1', agentId: '8001', call: { customer: { number: '13800000001' } } });
    expect(a2.frames).toMatchObject([{ source: 'acd', type: 'agent-state', agentId: '8002', to: 'not-ready' }]);
    for (const c of [sup, a1, a2]) c.ws.close();
  });

  it('?agent=ID narrows a supervisor to one agent’s view; an agent may only name itself (4403)', async () => {
    const focused = await client({ header: tokens.supervisor, query: '?agent=8002' });
    publish({ source: 'switch', type: 'interaction.offered', at: 1, interaction: 'ix-7', agentId: '8001' });
    publish({ source: 'switch', type: 'interaction.offered', at: 2, interaction: 'ix-8', agentId: '8002' });
    publish({ source: 'switch', type: 'interaction.ended', at: 3, interaction: 'ix-8', by: 'party', cause: 'normal' });
    await until(() => focused.frames.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(focused.frames.map((f) => [f['type'], f['interaction']])).toEqual([
      ['interaction.offered', 'ix-8'],
      ['interaction.ended', 'ix-8'],
    ]);
    focused.ws.close();
    const other = await client({ header: tokens.agent1, query: '?agent=8002' });
    expect((await other.closed).code).toBe(4403);
  });

  it('a wrong token or a first frame that is not auth closes the socket with 4401', async () => {
    const bad = await client({ header: 'nope' });
    expect((await bad.closed).code).toBe(4401);
    expect(bad.frames).toMatchObject([{ v: 1, type: 'error', code: 'unauthorized' }]);
    const noAuth = await client({ frame: '{"type":"subscribe"}' });
    expect((await noAuth.closed).code).toBe(4401);
  });

  it('a plain GET is told to upgrade (426); another upgrade path is refused', async () => {
    const http = base.replace('ws:', 'http:');
    const r = await fetch(`${http}/api/v1/events`);
    expect(r.status).toBe(426);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('upgrade-required');
    const other = new WebSocket(`${base}/api/v1/other`);
    const err = await new Promise<string>((r) => other.on('error', (e) => r(e.message)));
    expect(err).toMatch(/404/);
  });
});

describe('event stream and shutdown', () => {
  it('closing the app ends connected clients (1001) instead of waiting for them', async () => {
    const deps: ApiDeps = { version: '1', clock: new FakeClock(T0), realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) };
    const other = buildHttpApi(deps, { events: feed });
    await other.listen({ host: '127.0.0.1', port: 0 });
    const ws = new WebSocket(`ws://127.0.0.1:${(other.server.address() as AddressInfo).port}/api/v1/events`, { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    await new Promise<void>((r) => ws.on('message', () => r()));
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    await other.close(); // with the clients left open, this would wait on their sockets (the test's timeout would end it)
    expect(await closed).toBe(1001);
  });
});

describe('Audience: who sees what', () => {
  it('an agent follows a call it was offered until the call ends, and nothing else', () => {
    const a = new Audience('agent', '8001');
    const ev = (type: string, over: Partial<StreamEvent> = {}): StreamEvent => ({ source: 'switch', type, at: 0, ...over });
    expect(a.admits(ev('interaction.state', { interaction: 'ix-1' }))).toBe(false);
    expect(a.admits(ev('agent.connected', { interaction: 'ix-1', agentId: '8001' }))).toBe(true);
    expect(a.admits(ev('leg.state', { interaction: 'ix-1' }))).toBe(true);
    expect(a.admits(ev('interaction.ended', { interaction: 'ix-1' }))).toBe(true);
    expect(a.admits(ev('leg.state', { interaction: 'ix-1' }))).toBe(false);
    // every agent's state, for the desktop's directory of transfer targets (GET /api/v1/agents shows agents the same)
    expect(a.admits(ev('agent-state', { source: 'acd', agentId: '8002' }))).toBe(true);
    expect(a.admits(ev('offered', { source: 'acd', agentId: '8002', interaction: 'ix-7' }))).toBe(false);
    expect(new Audience('supervisor', '8100').admits(ev('agent-state', { source: 'acd', agentId: '8002' }))).toBe(true);
    expect(a.admits(ev('queue-waiting', { source: 'acd', queueId: 'general', waiting: 3 }))).toBe(true);
    expect(a.admits(ev('entry-queued', { source: 'acd', queueId: 'general' }))).toBe(false);
  });
});

describe('Audience with a custom role (ADM-1)', () => {
  const ev = (source: StreamEvent['source'], type: string, over: Partial<StreamEvent> = {}): StreamEvent => ({ source, type, at: 0, ...over });

  it('each event belongs to the area of the routes that show the same thing', () => {
    expect(permissionOfEvent(ev('switch', 'leg.state'))).toBe('calls');
    expect(permissionOfEvent(ev('acd', 'agent-state'))).toBe('acd');
    expect(permissionOfEvent(ev('board', 'task.assigned'))).toBe('tasks');
    expect(permissionOfEvent(ev('board', 'notice.posted'))).toBe('notices');
  });

  it('a supervisor whose role lacks calls gets no switch events but still the ACD; the role is read at every event', () => {
    let permissions: readonly string[] | undefined = ['acd', 'supervision', 'audit'];
    const a = new Audience('supervisor', '8100', undefined, () => permissions);
    expect(a.admits(ev('switch', 'interaction.state', { interaction: 'ix-1' }))).toBe(false);
    expect(a.admits(ev('acd', 'agent-state', { agentId: '8002' }))).toBe(true);
    expect(a.admits(ev('board', 'task.updated', { recipients: ['8002'] }))).toBe(false);
    permissions = undefined; // the role was taken away while connected
    expect(a.admits(ev('switch', 'interaction.state', { interaction: 'ix-1' }))).toBe(true);
    expect(new Audience('supervisor', '8100').admits(ev('switch', 'interaction.state'))).toBe(true);
  });
});
