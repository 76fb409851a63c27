/**
 * Pure helpers of the organisation page (ADM-1): the wire shapes of
 * /api/v1/admin/{branches,agent-groups,customer-classes,ticket-types}, form
 * values, and the bodies a form sends (create: the whole item; change: only
 * what differs, null to clear an optional field). The server validates
 * again; these only catch what a form can show next to its field.
 */

export const ORG_TABS = ['branches', 'agent-groups', 'customer-classes', 'ticket-types'] as const;
export type OrgTab = (typeof ORG_TABS)[number];

export const ORG_ID = /^[A-Za-z0-9_.-]{1,64}$/;
export const ORG_PHONE = /^\+?[0-9 ()-]{2,32}$/;
export const CUSTOMER_LEVELS = ['special', 'priority', 'standard'] as const;
export type CustomerLevel = (typeof CUSTOMER_LEVELS)[number];

export interface Branch {
  id: string;
  name: string;
  parent?: string;
  phone?: string;
}
export interface AgentGroup {
  id: string;
  name: string;
  branch?: string;
  supervisors: string[];
}
export interface CustomerClass {
  id: string;
  name: string;
  level: CustomerLevel;
  builtin?: boolean;
}
export interface TicketType {
  id: string;
  name: string;
  category: string;
  slaHours: number;
  active: boolean;
}
export type OrgItem = Branch | AgentGroup | CustomerClass | TicketType;

/** One form for every tab: the fields a tab does not use stay empty. */
export interface OrgFormValues {
  id?: string;
  name?: string;
  parent?: string | null;
  phone?: string;
  branch?: string | null;
  supervisors?: string;
  level?: CustomerLevel;
  category?: string;
  slaHours?: number | null;
  active?: boolean;
}

/** `sup1, sup2` -> ['sup1', 'sup2'] (commas, spaces, Chinese commas). */
export function parseNames(text: string | undefined): string[] {
  return [...new Set((text ?? '').split(/[\s,;，；]+/).filter(Boolean))];
}

const trimmed = (s: string | undefined) => (s ?? '').trim();
const optional = (s: string | null | undefined) => (s == null || s.trim() === '' ? undefined : s.trim());

/** The whole item a create form sends. */
export function createBody(tab: OrgTab, v: OrgFormValues): Record<string, unknown> {
  const id = trimmed(v.id);
  const name = trimmed(v.name);
  switch (tab) {
    case 'branches': {
      const parent = optional(v.parent);
      const phone = optional(v.phone);
      return { id, name, ...(parent ? { parent } : {}), ...(phone ? { phone } : {}) };
    }
    case 'agent-groups': {
      const branch = optional(v.branch);
      return { id, name, ...(branch ? { branch } : {}), supervisors: parseNames(v.supervisors) };
    }
    case 'customer-classes':
      return { id, name, level: v.level ?? 'standard' };
    case 'ticket-types':
      return { id, name, category: trimmed(v.category), slaHours: v.slaHours ?? 24, active: v.active ?? true };
  }
}

/** The form values that show an item. */
export function valuesOf(tab: OrgTab, item: OrgItem): OrgFormValues {
  const base = { id: item.id, name: item.name };
  switch (tab) {
    case 'branches': {
      const b = item as Branch;
      return { ...base, parent: b.parent ?? null, phone: b.phone ?? '' };
    }
    case 'agent-groups': {
      const g = item as AgentGroup;
      return { ...base, branch: g.branch ?? null, supervisors: g.supervisors.join(', ') };
    }
    case 'customer-classes':
      return { ...base, level: (item as CustomerClass).level };
    case 'ticket-types': {
      const t = item as TicketType;
      return { ...base, category: t.category, slaHours: t.slaHours, active: t.active };
    }
  }
}

/** Only what changed: a cleared optional field is null; an empty object when nothing changed. */
export function changeBody(tab: OrgTab, before: OrgItem, v: OrgFormValues): Record<string, unknown> {
  const after = createBody(tab, { ...v, id: before.id }) as Record<string, unknown>;
  const was = before as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(after), ...OPTIONAL[tab]]);
  for (const k of keys) {
    if (k === 'id') continue;
    const a = after[k];
    const b = was[k];
    if (a === undefined) {
      if (b !== undefined && OPTIONAL[tab].includes(k)) out[k] = null;
    } else if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = a;
  }
  return out;
}

const OPTIONAL: Record<OrgTab, string[]> = { branches: ['parent', 'phone'], 'agent-groups': ['branch'], 'customer-classes': [], 'ticket-types': [] };

/** Branches a branch may sit under: not itself and none below it (no cycles). */
export function parentChoices(branches: readonly Branch[], self?: string): Branch[] {
  if (self === undefined) return [...branches];
  const below = new Set([self]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const b of branches) if (b.parent !== undefined && below.has(b.parent) && !below.has(b.id)) (below.add(b.id), (grew = true));
  }
  return branches.filter((b) => !below.has(b.id));
}

/** The branch path `HQ / Shanghai` for a table cell. */
export function branchPath(branches: readonly Branch[], id: string | undefined): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let cur = id; cur !== undefined && !seen.has(cur); ) {
    seen.add(cur);
    const b = branches.find((x) => x.id === cur);
    if (!b) {
      names.unshift(cur);
      break;
    }
    names.unshift(b.name);
    cur = b.parent;
  }
  return names.join(' / ');
}
