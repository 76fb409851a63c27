/** What the task and notice board needs kept (src/store implements it on SQLite and PostgreSQL). */
import type { Notice, NoticeWithRecipients } from './notices.ts';
import type { Task, TaskStatus } from './tasks.ts';

export interface TaskStore {
  put(task: Task): Promise<void>;
  get(id: string): Promise<Task | undefined>;
  /** Newest first; by assignee and/or status when given. */
  list(q?: { assignee?: string; status?: TaskStatus; limit?: number }): Promise<Task[]>;
}

export interface NoticeStore {
  /** Stores the notice with its recipients, all unread. */
  add(notice: Notice, recipients: readonly string[]): Promise<void>;
  /** Newest first, with recipients; only those sent to `agentId` when given. */
  list(q?: { agentId?: string; limit?: number }): Promise<NoticeWithRecipients[]>;
  /** Marks it read by the agent at `at` (the first time only); false when the agent is not a recipient. */
  markRead(noticeId: string, agentId: string, at: number): Promise<boolean>;
}
