/**
 * The organisation catalog (ADM-1): branches (分支机构), agent groups, customer
 * classes and ticket types, as administrators keep them. Pure: no I/O; every
 * refusal is an OrgError with a typed code. Persistence and HTTP are the
 * edge's business (src/api/routes/org-admin.ts).
 *
 * - A branch may sit under a parent branch (no cycles).
 * - An agent group may belong to a branch, which must exist; its supervisors
 *   are user names.
 * - A customer class maps onto one of the routing levels the ACD knows
 *   (special / priority / standard, CUSTOMER_LEVELS): call data naming a class
 *   id in `customerLevel` routes with that class's level (levelOf). The three
 *   levels are themselves built-in classes (renamable, never removed), so
 *   configurations that name the levels keep working.
 * - A ticket type: name, category, SLA in hours, active or not.
 *
 * A branch or group still referenced (child branches, groups, agents, queues:
 * the references the caller passes in) is not removed: `branch-in-use` /
 * `group-in-use` (409 over HTTP).
 */
import { z } from 'zod';
import { CUSTOMER_LEVELS, type CustomerLevel } from '../types.ts';

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be an id (1-64 letters, digits, _ . -)' });
const name = z.string().trim().min(1).max(100);

export const branchSchema = z
  .object({
    id,
    name,
    parent: id.optional().describe('the parent branch id'),
    phone: z.string().regex(/^\+?[0-9 ()-]{2,32}$/, { error: 'must be a phone number' }).optional(),
  })
  .strict();
export const agentGroupSchema = z
  .object({
    id: id.describe('the name agents and queues carry'),
    name,
    branch: id.optional().describe('the branch the group belongs to'),
    supervisors: z.array(z.string().min(1).max(64)).max(50).default([]).describe('user names of its supervisors'),
  })
  .strict();
export const customerClassSchema = z
  .object({
    id,
    name,
    level: z.enum(CUSTOMER_LEVELS).describe('the routing level calls of this class get (priority, agent grade, rules)'),
  })
  .strict();
export const ticketTypeSchema = z
  .object({
    id,
    name,
    category: z.string().trim().min(1).max(64),
    slaHours: z.number().positive().max(24 * 365),
    active: z.boolean().default(true),
  })
  .strict();

export type Branch = z.output<typeof branchSchema>;
export type AgentGroup = z.output<typeof agentGroupSchema>;
export type CustomerClass = z.output<typeof customerClassSchema> & { builtin?: boolean };
export type TicketType = z.output<typeof ticketTypeSchema>;

export const ORG_KINDS = ['branches', 'groups', 'classes', 'ticketTypes'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export interface OrgData {
  branches: Branch[];
  groups: AgentGroup[];
  classes: CustomerClass[];
  ticketTypes: TicketType[];
}

export const ORG_ERROR_CODES = ['duplicate-id', 'not-found', 'unknown-branch', 'branch-cycle', 'branch-in-use', 'group-in-use', 'builtin-class', 'invalid'] as const;
export type OrgErrorCode = (typeof ORG_ERROR_CODES)[number];

export class OrgError extends Error {
  constructor(
    readonly code: OrgErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OrgError';
  }
}

/** What else refers to branches and groups (agents, queues): asked before a removal. */
export interface OrgReferences {
  agentsInBranch?(branch: string): readonly string[];
  agentsInGroup?(group: string): readonly string[];
  queuesOfGroup?(group: string): readonly string[];
}

const LEVEL_NAMES: Record<CustomerLevel, string> = { special: 'Special', priority: 'Priority', standard: 'Standard' };

/** The built-in classes: one per routing level, id = the level. */
export function builtinClasses(): CustomerClass[] {
  return CUSTOMER_LEVELS.map((l) => ({ id: l, name: LEVEL_NAMES[l], level: l, builtin: true }));
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new OrgError('invalid', `${i.path.join('.') || '(value)'}: ${i.message}`);
  }
  return r.data;
}

export class OrgCatalog {
  private data: OrgData = { branches: [], groups: [], classes: builtinClasses(), ticketTypes: [] };

  constructor(private readonly refs: OrgReferences = {}) {}

  /** A copy of everything, to keep. */
  snapshot(): OrgData {
    return structuredClone(this.data);
  }

  /** Replaces everything with what was kept (validated as if created one by one; built-in classes always present). */
  load(d: Partial<OrgData>): { skipped: { kind: OrgKind; id: string; error: string }[] } {
    const skipped: { kind: OrgKind; id: string; error: string }[] = [];
    const next = new OrgCatalog(this.refs);
    const tryAdd = (kind: OrgKind, item: { id?: unknown }, fn: () => void) => {
      try {
        fn();
      } catch (err) {
        skipped.push({ kind, id: String(item.id), error: (err as Error).message });
      }
    };
    // Parents before children: keep adding while any branch becomes valid.
    let pending = [...(d.branches ?? [])];
    for (let progress = true; pending.length && progress; ) {
      progress = false;
      pending = pending.filter((b) => {
        if (b.parent !== undefined && !next.data.branches.some((x) => x.id === b.parent) && pending.some((x) => x.id === b.parent)) return true;
        tryAdd('branches', b, () => next.createBranch(b));
        progress = true;
        return false;
      });
    }
    for (const b of pending) tryAdd('branches', b, () => next.createBranch(b));
    for (const g of d.groups ?? []) tryAdd('groups', g, () => next.createGroup(g));
    for (const c of d.classes ?? []) tryAdd('classes', c, () => (c.builtin || next.data.classes.some((x) => x.id === c.id && x.builtin) ? next.updateClass(c.id, { name: c.name }) : next.createClass(c)));
    for (const t of d.ticketTypes ?? []) tryAdd('ticketTypes', t, () => next.createTicketType(t));
    this.data = next.data;
    return { skipped };
  }

  branches(): Branch[] {
    return this.data.branches.map((b) => ({ ...b }));
  }
  groups(): AgentGroup[] {
    return this.data.groups.map((g) => ({ ...g, supervisors: [...g.supervisors] }));
  }
  classes(): CustomerClass[] {
    return this.data.classes.map((c) => ({ ...c }));
  }
  ticketTypes(): TicketType[] {
    return this.data.ticketTypes.map((t) => ({ ...t }));
  }

  hasBranch(id: string): boolean {
    return this.data.branches.some((b) => b.id === id);
  }
  hasGroup(id: string): boolean {
    return this.data.groups.some((g) => g.id === id);
  }

  /** The routing level a call-data value stands for: a level itself, or a class id; undefined when neither. */
  levelOf(value: string): CustomerLevel | undefined {
    return this.data.classes.find((c) => c.id === value)?.level ?? ((CUSTOMER_LEVELS as readonly string[]).includes(value) ? (value as CustomerLevel) : undefined);
  }

  // ---- branches ----

  createBranch(input: unknown): Branch {
    const b = parse(branchSchema, input);
    if (this.hasBranch(b.id)) throw new OrgError('duplicate-id', `branch ${b.id} exists`);
    if (b.parent !== undefined && !this.hasBranch(b.parent)) throw new OrgError('unknown-branch', `no parent branch ${b.parent}`);
    this.data.branches.push(b);
    return { ...b };
  }

  updateBranch(id: string, change: Record<string, unknown>): Branch {
    const i = this.index('branches', id);
    const next = parse(branchSchema, withChange(this.data.branches[i]!, change, id));
    if (next.parent !== undefined) {
      if (!this.hasBranch(next.parent)) throw new OrgError('unknown-branch', `no parent branch ${next.parent}`);
      for (let p: string | undefined = next.parent; p !== undefined; p = this.data.branches.find((b) => b.id === p)?.parent) {
        if (p === id) throw new OrgError('branch-cycle', `branch ${id} cannot sit under ${next.parent}: that is below it`);
      }
    }
    this.data.branches[i] = next;
    return { ...next };
  }

  removeBranch(id: string): void {
    const i = this.index('branches', id);
    const children = this.data.branches.filter((b) => b.parent === id).map((b) => `branch ${b.id}`);
    const groups = this.data.groups.filter((g) => g.branch === id).map((g) => `group ${g.id}`);
    const agents = (this.refs.agentsInBranch?.(id) ?? []).map((a) => `agent ${a}`);
    const users = [...children, ...groups, ...agents];
    if (users.length) throw new OrgError('branch-in-use', `branch ${id} is still used by ${users.slice(0, 5).join(', ')}${users.length > 5 ? ` and ${users.length - 5} more` : ''}`);
    this.data.branches.splice(i, 1);
  }

  // ---- agent groups ----

  createGroup(input: unknown): AgentGroup {
    const g = parse(agentGroupSchema, input);
    if (this.hasGroup(g.id)) throw new OrgError('duplicate-id', `group ${g.id} exists`);
    if (g.branch !== undefined && !this.hasBranch(g.branch)) throw new OrgError('unknown-branch', `no branch ${g.branch}`);
    this.data.groups.push(g);
    return { ...g, supervisors: [...g.supervisors] };
  }

  updateGroup(id: string, change: Record<string, unknown>): AgentGroup {
    const i = this.index('groups', id);
    const next = parse(agentGroupSchema, withChange(this.data.groups[i]!, change, id));
    if (next.branch !== undefined && !this.hasBranch(next.branch)) throw new OrgError('unknown-branch', `no branch ${next.branch}`);
    this.data.groups[i] = next;
    return { ...next, supervisors: [...next.supervisors] };
  }

  removeGroup(id: string): void {
    const i = this.index('groups', id);
    const users = [...(this.refs.agentsInGroup?.(id) ?? []).map((a) => `agent ${a}`), ...(this.refs.queuesOfGroup?.(id) ?? []).map((q) => `queue ${q}`)];
    if (users.length) throw new OrgError('group-in-use', `group ${id} is still used by ${users.slice(0, 5).join(', ')}${users.length > 5 ? ` and ${users.length - 5} more` : ''}`);
    this.data.groups.splice(i, 1);
  }

  // ---- customer classes ----

  createClass(input: unknown): CustomerClass {
    const c = parse(customerClassSchema, input);
    if (this.data.classes.some((x) => x.id === c.id)) throw new OrgError('duplicate-id', `customer class ${c.id} exists`);
    this.data.classes.push(c);
    return { ...c };
  }

  updateClass(id: string, change: Record<string, unknown>): CustomerClass {
    const i = this.index('classes', id);
    const cur = this.data.classes[i]!;
    if (cur.builtin && change['level'] !== undefined && change['level'] !== cur.level) throw new OrgError('builtin-class', `class ${id} is the routing level itself: its level does not change`);
    const { builtin: _b, ...plain } = cur;
    const next: CustomerClass = { ...parse(customerClassSchema, withChange(plain, change, id)), ...(cur.builtin ? { builtin: true } : {}) };
    this.data.classes[i] = next;
    return { ...next };
  }

  removeClass(id: string): void {
    const i = this.index('classes', id);
    if (this.data.classes[i]!.builtin) throw new OrgError('builtin-class', `class ${id} is a built-in routing level`);
    this.data.classes.splice(i, 1);
  }

  // ---- ticket types ----

  createTicketType(input: unknown): TicketType {
    const t = parse(ticketTypeSchema, input);
    if (this.data.ticketTypes.some((x) => x.id === t.id)) throw new OrgError('duplicate-id', `ticket type ${t.id} exists`);
    this.data.ticketTypes.push(t);
    return { ...t };
  }

  updateTicketType(id: string, change: Record<string, unknown>): TicketType {
    const i = this.index('ticketTypes', id);
    const next = parse(ticketTypeSchema, withChange(this.data.ticketTypes[i]!, change, id));
    this.data.ticketTypes[i] = next;
    return { ...next };
  }

  removeTicketType(id: string): void {
    this.data.ticketTypes.splice(this.index('ticketTypes', id), 1);
  }

  private index(kind: OrgKind, id: string): number {
    const i = (this.data[kind] as { id: string }[]).findIndex((x) => x.id === id);
    if (i < 0) throw new OrgError('not-found', `no ${KIND_NAME[kind]} ${id}`);
    return i;
  }
}

const KIND_NAME: Record<OrgKind, string> = { branches: 'branch', groups: 'agent group', classes: 'customer class', ticketTypes: 'ticket type' };

/** The current item with a change applied: a value replaces, null removes; the id never changes. */
function withChange(current: object, change: Record<string, unknown>, id: string): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(change)) {
    if (k === 'id' || v === undefined) continue;
    if (v === null) delete next[k];
    else next[k] = v;
  }
  next['id'] = id;
  return next;
}
