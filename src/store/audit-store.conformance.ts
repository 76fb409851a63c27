/**
 * Conformance cases of the operation log (ADM-3) and the board's task and
 * notice stores (SUP-4), run by store.conformance.ts on SQLite and
 * PostgreSQL alike.
 */
import { expect, it } from 'vitest';
import type { Task } from '../messaging/tasks.ts';
import type { AuditRecord } from './audit-store.ts';
import type { Stores } from './stores.ts';

export function auditStoreCases(stores: () => Stores, at: (ms: number) => Date): void {
  const rec = (ms: number, over: Partial<AuditRecord> = {}): AuditRecord => ({ at: at(ms), actor: 'sup1', action: 'agent.ready', outcome: 'ok', ...over });

  it('AuditStore: keeps every field and lists newest first, same-millisecond entries in append order', async () => {
    const s = stores();
    const full = rec(5, { role: 'supervisor', target: '8003', status: 201, detail: { name: 'Ann', skills: { general: 5 }, list: [1, 2] }, sourceAddress: '192.0.2.9', action: 'agent.create', actor: 'admin' });
    await s.audit.append(rec(1));
    await s.audit.append(full);
    await s.audit.append(rec(5, { outcome: 'INVALID_TRANSITION', status: 409 }));
    expect(await s.audit.list()).toEqual([rec(5, { outcome: 'INVALID_TRANSITION', status: 409 }), full, rec(1)]);
  });

  it('AuditStore: filters by actor, exact action or prefix, target, since (inclusive), until (exclusive) and limit', async () => {
    const s = stores();
    await s.audit.append(rec(0, { actor: '8003', action: 'agent.ready', target: '8003' }));
    await s.audit.append(rec(10, { actor: '8003', action: 'interaction.hold', target: 'i-1' }));
    await s.audit.append(rec(20, { actor: 'sup1', action: 'agent.lock', target: '8003' }));
    await s.audit.append(rec(30, { actor: 'admin', action: 'agent_x', target: '8004' }));
    const ms = (l: AuditRecord[]) => l.map((e) => e.at.getTime() - at(0).getTime());
    expect(ms(await s.audit.list({ actor: '8003' }))).toEqual([10, 0]);
    expect(ms(await s.audit.list({ action: 'agent.lock' }))).toEqual([20]);
    expect(ms(await s.audit.list({ action: 'agent.*' }))).toEqual([20, 0]); // `_` is no wildcard
    expect(ms(await s.audit.list({ target: '8003' }))).toEqual([20, 0]);
    expect(ms(await s.audit.list({ since: at(10), until: at(30) }))).toEqual([20, 10]);
    expect(ms(await s.audit.list({ limit: 1 }))).toEqual([30]);
    expect(ms(await s.audit.list({ actor: '8003', action: 'interaction.*', since: at(5) }))).toEqual([10]);
  });

  const task = (id: string, ms: number, over: Partial<Task> = {}): Task => ({
    id,
    title: `task ${id}`,
    assignee: '8003',
    createdBy: 'sup1',
    createdAt: at(ms).getTime(),
    status: 'assigned',
    updatedAt: at(ms).getTime(),
    ...over,
  });

  it('TaskStore: round-trips, replaces on put, lists newest first by assignee and status', async () => {
    const s = stores();
    const a = task('a', 1, { detail: 'call back Mr Li', dueAt: at(3_600_000).getTime() });
    await s.tasks.put(a);
    await s.tasks.put(task('b', 2, { assignee: '8004' }));
    await s.tasks.put(task('c', 3));
    expect(await s.tasks.get('a')).toEqual(a);
    expect(await s.tasks.get('zz')).toBeUndefined();
    await s.tasks.put({ ...a, status: 'in-progress', updatedAt: at(9).getTime() });
    expect((await s.tasks.get('a'))?.status).toBe('in-progress');
    expect((await s.tasks.list()).map((t) => t.id)).toEqual(['c', 'b', 'a']);
    expect((await s.tasks.list({ assignee: '8003' })).map((t) => t.id)).toEqual(['c', 'a']);
    expect((await s.tasks.list({ assignee: '8003', status: 'in-progress' })).map((t) => t.id)).toEqual(['a']);
    expect((await s.tasks.list({ limit: 1 })).map((t) => t.id)).toEqual(['c']);
  });

  it('NoticeStore: keeps recipients, lists an agent’s own, marks read once', async () => {
    const s = stores();
    const t0 = at(0).getTime();
    await s.notices.add({ id: 'n1', at: t0, sender: 'sup1', audience: { kind: 'group', group: 'front-line' }, title: 'Meeting', body: 'at 3' }, ['8004', '8003', '8003']);
    await s.notices.add({ id: 'n2', at: t0 + 5, sender: 'sup1', audience: { kind: 'agent', agentId: '8005' }, title: 'Hi' }, ['8005']);
    await s.notices.add({ id: 'n3', at: t0 + 9, sender: 'admin', audience: { kind: 'all' }, title: 'All' }, ['8003', '8005']);
    expect((await s.notices.list()).map((n) => n.id)).toEqual(['n3', 'n2', 'n1']);
    const mine = await s.notices.list({ agentId: '8003' });
    expect(mine.map((n) => n.id)).toEqual(['n3', 'n1']);
    expect(mine[1]).toEqual({ id: 'n1', at: t0, sender: 'sup1', audience: { kind: 'group', group: 'front-line' }, title: 'Meeting', body: 'at 3', recipients: [{ agentId: '8003' }, { agentId: '8004' }] });
    expect(await s.notices.markRead('n1', '8003', t0 + 100)).toBe(true);
    expect(await s.notices.markRead('n1', '8003', t0 + 200)).toBe(true);
    expect(await s.notices.markRead('n2', '8003', t0 + 100)).toBe(false);
    expect(await s.notices.markRead('nope', '8003', t0 + 100)).toBe(false);
    expect((await s.notices.list({ agentId: '8003' }))[1]!.recipients).toEqual([{ agentId: '8003', readAt: t0 + 100 }, { agentId: '8004' }]);
    expect(await s.notices.list({ agentId: '9999' })).toEqual([]);
  });
}
