/**
 * Pure logic of the Agents and Blacklist admin pages (ADM-1, ACD-7): skills
 * typed as `general:7, vip:8`, the request bodies the forms send (a change
 * carries only what differs), and the checks the API would make, so the form
 * says what is wrong before sending.
 */
import type { AdminAgent, AgentAdminStatus, AgentChange, BlacklistMode, NewAgent, NewBlacklistEntry } from '../../api/types.ts';

export const MIN_LEVEL = 1;
export const MAX_LEVEL = 10;
export const AGENT_ADMIN_STATUSES: readonly AgentAdminStatus[] = ['normal', 'frozen', 'deregistered'];
export const BLACKLIST_MODES: readonly BlacklistMode[] = ['refuse', 'flag', 'hangup'];

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const EXTENSION = /^[0-9]{2,16}$/;
export const BLACKLIST_NUMBER = /^\+?[0-9]{3,20}$/;

export type SkillsParse = { ok: true; skills: Record<string, number> } | { ok: false; bad: string };

/** `general:7, vip:8` (commas, spaces or new lines between; `:` or `=`) → { general: 7, vip: 8 }; `bad` is the first wrong item. */
export function parseSkills(text: string): SkillsParse {
  const skills: Record<string, number> = {};
  for (const item of text.split(/[\s,;，；]+/).filter(Boolean)) {
    const m = /^([^:=]+)[:=](\d+)$/.exec(item);
    const level = m ? Number(m[2]) : NaN;
    if (!m || !NAME.test(m[1]!) || !Number.isInteger(level) || level < MIN_LEVEL || level > MAX_LEVEL || m[1]! in skills) return { ok: false, bad: item };
    skills[m[1]!] = level;
  }
  return { ok: true, skills };
}

/** Skills as the form shows them, by name. */
export function formatSkills(skills: Readonly<Record<string, number>>): string {
  return Object.keys(skills)
    .sort()
    .map((k) => `${k}:${skills[k]}`)
    .join(', ');
}

/** `front-line, seniors` → ['front-line', 'seniors'] (order kept: the first is preferred); null when a name is wrong. */
export function parseGroups(text: string): string[] | null {
  const groups = text.split(/[\s,;，；]+/).filter(Boolean);
  return groups.every((g) => NAME.test(g)) && new Set(groups).size === groups.length ? groups : null;
}

export interface AgentFormValues {
  extension: string;
  name: string;
  password?: string | undefined;
  level: number;
  skills: string;
  groups: string;
  mayDialOut: boolean;
  /** ADM-1: a branch id; empty or absent: none. */
  branch?: string | null | undefined;
}

/** The body of POST /api/v1/admin/agents; throws on a value the form should have refused. */
export function newAgentBody(v: AgentFormValues): NewAgent {
  const skills = parseSkills(v.skills);
  const groups = parseGroups(v.groups);
  if (!skills.ok) throw new Error(`bad skill ${skills.bad}`);
  if (groups === null) throw new Error('bad groups');
  return {
    extension: v.extension.trim(),
    name: v.name.trim(),
    ...(v.password ? { password: v.password } : {}),
    level: v.level,
    skills: skills.skills,
    ...(groups.length ? { groups } : {}),
    mayDialOut: v.mayDialOut,
    ...(v.branch ? { branch: v.branch } : {}),
  };
}

export interface AgentEditValues {
  name: string;
  level: number;
  skills: string;
  groups: string;
  mayDialOut: boolean;
  status: AgentAdminStatus;
  password?: string | undefined;
  branch?: string | null | undefined;
  /** ADM-1: custom role id, '' for none. */
  role?: string | undefined;
}

/** The edit form's starting values for an agent. */
export function editValuesOf(a: AdminAgent): AgentEditValues {
  return { name: a.name ?? '', level: a.level, skills: formatSkills(a.skills), groups: a.groups.join(', '), mayDialOut: a.mayDialOut, status: a.status, branch: a.branch ?? '', role: a.role ?? '' };
}

/** The body of PATCH /api/v1/admin/agents/:id: only what changed (empty when nothing did). */
export function agentChangeBody(before: AdminAgent, v: AgentEditValues): AgentChange {
  const out: AgentChange = {};
  const name = v.name.trim();
  if (name && name !== (before.name ?? '')) out.name = name;
  if (v.level !== before.level) out.level = v.level;
  const skills = parseSkills(v.skills);
  if (!skills.ok) throw new Error(`bad skill ${skills.bad}`);
  if (formatSkills(skills.skills) !== formatSkills(before.skills)) out.skills = skills.skills;
  const groups = parseGroups(v.groups);
  if (groups === null) throw new Error('bad groups');
  if (groups.join(',') !== before.groups.join(',')) out.groups = groups;
  if (v.mayDialOut !== before.mayDialOut) out.mayDialOut = v.mayDialOut;
  if (v.status !== before.status) out.status = v.status;
  if (v.password) out.password = v.password;
  if ((v.branch || undefined) !== before.branch) out.branch = v.branch || null;
  if (v.role !== undefined && (v.role || undefined) !== before.role) out.role = v.role || null;
  return out;
}

/** Tag colour of an agent's status. */
export function statusColor(s: AgentAdminStatus): string {
  return s === 'normal' ? 'green' : s === 'frozen' ? 'blue' : 'default';
}

export interface BlacklistFormValues {
  number: string;
  match: 'exact' | 'prefix';
  mode: BlacklistMode;
  reason?: string | undefined;
}

/** The body of POST /api/v1/blacklist: spaces and dashes typed in the number are dropped. */
export function blacklistBody(v: BlacklistFormValues): NewBlacklistEntry {
  const number = v.number.replace(/[\s-]/g, '');
  if (!BLACKLIST_NUMBER.test(number)) throw new Error(`bad number ${v.number}`);
  const reason = v.reason?.trim();
  return { number, match: v.match, mode: v.mode, ...(reason ? { reason } : {}) };
}
