/**
 * The supervisors' board (SUP-4): tasks given to agents and notices sent to
 * one agent, a group or everyone, kept in the store so a restart keeps them,
 * and announced as they happen (`task.assigned`, `task.updated`,
 * `notice.posted`, `notice.read`), each naming the agents it concerns in
 * `recipients` so the event stream delivers it only to them and to
 * supervisors.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { audienceKey, type Notice, type NoticeAudience, type NoticeWithRecipients } from './notices.ts';
import type { NoticeStore, TaskStore } from './ports.ts';
import { moveTask, TaskError, type Task, type TaskStatus } from './tasks.ts';

/** An agent as the board sees it: who it is and which groups it is in. */
export interface BoardAgent {
  id: string;
  extension: string;
  groups: readonly string[];
}

export type DeskEvent =
  | { type: 'task.assigned'; at: number; recipients: string[]; task: Task }
  | { type: 'task.updated'; at: number; recipients: string[]; task: Task; from: TaskStatus; by: string }
  | { type: 'notice.posted'; at: number; recipients: string[]; notice: NoticeWithRecipients }
  | { type: 'notice.read'; at: number; recipients: string[]; noticeId: string; agentId: string };


export interface DeskBoardOptions {
  tasks: TaskStore;
  notices: NoticeStore;
  clock: Clock;
  /** The agents there are now (the ACD's). */
  agents(): readonly BoardAgent[];
  /** ADM-1: the administered agent groups, listed even before any agent carries them. */
  knownGroups?(): readonly string[];
  newId?: () => string;
}

export interface NewTask {
  title: string;
  detail?: string | undefined;
  dueAt?: number | undefined;
  /** Agent id or extension. */
  assignee: string;
}

export interface NewNotice {
  audience: NoticeAudience;
  title: string;
  body?: string | undefined;
}

/** Who asks: an agent acts on its own tasks and notices only. */
export interface BoardActor {
  username: string;
  role: 'agent' | 'supervisor' | 'admin';
}

export class BoardError extends Error {
  constructor(
    readonly code: 'unknown-agent' | 'unknown-group' | 'no-recipients' | 'no-such-notice',
    message: string,
  ) {
    super(message);
    this.name = 'BoardError';
  }
}

export class DeskBoard {
  private readonly listeners = new Set<(e: DeskEvent) => void>();
  private readonly newId: () => string;

  constructor(private readonly o: DeskBoardOptions) {
    this.newId = o.newId ?? randomUUID;
  }

  /** Every board event as it happens; returns the unsubscribe. */
  onEvent(listener: (e: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The agent id a user or extension stands for, if it is an agent. */
  agentIdOf(usernameOrExtension: string): string | undefined {
    const agents = this.o.agents();
    return (agents.find((a) => a.id === usernameOrExtension) ?? agents.find((a) => a.extension === usernameOrExtension))?.id;
  }

  /** Every agent group with its members, by name (what a notice can be sent to): the administered ones and any an agent carries. */
  groups(): { group: string; agents: string[] }[] {
    const by = new Map<string, string[]>((this.o.knownGroups?.() ?? []).map((g) => [g, []]));
    for (const a of this.o.agents()) for (const g of a.groups) by.set(g, [...(by.get(g) ?? []), a.id]);
    return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, agents]) => ({ group, agents }));
  }

  async assignTask(t: NewTask, by: string): Promise<Task> {
    const assignee = this.agentIdOf(t.assignee);
    if (!assignee) throw new BoardError('unknown-agent', `no agent ${t.assignee}`);
    const now = this.o.clock.now();
    const task: Task = {
      id: this.newId(),
      title: t.title,
      ...(t.detail !== undefined ? { detail: t.detail } : {}),
      ...(t.dueAt !== undefined ? { dueAt: t.dueAt } : {}),
      assignee,
      createdBy: by,
      createdAt: now,
      status: 'assigned',
      updatedAt: now,
    };
    await this.o.tasks.put(task);
    this.emit({ type: 'task.assigned', at: now, recipients: [assignee], task });
    return task;
  }

  /** Moves a task along its state machine; an agent may move only its own. */
  async moveTask(id: string, to: TaskStatus, actor: BoardActor): Promise<Task> {
    const task = await this.o.tasks.get(id);
    if (!task) throw new TaskError('no-such-task', `no task ${id}`);
    if (actor.role === 'agent' && this.agentIdOf(actor.username) !== task.assignee) throw new TaskError('task-not-yours', `task ${id} is assigned to ${task.assignee}`);
    const now = this.o.clock.now();
    const next = moveTask(task, to, now);
    await this.o.tasks.put(next);
    this.emit({ type: 'task.updated', at: now, recipients: [task.assignee], task: next, from: task.status, by: actor.username });
    return next;
  }

  /** Tasks newest first: an agent gets its own, a supervisor all (or one agent's). */
  async tasks(actor: BoardActor, q: { assignee?: string | undefined; status?: TaskStatus | undefined } = {}): Promise<Task[]> {
    const assignee = actor.role === 'agent' ? (this.agentIdOf(actor.username) ?? actor.username) : q.assignee !== undefined ? (this.agentIdOf(q.assignee) ?? q.assignee) : undefined;
    return this.o.tasks.list({ ...(assignee !== undefined ? { assignee } : {}), ...(q.status ? { status: q.status } : {}), limit: 500 });
  }

  async postNotice(n: NewNotice, by: string): Promise<NoticeWithRecipients> {
    const recipients = this.recipientsOf(n.audience);
    const now = this.o.clock.now();
    const notice: Notice = { id: this.newId(), at: now, sender: by, audience: n.audience, title: n.title, ...(n.body !== undefined ? { body: n.body } : {}) };
    await this.o.notices.add(notice, recipients);
    const full: NoticeWithRecipients = { ...notice, recipients: recipients.map((agentId) => ({ agentId })) };
    this.emit({ type: 'notice.posted', at: now, recipients, notice: full });
    return full;
  }

  /** Notices newest first: an agent gets those sent to it, a supervisor all. */
  async notices(actor: BoardActor): Promise<NoticeWithRecipients[]> {
    if (actor.role !== 'agent') return this.o.notices.list({ limit: 500 });
    return this.o.notices.list({ agentId: this.agentIdOf(actor.username) ?? actor.username, limit: 500 });
  }

  /** The agent acknowledges (has read) a notice sent to it. */
  async acknowledge(noticeId: string, actor: BoardActor): Promise<void> {
    const agentId = this.agentIdOf(actor.username) ?? actor.username;
    const now = this.o.clock.now();
    if (!(await this.o.notices.markRead(noticeId, agentId, now))) throw new BoardError('no-such-notice', `no notice ${noticeId} for ${agentId}`);
    this.emit({ type: 'notice.read', at: now, recipients: [agentId], noticeId, agentId });
  }

  private recipientsOf(a: NoticeAudience): string[] {
    const agents = this.o.agents();
    if (a.kind === 'all') {
      if (!agents.length) throw new BoardError('no-recipients', 'there are no agents');
      return agents.map((x) => x.id);
    }
    if (a.kind === 'agent') {
      const id = this.agentIdOf(a.agentId);
      if (!id) throw new BoardError('unknown-agent', `no agent ${a.agentId}`);
      return [id];
    }
    const members = agents.filter((x) => x.groups.includes(a.group)).map((x) => x.id);
    if (!members.length) throw new BoardError('unknown-group', `no agent is in group ${a.group} (${audienceKey(a)})`);
    return members;
  }

  private emit(e: DeskEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own; the change is already kept
      }
    }
  }
}
