/**
 * Tasks and notices over HTTP (SUP-4): supervisors give an agent a task and
 * follow its status; the agent moves its own task assigned -> in-progress ->
 * done (any other move: 409 `illegal-task-transition`). Supervisors send a
 * notice to one agent, a group or everyone; agents list theirs and
 * acknowledge them. Each change is also pushed on the event stream
 * (`task.assigned`, `task.updated`, `notice.posted`, `notice.read`) to the
 * agents concerned and to supervisors.
 */
import { z } from 'zod';
import type { BoardActor, DeskBoard } from '../../messaging/desk-board.ts';
import { BoardError } from '../../messaging/desk-board.ts';
import type { NoticeAudience, NoticeWithRecipients } from '../../messaging/notices.ts';
import { TASK_STATUSES, TaskError, type Task } from '../../messaging/tasks.ts';
import type { User } from '../../store/user-store.ts';
import { ApiError } from '../api-error.ts';
import { authenticate } from '../auth.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** An ApiError with the board's own typed code in the body. */
class BoardApiError extends ApiError {
  constructor(typedCode: string, message: string, status: 403 | 404 | 409) {
    super(status === 403 ? 'forbidden' : status === 404 ? 'not-found' : 'already-exists', message);
    Object.defineProperty(this, 'code', { value: typedCode, enumerable: true });
  }
}

const STATUS_OF: Record<TaskError['code'] | BoardError['code'], 403 | 404 | 409> = {
  'illegal-task-transition': 409,
  'task-not-yours': 403,
  'no-such-task': 404,
  'unknown-agent': 404,
  'unknown-group': 404,
  'no-such-notice': 404,
  'no-recipients': 409,
};

async function boardCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TaskError || err instanceof BoardError) throw new BoardApiError(err.code, err.message, STATUS_OF[err.code]);
    throw err;
  }
}

const actorOf = (u: User): BoardActor => ({ username: u.username, role: u.role });

export const TaskDto = z
  .object({
    id: z.string(),
    title: z.string(),
    detail: z.string().optional(),
    due: z.string().optional(),
    assignee: z.string().describe('agent id'),
    createdBy: z.string(),
    createdAt: z.string(),
    status: z.enum(TASK_STATUSES),
    updatedAt: z.string(),
  })
  .meta({ id: 'Task' });

export function taskDto(t: Task): z.infer<typeof TaskDto> {
  return {
    id: t.id,
    title: t.title,
    ...(t.detail !== undefined ? { detail: t.detail } : {}),
    ...(t.dueAt !== undefined ? { due: iso(t.dueAt) } : {}),
    assignee: t.assignee,
    createdBy: t.createdBy,
    createdAt: iso(t.createdAt),
    status: t.status,
    updatedAt: iso(t.updatedAt),
  };
}

const AudienceSchema = z
  .union([z.literal('all'), z.object({ agent: z.string().min(1).max(64) }).strict(), z.object({ group: z.string().min(1).max(64) }).strict()])
  .describe('"all", {"agent": id or extension} or {"group": name}');

export const NoticeDto = z
  .object({
    id: z.string(),
    at: z.string(),
    sender: z.string(),
    audience: AudienceSchema,
    title: z.string(),
    body: z.string().optional(),
    recipients: z.array(z.object({ agentId: z.string(), readAt: z.string().optional() })),
  })
  .meta({ id: 'Notice' });

function audienceDto(a: NoticeAudience): z.infer<typeof AudienceSchema> {
  return a.kind === 'all' ? 'all' : a.kind === 'agent' ? { agent: a.agentId } : { group: a.group };
}

export function noticeDto(n: NoticeWithRecipients): z.infer<typeof NoticeDto> {
  return {
    id: n.id,
    at: iso(n.at),
    sender: n.sender,
    audience: audienceDto(n.audience),
    title: n.title,
    ...(n.body !== undefined ? { body: n.body } : {}),
    recipients: n.recipients.map((r) => ({ agentId: r.agentId, ...(r.readAt !== undefined ? { readAt: iso(r.readAt) } : {}) })),
  };
}

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'must be an ISO 8601 instant' });

export const NewTaskBody = z
  .object({ assignee: z.string().min(1).max(64).describe('agent id or extension'), title: z.string().min(1).max(200), detail: z.string().max(4000).optional(), due: instant.optional() })
  .strict()
  .meta({ id: 'NewTask' });
export const TaskStatusBody = z.object({ status: z.enum(TASK_STATUSES) }).strict().meta({ id: 'TaskStatusChange' });
export const NewNoticeBody = z
  .object({ audience: AudienceSchema, title: z.string().min(1).max(200), body: z.string().max(4000).optional() })
  .strict()
  .meta({ id: 'NewNotice' });
const IdParams = z.object({ id: z.string().min(1).max(64) });
const TaskQuery = z.object({ assignee: z.string().min(1).max(64).optional().describe('supervisors: one agent'), status: z.enum(TASK_STATUSES).optional() }).strict();

const common = { 401: { description: 'no valid token', schema: ErrorBody } };
const supervisorOnly = { ...common, 403: { description: 'requires role supervisor', schema: ErrorBody } };
const BoardErrorBody = z
  .object({ error: z.object({ code: z.string().describe('illegal-task-transition, task-not-yours, no-such-task, unknown-agent, unknown-group, no-such-notice, no-recipients'), message: z.string() }) })
  .meta({ id: 'BoardError' });

function toAudience(a: z.infer<typeof AudienceSchema>): NoticeAudience {
  if (a === 'all') return { kind: 'all' };
  return 'agent' in a ? { kind: 'agent', agentId: a.agent } : { kind: 'group', group: a.group };
}

export function taskNoticeRoutes(board: DeskBoard): RouteDef[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/tasks',
      summary: 'Give an agent a task (title, detail, due); it starts as assigned and is pushed to the agent (SUP-4)',
      tag: 'tasks',
      role: 'supervisor',
      body: NewTaskBody,
      responses: { 201: { description: 'assigned', schema: TaskDto }, 400: { description: 'invalid input', schema: ErrorBody }, 404: { description: 'no such agent', schema: BoardErrorBody }, ...supervisorOnly },
      async handler({ deps, req, body }) {
        const user = await authenticate(req, deps, 'supervisor');
        const task = await boardCall(() => board.assignTask({ assignee: body.assignee, title: body.title, detail: body.detail, dueAt: body.due !== undefined ? Date.parse(body.due) : undefined }, user.username));
        return { status: 201, body: taskDto(task) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tasks',
      summary: 'Tasks newest first: an agent gets its own, supervisors all (or one agent’s) with their status (SUP-4)',
      tag: 'tasks',
      role: 'agent',
      query: TaskQuery,
      responses: { 200: { description: 'tasks', schema: z.array(TaskDto) }, ...common },
      async handler({ deps, req, query }) {
        const user = await authenticate(req, deps, 'agent');
        return { status: 200, body: (await board.tasks(actorOf(user), query)).map(taskDto) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tasks/:id/status',
      summary: 'Move a task: assigned -> in-progress -> done. Agents move their own; any other move is refused (SUP-4)',
      tag: 'tasks',
      role: 'agent',
      params: IdParams,
      body: TaskStatusBody,
      responses: {
        200: { description: 'the task after the move', schema: TaskDto },
        403: { description: 'task-not-yours', schema: BoardErrorBody },
        404: { description: 'no-such-task', schema: BoardErrorBody },
        409: { description: 'illegal-task-transition: the state machine has no such move', schema: BoardErrorBody },
        ...common,
      },
      async handler({ deps, req, params, body }) {
        const user = await authenticate(req, deps, 'agent');
        return { status: 200, body: taskDto(await boardCall(() => board.moveTask(params.id, body.status, actorOf(user)))) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/notices',
      summary: 'Send a notice to one agent, an agent group or all agents; pushed to them at once, kept until acknowledged (SUP-4)',
      tag: 'notices',
      role: 'supervisor',
      body: NewNoticeBody,
      responses: {
        201: { description: 'sent, with its recipients', schema: NoticeDto },
        400: { description: 'invalid input', schema: ErrorBody },
        404: { description: 'unknown-agent or unknown-group', schema: BoardErrorBody },
        409: { description: 'no-recipients', schema: BoardErrorBody },
        ...supervisorOnly,
      },
      async handler({ deps, req, body }) {
        const user = await authenticate(req, deps, 'supervisor');
        return { status: 201, body: noticeDto(await boardCall(() => board.postNotice({ audience: toAudience(body.audience), title: body.title, body: body.body }, user.username))) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/notices',
      summary: 'Notices newest first: an agent gets those sent to it, supervisors all, each with who has acknowledged it (SUP-4)',
      tag: 'notices',
      role: 'agent',
      responses: { 200: { description: 'notices', schema: z.array(NoticeDto) }, ...common },
      async handler({ deps, req }) {
        const user = await authenticate(req, deps, 'agent');
        return { status: 200, body: (await board.notices(actorOf(user))).map(noticeDto) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/agent-groups',
      summary: 'The agent groups and their members, to address a notice to a group (SUP-4)',
      tag: 'notices',
      role: 'supervisor',
      responses: { 200: { description: 'groups by name', schema: z.array(z.object({ group: z.string(), agents: z.array(z.string()) })) }, ...supervisorOnly },
      async handler() {
        return { status: 200, body: board.groups() };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/notices/:id/ack',
      summary: 'The signed-in agent acknowledges (has read) a notice sent to it (SUP-4)',
      tag: 'notices',
      role: 'agent',
      params: IdParams,
      responses: { 204: { description: 'acknowledged' }, 404: { description: 'no-such-notice for this agent', schema: BoardErrorBody }, ...common },
      async handler({ deps, req, params }) {
        const user = await authenticate(req, deps, 'agent');
        await boardCall(() => board.acknowledge(params.id, actorOf(user)));
        return { status: 204 };
      },
    }),
  ];
}
