import { describe, expect, it } from 'vitest';
import { audienceKey, parseAudience } from './notices.ts';
import { canMove, isOpen, moveTask, TASK_STATUSES, TaskError, type Task } from './tasks.ts';

const task: Task = { id: 't1', title: 'Call back', assignee: '8003', createdBy: 'sup1', createdAt: 1, status: 'assigned', updatedAt: 1 };

describe('task state machine (SUP-4)', () => {
  it('allows exactly assigned -> in-progress -> done', () => {
    const allowed = TASK_STATUSES.flatMap((from) => TASK_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}>${to}`));
    expect(allowed).toEqual(['assigned>in-progress', 'in-progress>done']);
    const started = moveTask(task, 'in-progress', 5);
    expect(started).toEqual({ ...task, status: 'in-progress', updatedAt: 5 });
    expect(moveTask(started, 'done', 9).status).toBe('done');
    expect(isOpen(started)).toBe(true);
    expect(isOpen(moveTask(started, 'done', 9))).toBe(false);
  });

  it('refuses any other move with the typed code and leaves the task as it was', () => {
    for (const [from, to] of [['assigned', 'done'], ['assigned', 'assigned'], ['done', 'in-progress'], ['in-progress', 'assigned']] as const) {
      const t = { ...task, status: from };
      try {
        moveTask(t, to, 5);
        expect.unreachable(`${from} -> ${to}`);
      } catch (e) {
        expect(e).toBeInstanceOf(TaskError);
        expect((e as TaskError).code).toBe('illegal-task-transition');
      }
      expect(t.status).toBe(from);
    }
  });

  it('notice audiences round-trip through their stored key', () => {
    for (const a of [{ kind: 'all' }, { kind: 'agent', agentId: '8003' }, { kind: 'group', group: 'front-line' }] as const) expect(parseAudience(audienceKey(a))).toEqual(a);
    expect(() => parseAudience('team:x')).toThrow();
    expect(() => parseAudience('agent:')).toThrow();
  });
});
