/**
 * Every agent, supervisor and admin action through the API goes into the
 * operation log (ADM-3): one hook sees each mutating request under /api/v1
 * (POST, PUT, PATCH, DELETE) of a signed-in user, and sign-in and sign-out
 * whether they succeed or not, and writes one entry: when, who (and their
 * role), the action and its target from the one table below, the outcome
 * (`ok` or the typed error code), the request's non-secret input, the
 * source address. A route may add richer entries of its own with
 * auditNote(); when it succeeds those are written instead of the generic
 * one. Writing never fails or delays the answer (audit-recorder.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashBearerToken } from '../../store/password-hash.ts';
import type { AuditRecord } from '../../store/audit-store.ts';
import type { User } from '../../store/user-store.ts';
import type { ApiDeps } from '../api-deps.ts';
import type { AuditRecorder } from './audit-recorder.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SUPERVISION = new Set(['monitor', 'whisper', 'barge', 'intercept', 'force-release']);

interface RuleInput {
  /** The route's last path segment where the rule has `{op}`. */
  op: string;
  params: Record<string, string>;
  body: Record<string, unknown>;
}

export interface AuditRule {
  method: string;
  /** The route's path; a `{op}` segment matches any one literal segment. */
  path: string;
  action: string | ((i: RuleInput) => string);
  /** The target: a path parameter's name, or a function of the input. */
  target?: string | ((i: RuleInput) => string | undefined);
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** Route -> action name and target; the first rule that matches wins. */
export const AUDIT_RULES: readonly AuditRule[] = [
  { method: 'POST', path: '/api/v1/session', action: 'session.sign-in', target: (i) => str(i.body['username']) },
  { method: 'DELETE', path: '/api/v1/session', action: 'session.sign-out' },
  { method: 'POST', path: '/api/v1/admin/agents', action: 'agent.create', target: (i) => str(i.body['extension']) },
  { method: 'PATCH', path: '/api/v1/admin/agents/:id', action: 'agent.update', target: 'id' },
  { method: 'POST', path: '/api/v1/admin/queues', action: 'queue.create', target: (i) => str(i.body['id']) },
  { method: 'PATCH', path: '/api/v1/admin/queues/:id', action: 'queue.update', target: 'id' },
  { method: 'PUT', path: '/api/v1/admin/hours/:id', action: 'hours.replace', target: 'id' },
  { method: 'PATCH', path: '/api/v1/admin/entry-points/:id', action: 'entry-point.update', target: 'id' },
  { method: 'PATCH', path: '/api/v1/admin/ivr-entry-points/:dnis', action: 'ivr-entry-point.update', target: 'dnis' },
  { method: 'POST', path: '/api/v1/admin/trunks', action: 'trunk.create', target: (i) => str(i.body['id']) },
  { method: 'PATCH', path: '/api/v1/admin/trunks/:id', action: 'trunk.update', target: 'id' },
  { method: 'DELETE', path: '/api/v1/admin/trunks/:id', action: 'trunk.delete', target: 'id' },
  { method: 'POST', path: '/api/v1/admin/branches', action: 'branch.create', target: (i) => str(i.body['id']) },
  { method: 'PATCH', path: '/api/v1/admin/branches/:id', action: 'branch.update', target: 'id' },
  { method: 'DELETE', path: '/api/v1/admin/branches/:id', action: 'branch.delete', target: 'id' },
  { method: 'POST', path: '/api/v1/admin/agent-groups', action: 'agent-group.create', target: (i) => str(i.body['id']) },
  { method: 'PATCH', path: '/api/v1/admin/agent-groups/:id', action: 'agent-group.update', target: 'id' },
  { method: 'DELETE', path: '/api/v1/admin/agent-groups/:id', action: 'agent-group.delete', target: 'id' },
  { method: 'POST', path: '/api/v1/admin/customer-classes', action: 'customer-class.create', target: (i) => str(i.body['id']) },
  { method: 'PATCH', path: '/api/v1/admin/customer-classes/:id', action: 'customer-class.update', target: 'id' },
  { method: 'DELETE', path: '/api/v1/admin/customer-classes/:id', action: 'customer-class.delete', target: 'id' },
  { method: 'POST', path: '/api/v1/admin/ticket-types', action: 'ticket-type.create', target: (i) => str(i.body['id']) },
  { method: 'PATCH', path: '/api/v1/admin/ticket-types/:id', action: 'ticket-type.update', target: 'id' },
  { method: 'DELETE', path: '/api/v1/admin/ticket-types/:id', action: 'ticket-type.delete', target: 'id' },
  { method: 'POST', path: '/api/v1/admin/roles', action: 'role.create', target: (i) => str(i.body['id']) },
  { method: 'PATCH', path: '/api/v1/admin/roles/:id', action: 'role.update', target: 'id' },
  { method: 'DELETE', path: '/api/v1/admin/roles/:id', action: 'role.delete', target: 'id' },
  { method: 'PUT', path: '/api/v1/admin/users/:username/role', action: 'user.role', target: 'username' },
  { method: 'POST', path: '/api/v1/agents/:id/{op}', action: (i) => (SUPERVISION.has(i.op) ? `supervise.${i.op}` : `agent.${i.op}`), target: 'id' },
  { method: 'POST', path: '/api/v1/calls', action: 'call.dial', target: (i) => str(i.body['number']) },
  { method: 'POST', path: '/api/v1/interactions/:id/recording/{op}', action: (i) => `interaction.recording-${i.op}`, target: 'id' },
  { method: 'POST', path: '/api/v1/interactions/:id/{op}', action: (i) => `interaction.${i.op}`, target: 'id' },
  { method: 'PUT', path: '/api/v1/wrap-up/categories', action: 'wrap-up-categories.replace' },
  { method: 'PUT', path: '/api/v1/routing-rules', action: 'routing-rules.apply' },
  { method: 'POST', path: '/api/v1/routing-rules/rollback', action: 'routing-rules.rollback', target: (i) => str(i.body['version']) },
  { method: 'POST', path: '/api/v1/blacklist', action: 'blacklist.add', target: (i) => str(i.body['number']) },
  { method: 'DELETE', path: '/api/v1/blacklist/:number', action: 'blacklist.remove', target: 'number' },
  { method: 'DELETE', path: '/api/v1/security/bans/:address', action: 'ban.lift', target: 'address' },
  { method: 'POST', path: '/api/v1/sip-users', action: 'sip-user.create', target: (i) => str(i.body['ext']) },
  { method: 'DELETE', path: '/api/v1/sip-users/:ext', action: 'sip-user.delete', target: 'ext' },
  { method: 'PUT', path: '/api/v1/ivr/notices', action: 'ivr-notices.replace' },
  { method: 'POST', path: '/api/v1/tasks', action: 'task.assign', target: (i) => str(i.body['assignee']) },
  { method: 'POST', path: '/api/v1/tasks/:id/status', action: (i) => `task.${str(i.body['status']) ?? 'status'}`, target: 'id' },
  { method: 'POST', path: '/api/v1/notices', action: 'notice.post', target: (i) => audienceTarget(i.body['audience']) },
  { method: 'POST', path: '/api/v1/notices/:id/ack', action: 'notice.ack', target: 'id' },
];

function audienceTarget(a: unknown): string | undefined {
  if (a === 'all') return 'all';
  if (a && typeof a === 'object') {
    const o = a as Record<string, unknown>;
    if (typeof o['agent'] === 'string') return `agent:${o['agent']}`;
    if (typeof o['group'] === 'string') return `group:${o['group']}`;
  }
  return undefined;
}

/** The action and target of a request to `routePath`, from the table (or named after the route when it is not listed). */
export function auditActionOf(method: string, routePath: string, params: Record<string, string>, body: Record<string, unknown>): { action: string; target?: string } {
  const segs = routePath.split('/');
  for (const r of AUDIT_RULES) {
    if (r.method !== method) continue;
    const rs = r.path.split('/');
    if (rs.length !== segs.length) continue;
    let op = '';
    if (!rs.every((s, i) => (s === '{op}' ? ((op = segs[i]!), !segs[i]!.startsWith(':')) : s === segs[i]))) continue;
    const input: RuleInput = { op, params, body };
    const action = typeof r.action === 'string' ? r.action : r.action(input);
    const target = r.target === undefined ? undefined : typeof r.target === 'string' ? params[r.target] : r.target(input);
    return target === undefined ? { action } : { action, target };
  }
  const first = Object.values(params)[0];
  return { action: `${method.toLowerCase()} ${routePath}`, ...(first !== undefined ? { target: first } : {}) };
}

const SECRET = /pass|secret|token|pin|credential/i;
const MAX_DETAIL_CHARS = 4000;

/** The request's input without secrets, and not too long to keep. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET.test(k) ? '***' : redact(v, depth + 1);
    return out;
  }
  return value;
}

export interface AuditNote {
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
}

interface RequestAudit {
  user?: User;
  notes: AuditNote[];
  error?: { code?: string; message?: string };
}

const perRequest = new WeakMap<FastifyRequest, RequestAudit>();

/** A route's own, richer entry for this request (written instead of the generic one when the request succeeds). */
export function auditNote(req: FastifyRequest, note: AuditNote): void {
  perRequest.get(req)?.notes.push(note);
}

async function userOf(req: FastifyRequest, deps: ApiDeps): Promise<User | undefined> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const token = await deps.stores.apiTokens.findByHash(hashBearerToken(m[1]!));
  if (!token || (token.expiresAt && token.expiresAt.getTime() <= deps.clock.now())) return undefined;
  return deps.stores.users.get(token.username);
}

function isSession(req: FastifyRequest): boolean {
  return req.routeOptions.url === '/api/v1/session';
}

export function installAuditHook(app: FastifyInstance, deps: ApiDeps, recorder: AuditRecorder): void {
  app.addHook('onRequest', async (req) => {
    if (!MUTATING.has(req.method) || !req.routeOptions.url?.startsWith('/api/v1/')) return;
    const state: RequestAudit = { notes: [] };
    perRequest.set(req, state);
    try {
      const user = await userOf(req, deps);
      if (user) state.user = user;
    } catch (err) {
      req.log.warn({ err }, 'audit: could not tell who is asking');
    }
  });
  // In onSend, before the answer leaves: the entry is queued ahead of any later read of the log.
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const state = perRequest.get(req);
    if (!state) return payload;
    perRequest.delete(req);
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      try {
        const e = (JSON.parse(payload) as { error?: { code?: unknown; message?: unknown } }).error;
        state.error = { ...(typeof e?.code === 'string' ? { code: e.code } : {}), ...(typeof e?.message === 'string' ? { message: e.message.slice(0, 300) } : {}) };
      } catch {
        /* not JSON: the status says enough */
      }
    }
    const entries = entriesOf(req, reply.statusCode, state, deps);
    for (const e of entries) void recorder.record(e);
    return payload;
  });
}

/** The entries one request makes (none when nobody signed in made it). */
function entriesOf(req: FastifyRequest, status: number, state: RequestAudit, deps: ApiDeps): Promise<AuditRecord>[] {
  const session = isSession(req);
  if (!state.user && !session) return []; // not signed in: nobody to hold to account (401s are security events)
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const params = (req.params ?? {}) as Record<string, string>;
  const ok = status < 400;
  const signIn = session && req.method === 'POST';
  const actor = signIn ? (str(body['username']) ?? '-') : (state.user?.username ?? '-');
  const at = new Date(deps.clock.now());
  const outcome = ok ? 'ok' : (state.error?.code ?? `http-${status}`);
  const base = async () => {
    const user = signIn ? (ok ? await deps.stores.users.get(actor).catch(() => undefined) : undefined) : state.user;
    return { at, actor, ...(user ? { role: user.role } : {}), outcome, status, sourceAddress: req.ip };
  };
  if (ok && state.notes.length) {
    return state.notes.map(async (n) => ({ ...(await base()), action: n.action, ...(n.target !== undefined ? { target: n.target } : {}), ...(n.detail ? { detail: n.detail } : {}) }));
  }
  const { action, target } = auditActionOf(req.method, req.routeOptions.url!, params, body);
  const input = session ? (signIn ? { username: body['username'] } : {}) : redact(body);
  const inputJson = JSON.stringify(input) ?? '';
  const detail: Record<string, unknown> = {
    request: `${req.method} ${req.url.split('?')[0]}`,
    ...(inputJson !== '{}' ? { input: inputJson.length > MAX_DETAIL_CHARS ? { truncated: true, chars: inputJson.length } : input } : {}),
    ...(state.error?.message && !ok ? { error: state.error.message } : {}),
  };
  return [base().then((b) => ({ ...b, action, ...(target !== undefined ? { target } : {}), detail }))];
}
