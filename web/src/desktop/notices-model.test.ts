import { describe, expect, it } from 'vitest';
import { applyBoardFrame, nextStatus, openTasksFor, readCount, unreadFor, type BoardState } from './notices-model.ts';

const T = Date.UTC(2026, 11, 6, 9, 0);
const empty: BoardState = { tasks: [], notices: [] };

describe('desk reminders from board events (SUP-4)', () => {
  it('a posted notice is unread for its recipients until their read event', () => {
    let s = applyBoardFrame(empty, { type: 'notice.posted', at: T, notice: { id: 'n1', at: T, sender: 'sup1', audience: { kind: 'group', group: 'front-line' }, title: 'Meeting', recipients: [{ agentId: '8003' }, { agentId: '8004' }] } });
    s = applyBoardFrame(s, { type: 'notice.posted', at: T, notice: { id: 'n1', at: T, sender: 'sup1', audience: { kind: 'all' }, title: 'dup', recipients: [] } });
    expect(s.notices).toEqual([{ id: 'n1', at: new Date(T).toISOString(), sender: 'sup1', audience: { group: 'front-line' }, title: 'Meeting', recipients: [{ agentId: '8003' }, { agentId: '8004' }] }]);
    expect(unreadFor(s.notices, '8003').map((n) => n.id)).toEqual(['n1']);
    expect(unreadFor(s.notices, '8005')).toEqual([]);
    s = applyBoardFrame(s, { type: 'notice.read', at: T + 5, noticeId: 'n1', agentId: '8003' });
    expect(unreadFor(s.notices, '8003')).toEqual([]);
    expect(unreadFor(s.notices, '8004').length).toBe(1);
    expect(readCount(s.notices[0]!)).toEqual({ read: 1, of: 2 });
  });

  it('tasks are added, then replaced by their updates; done ones are no longer open', () => {
    const task = { id: 't1', title: 'Call back', assignee: '8003', createdBy: 'sup1', createdAt: T, status: 'assigned', updatedAt: T, dueAt: T + 60_000 };
    let s = applyBoardFrame(empty, { type: 'task.assigned', at: T, task });
    expect(s.tasks[0]).toMatchObject({ id: 't1', status: 'assigned', due: new Date(T + 60_000).toISOString() });
    expect(openTasksFor(s.tasks, '8003').length).toBe(1);
    s = applyBoardFrame(s, { type: 'task.updated', at: T + 1, task: { ...task, status: 'in-progress', updatedAt: T + 1 } });
    s = applyBoardFrame(s, { type: 'task.updated', at: T + 2, task: { ...task, status: 'done', updatedAt: T + 2 } });
    expect(s.tasks.map((t) => t.status)).toEqual(['done']);
    expect(openTasksFor(s.tasks, '8003')).toEqual([]);
    expect(applyBoardFrame(s, { type: 'agent-state', at: T })).toBe(s);
  });

  it('the next move follows the state machine', () => {
    expect([nextStatus('assigned'), nextStatus('in-progress'), nextStatus('done')]).toEqual(['in-progress', 'done', undefined]);
  });
});
