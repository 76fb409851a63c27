/**
 * Tasks and notices of the supervisors' board (SUP-4) in tables `tasks`,
 * `notices` and `notice_recipients`, on SQLite and PostgreSQL alike. Tables,
 * not the meta store's JSON documents: both grow with use and are read by
 * recipient and status, and a read receipt is one row's update.
 */
import type { Kysely, Selectable } from 'kysely';
import type { NoticeStore, TaskStore } from '../messaging/ports.ts';
import { parseAudience, audienceKey, type Notice, type NoticeWithRecipients } from '../messaging/notices.ts';
import type { Task, TaskStatus } from '../messaging/tasks.ts';
import type { HotlineDatabase, TaskTable } from './schema.ts';

function toTask(r: Selectable<TaskTable>): Task {
  const t: Task = {
    id: r.id,
    title: r.title,
    assignee: r.assignee,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    status: r.status as TaskStatus,
    updatedAt: Number(r.updated_at),
  };
  if (r.detail !== null) t.detail = r.detail;
  if (r.due_at !== null) t.dueAt = Number(r.due_at);
  return t;
}

export class KyselyTaskStore implements TaskStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async put(t: Task): Promise<void> {
    const row = {
      id: t.id,
      title: t.title,
      detail: t.detail ?? null,
      due_at: t.dueAt ?? null,
      assignee: t.assignee,
      created_by: t.createdBy,
      created_at: t.createdAt,
      status: t.status,
      updated_at: t.updatedAt,
    };
    const { id: _id, ...rest } = row;
    await this.db
      .insertInto('tasks')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  }

  async get(id: string): Promise<Task | undefined> {
    const r = await this.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTask(r) : undefined;
  }

  async list(q: { assignee?: string; status?: TaskStatus; limit?: number } = {}): Promise<Task[]> {
    let s = this.db.selectFrom('tasks').selectAll();
    if (q.assignee !== undefined) s = s.where('assignee', '=', q.assignee);
    if (q.status !== undefined) s = s.where('status', '=', q.status);
    s = s.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (q.limit !== undefined) s = s.limit(Math.max(0, Math.floor(q.limit)));
    return (await s.execute()).map(toTask);
  }
}

export class KyselyNoticeStore implements NoticeStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async add(n: Notice, recipients: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('notices')
        .values({ id: n.id, at: n.at, sender: n.sender, audience: audienceKey(n.audience), title: n.title, body: n.body ?? null })
        .execute();
      const unique = [...new Set(recipients)];
      if (unique.length) await tx.insertInto('notice_recipients').values(unique.map((agent_id) => ({ notice_id: n.id, agent_id, read_at: null }))).execute();
    });
  }

  async list(q: { agentId?: string; limit?: number } = {}): Promise<NoticeWithRecipients[]> {
    let s = this.db.selectFrom('notices').selectAll();
    if (q.agentId !== undefined) {
      const agentId = q.agentId;
      s = s.where('id', 'in', (eb) => eb.selectFrom('notice_recipients').select('notice_id').where('agent_id', '=', agentId));
    }
    s = s.orderBy('at', 'desc').orderBy('id', 'desc');
    if (q.limit !== undefined) s = s.limit(Math.max(0, Math.floor(q.limit)));
    const rows = await s.execute();
    if (!rows.length) return [];
    const recips = await this.db
      .selectFrom('notice_recipients')
      .selectAll()
      .where(
        'notice_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('agent_id')
      .execute();
    const byNotice = new Map<string, { agentId: string; readAt?: number }[]>();
    for (const r of recips) {
      const list = byNotice.get(r.notice_id) ?? [];
      list.push(r.read_at === null ? { agentId: r.agent_id } : { agentId: r.agent_id, readAt: Number(r.read_at) });
      byNotice.set(r.notice_id, list);
    }
    return rows.map((r) => {
      const n: NoticeWithRecipients = { id: r.id, at: Number(r.at), sender: r.sender, audience: parseAudience(r.audience), title: r.title, recipients: byNotice.get(r.id) ?? [] };
      if (r.body !== null) n.body = r.body;
      return n;
    });
  }

  async markRead(noticeId: string, agentId: string, at: number): Promise<boolean> {
    const row = await this.db.selectFrom('notice_recipients').select('read_at').where('notice_id', '=', noticeId).where('agent_id', '=', agentId).executeTakeFirst();
    if (!row) return false;
    if (row.read_at === null) {
      await this.db.updateTable('notice_recipients').set({ read_at: at }).where('notice_id', '=', noticeId).where('agent_id', '=', agentId).where('read_at', 'is', null).execute();
    }
    return true;
  }
}
