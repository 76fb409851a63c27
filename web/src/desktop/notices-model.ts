/**
 * Tasks and notices as the UI holds them (SUP-4), and the pure rules over
 * them: what an agent still has to read or do, the one next move of a task
 * (assigned -> in-progress -> done, as the server's state machine), and how
 * a board event from the stream (`task.assigned`, `task.updated`,
 * `notice.posted`, `notice.read`) changes the lists without a reload.
 */

export type TaskStatus = 'assigned' | 'in-progress' | 'done';

export interface BoardTask {
  id: string;
  title: string;
  detail?: string;
  due?: string;
  assignee: string;
  createdBy: string;
  createdAt: string;
  status: TaskStatus;
  updatedAt: string;
}

export type NoticeAudience = 'all' | { agent: string } | { group: string };

export interface BoardNotice {
  id: string;
  at: string;
  sender: string;
  audience: NoticeAudience;
  title: string;
  body?: string;
  recipients: { agentId: string; readAt?: string }[];
}

export interface BoardState {
  tasks: BoardTask[];
  notices: BoardNotice[];
}

export const BOARD_EVENT_TYPES: ReadonlySet<string> = new Set(['task.assigned', 'task.updated', 'notice.posted', 'notice.read']);

/** The next status of a task, if it has one. */
export function nextStatus(s: TaskStatus): TaskStatus | undefined {
  return s === 'assigned' ? 'in-progress' : s === 'in-progress' ? 'done' : undefined;
}

export function unreadFor(notices: readonly BoardNotice[], agentId: string): BoardNotice[] {
  return notices.filter((n) => n.recipients.some((r) => r.agentId === agentId && r.readAt === undefined));
}

export function openTasksFor(tasks: readonly BoardTask[], agentId: string): BoardTask[] {
  return tasks.filter((t) => t.assignee === agentId && t.status !== 'done');
}

/** How many of a notice's recipients have acknowledged it. */
export function readCount(n: BoardNotice): { read: number; of: number } {
  return { read: n.recipients.filter((r) => r.readAt !== undefined).length, of: n.recipients.length };
}

const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : new Date().toISOString());

/** A stream task (epoch-ms fields, `dueAt`) as the API's DTO. */
function taskOf(t: Record<string, unknown>): BoardTask {
  return {
    id: String(t['id']),
    title: String(t['title']),
    ...(typeof t['detail'] === 'string' ? { detail: t['detail'] } : {}),
    ...(typeof t['dueAt'] === 'number' ? { due: iso(t['dueAt']) } : {}),
    assignee: String(t['assignee']),
    createdBy: String(t['createdBy']),
    createdAt: iso(t['createdAt']),
    status: t['status'] as TaskStatus,
    updatedAt: iso(t['updatedAt']),
  };
}

function noticeOf(n: Record<string, unknown>): BoardNotice {
  const a = n['audience'] as { kind: string; agentId?: string; group?: string };
  const audience: NoticeAudience = a.kind === 'agent' ? { agent: a.agentId ?? '' } : a.kind === 'group' ? { group: a.group ?? '' } : 'all';
  return {
    id: String(n['id']),
    at: iso(n['at']),
    sender: String(n['sender']),
    audience,
    title: String(n['title']),
    ...(typeof n['body'] === 'string' ? { body: n['body'] } : {}),
    recipients: ((n['recipients'] as { agentId: string; readAt?: number }[]) ?? []).map((r) => ({ agentId: r.agentId, ...(r.readAt !== undefined ? { readAt: iso(r.readAt) } : {}) })),
  };
}

/** The lists after one stream frame; other frames leave them as they are. */
export function applyBoardFrame(state: BoardState, frame: { type: string; at?: number; [k: string]: unknown }): BoardState {
  if (frame.type === 'task.assigned' || frame.type === 'task.updated') {
    const t = taskOf(frame['task'] as Record<string, unknown>);
    const rest = state.tasks.filter((x) => x.id !== t.id);
    return { ...state, tasks: state.tasks.some((x) => x.id === t.id) ? state.tasks.map((x) => (x.id === t.id ? t : x)) : [t, ...rest] };
  }
  if (frame.type === 'notice.posted') {
    const n = noticeOf(frame['notice'] as Record<string, unknown>);
    return state.notices.some((x) => x.id === n.id) ? state : { ...state, notices: [n, ...state.notices] };
  }
  if (frame.type === 'notice.read') {
    const id = String(frame['noticeId']);
    const agentId = String(frame['agentId']);
    const readAt = iso(frame.at);
    return {
      ...state,
      notices: state.notices.map((n) => (n.id !== id ? n : { ...n, recipients: n.recipients.map((r) => (r.agentId === agentId && r.readAt === undefined ? { ...r, readAt } : r)) })),
    };
  }
  return state;
}
