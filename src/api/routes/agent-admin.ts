/**
 * Agents administered live (ADM-1, ADM-2): one request makes the SIP account
 * (when missing), the web user (role agent) and the ACD agent, in force at
 * once; later requests change skills, level, groups, name, may-dial-out, the
 * status (normal / frozen / deregistered) or the password.
 *
 * Persistence: what an administrator set is kept as one JSON document under
 * the `meta` key `admin.agents` (agent configuration, status, may-dial-out);
 * the SIP account and web user live in their own tables. At start restore()
 * re-applies it over the agents of the ACD configuration file. The blacklist
 * is kept the same way (key `admin.blacklist`, written after every change).
 *
 * ADM-3: every change goes to `audit` with what changed; the routes write
 * it to the operation log (audit-hook.ts auditNote).
 */
import type { AgentAdminStatus, AgentConfig, AgentConfigInput, AcdService } from '../../acd/service/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { createSipAccount } from '../../sip/auth/sip-account-factory.ts';
import type { SipAccountStore } from '../../sip/ports.ts';
import { hashPassword } from '../../store/password-hash.ts';
import type { UserStore } from '../../store/user-store.ts';
import { ApiError } from '../api-error.ts';

export const ADMIN_AGENTS_KEY = 'admin.agents';
/** ACD-7: the whole blacklist as last changed through the API; once present it replaces the configuration file's list at start. */
export const ADMIN_BLACKLIST_KEY = 'admin.blacklist';

export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export type AdminAcd = Pick<AcdService, 'addAgent' | 'updateAgent' | 'agentConfig' | 'control'>;

/** What is kept for one administered agent. */
export interface AdminAgentRecord {
  config: AgentConfig;
  status: AgentAdminStatus;
  mayDialOut: boolean;
  /** ADM-1: the branch (分支机构) the agent belongs to, from the organisation catalog. */
  branch?: string;
}

export interface NewAgent {
  extension: string;
  name: string;
  password: string;
  level?: number | undefined;
  skills: Record<string, number>;
  groups?: string[] | undefined;
  mayDialOut?: boolean | undefined;
  branch?: string | undefined;
}

export interface AgentChange {
  name?: string | undefined;
  level?: number | undefined;
  skills?: Record<string, number> | undefined;
  groups?: string[] | undefined;
  mayDialOut?: boolean | undefined;
  status?: AgentAdminStatus | undefined;
  password?: string | undefined;
  /** A branch id; null: no branch. */
  branch?: string | null | undefined;
  /** ADM-1: a custom role id (agent-based) for the agent's web user; null: none. */
  role?: string | null | undefined;
}

export interface AdminAgentView {
  id: string;
  extension: string;
  name?: string;
  level: number;
  skills: Record<string, number>;
  groups: string[];
  mayDialOut: boolean;
  branch?: string;
  status: AgentAdminStatus;
  state: string;
  /** ADM-1: the custom role of the agent's web user. */
  role?: string;
  webUser: boolean;
  sipAccount: boolean;
}

export interface AuditEntry {
  by: string;
  action: 'agent.create' | 'agent.update' | 'agent.status' | 'agent.password';
  agent: string;
  detail?: Record<string, unknown>;
}

export interface AgentAdminOptions {
  acd: AdminAcd;
  users: UserStore;
  sipAccounts: SipAccountStore;
  settings: KeyValueStore;
  realm: string;
  clock: Clock;
  /**
   * ADM-1: the organisation catalog. With it, a branch must be one of its
   * branches and a group one of its groups or a name some agent already
   * carries (groups of the ACD configuration file keep working); without it
   * any well-formed group name is taken.
   */
  org?: { hasBranch(id: string): boolean; hasGroup(id: string): boolean };
  /** ADM-1: custom roles (role-admin.ts); without them a role in a change is refused. */
  roles?: { assign(username: string, role: string | null): Promise<{ from: string | null; to: string | null }>; roleOf(username: string): { id: string } | undefined };
}

/** A branch or group the organisation catalog does not know: 400 with a typed code. */
export class UnknownOrgRefError extends ApiError {
  constructor(code: 'unknown-branch' | 'unknown-group', message: string) {
    super('invalid-request', message);
    Object.defineProperty(this, 'code', { value: code, enumerable: true });
  }
}

export class AgentAdmin {
  private records = new Map<string, AdminAgentRecord>();
  private loaded = false;
  /** Writes one after the other, so the document never loses a change. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: AgentAdminOptions) {}

  /**
   * At start: re-applies what administrators set (agents, then the blacklist)
   * and from then on keeps every blacklist change; returns the agents
   * restored and the ones skipped with why.
   */
  async restore(): Promise<{ restored: string[]; skipped: { id: string; error: string }[]; blacklist?: number }> {
    const agents = await this.restoreAgents();
    const blacklist = await this.restoreBlacklist();
    this.o.acd.control.onBlacklistChange(() => {
      const doc = JSON.stringify(this.o.acd.control.blacklist());
      this.chain = this.chain.then(() => this.o.settings.set(ADMIN_BLACKLIST_KEY, doc)).catch(() => undefined);
    });
    return blacklist === undefined ? agents : { ...agents, blacklist };
  }

  /**
   * ADM-1 may-dial-out, as the switch asks it (SwitchRuntime.setDialOutPolicy):
   * an ACD agent may call outside numbers only when an administrator allowed
   * it (agents of the configuration file not yet administered may not, as
   * their administration view shows); anyone else (supervisors) may.
   */
  mayDialOut(id: string): boolean {
    if (this.o.acd.agentConfig(id) === undefined) return true;
    return this.records.get(id)?.mayDialOut ?? false;
  }

  /** Resolves when every write so far is done (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.chain;
  }

  /** ADM-1: the agents a branch still has (a branch in use is not removed). */
  agentsInBranch(branch: string): string[] {
    return [...this.records.values()].filter((r) => r.branch === branch).map((r) => r.config.id);
  }

  /** ADM-1: the agents carrying a group (from the file or administered). */
  agentsInGroup(group: string): string[] {
    return this.o.acd.control
      .agents()
      .filter((a) => (this.o.acd.agentConfig(a.id)?.groups ?? []).some((g) => g.group === group))
      .map((a) => a.id);
  }

  private checkOrg(branch: string | null | undefined, groups: readonly string[] | undefined, id?: string): void {
    const org = this.o.org;
    if (!org) return;
    if (branch != null && !org.hasBranch(branch)) throw new UnknownOrgRefError('unknown-branch', `no branch ${branch}`);
    for (const g of groups ?? []) {
      if (org.hasGroup(g)) continue;
      const carried = this.agentsInGroup(g).filter((a) => a !== id);
      const own = id !== undefined && (this.o.acd.agentConfig(id)?.groups ?? []).some((x) => x.group === g);
      if (!carried.length && !own) throw new UnknownOrgRefError('unknown-group', `no agent group ${g}: add it under agent groups first`);
    }
  }

  private async restoreBlacklist(): Promise<number | undefined> {
    const raw = await this.o.settings.get(ADMIN_BLACKLIST_KEY);
    if (raw === undefined) return undefined;
    const kept = JSON.parse(raw) as Parameters<AdminAcd['control']['addToBlacklist']>[0][];
    const control = this.o.acd.control;
    for (const e of control.blacklist()) control.removeFromBlacklist(e.number);
    let n = 0;
    for (const e of kept) {
      try {
        control.addToBlacklist(e);
        n++;
      } catch {
        // an entry that no longer validates is dropped
      }
    }
    return n;
  }

  private async restoreAgents(): Promise<{ restored: string[]; skipped: { id: string; error: string }[] }> {
    await this.load();
    const restored: string[] = [];
    const skipped: { id: string; error: string }[] = [];
    for (const r of this.records.values()) {
      try {
        if (this.o.acd.agentConfig(r.config.id)) this.o.acd.updateAgent(r.config);
        else this.o.acd.addAgent(r.config);
        this.o.acd.control.setStatus(r.config.id, r.status);
        restored.push(r.config.id);
      } catch (err) {
        skipped.push({ id: r.config.id, error: (err as Error).message });
      }
    }
    return { restored, skipped };
  }

  async list(): Promise<AdminAgentView[]> {
    await this.load();
    const users = new Set((await this.o.users.list()).map((u) => u.username));
    const sips = new Set((await this.o.sipAccounts.list()).map((a) => a.username));
    return this.o.acd.control.agents().map((a) => this.view(a.id, users, sips));
  }

  async get(id: string): Promise<AdminAgentView> {
    await this.load();
    const users = new Set((await this.o.users.list()).map((u) => u.username));
    const sips = new Set((await this.o.sipAccounts.list()).map((a) => a.username));
    return this.view(this.idOf(id), users, sips);
  }

  async create(n: NewAgent, by: string, audit: (e: AuditEntry) => void): Promise<AdminAgentView> {
    await this.load();
    const acd = this.o.acd;
    const id = n.extension;
    if (acd.agentConfig(id) || acd.control.agents().some((a) => a.extension === id)) throw new ApiError('already-exists', `agent ${id} already exists`);
    const existingUser = await this.o.users.get(id);
    if (existingUser && existingUser.role !== 'agent') throw new ApiError('already-exists', `web user ${id} exists with role ${existingUser.role}`);
    this.checkOrg(n.branch, n.groups);
    const input: AgentConfigInput = { id, extension: id, name: n.name, skills: n.skills, ...(n.level !== undefined ? { level: n.level } : {}), ...(n.groups ? { groups: groupsOf(n.groups) } : {}) };
    const now = new Date(this.o.clock.now());
    const sipExisted = (await this.o.sipAccounts.get(id)) !== undefined;
    if (!sipExisted) await this.o.sipAccounts.put(createSipAccount({ username: id, realm: this.o.realm, password: n.password, displayName: n.name, createdAt: now }));
    await this.o.users.put({ username: id, displayName: n.name, passwordHash: await hashPassword(n.password), role: 'agent', enabled: true, createdAt: existingUser?.createdAt ?? now });
    const config = acd.addAgent(input);
    await this.save({ config, status: 'normal', mayDialOut: n.mayDialOut ?? false, ...(n.branch !== undefined ? { branch: n.branch } : {}) });
    audit({ by, action: 'agent.create', agent: id, detail: { name: n.name, level: config.level, skills: config.skills, groups: n.groups ?? [], mayDialOut: n.mayDialOut ?? false, ...(n.branch !== undefined ? { branch: n.branch } : {}), sipAccount: sipExisted ? 'existing' : 'created' } });
    return this.get(id);
  }

  async update(idOrExt: string, c: AgentChange, by: string, audit: (e: AuditEntry) => void): Promise<AdminAgentView> {
    await this.load();
    const id = this.idOf(idOrExt);
    const acd = this.o.acd;
    const current = acd.agentConfig(id)!;
    const record = this.records.get(id) ?? { config: current, status: acd.control.adminStatus(id), mayDialOut: false };
    const extension = current.extension ?? id;
    this.checkOrg(c.branch, c.groups, id);
    if (c.role !== undefined) {
      if (!this.o.roles) throw new ApiError('invalid-request', 'custom roles are not available');
      const { from, to } = await this.o.roles.assign(extension, c.role);
      if (from !== to) audit({ by, action: 'agent.update', agent: id, detail: { role: to, from } });
    }
    if (c.name !== undefined || c.level !== undefined || c.skills !== undefined || c.groups !== undefined) {
      const next: AgentConfigInput = {
        ...current,
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.level !== undefined ? { level: c.level } : {}),
        ...(c.skills !== undefined ? { skills: c.skills } : {}),
        ...(c.groups !== undefined ? { groups: groupsOf(c.groups) } : {}),
      };
      record.config = acd.updateAgent(next);
      audit({ by, action: 'agent.update', agent: id, detail: pick(c, ['name', 'level', 'skills', 'groups']) });
    }
    if (c.branch !== undefined && c.branch !== (record.branch ?? null)) {
      audit({ by, action: 'agent.update', agent: id, detail: { branch: c.branch, ...(record.branch !== undefined ? { from: record.branch } : {}) } });
      if (c.branch === null) delete record.branch;
      else record.branch = c.branch;
    }
    if (c.mayDialOut !== undefined && c.mayDialOut !== record.mayDialOut) {
      record.mayDialOut = c.mayDialOut;
      audit({ by, action: 'agent.update', agent: id, detail: { mayDialOut: c.mayDialOut } });
    }
    if (c.status !== undefined && c.status !== record.status) {
      acd.control.setStatus(id, c.status);
      await this.setLogins(extension, c.status);
      audit({ by, action: 'agent.status', agent: id, detail: { from: record.status, to: c.status } });
      record.status = c.status;
    }
    if (c.password !== undefined) {
      await this.resetPassword(extension, c.password, record.config.name);
      audit({ by, action: 'agent.password', agent: id });
    }
    if (c.name !== undefined) {
      const u = await this.o.users.get(extension);
      if (u) await this.o.users.put({ ...u, displayName: c.name });
    }
    await this.save(record);
    return this.get(id);
  }

  private idOf(idOrExt: string): string {
    if (this.o.acd.agentConfig(idOrExt)) return idOrExt;
    const a = this.o.acd.control.agents().find((x) => x.extension === idOrExt);
    if (!a) throw new ApiError('not-found', `no agent ${idOrExt}`);
    return a.id;
  }

  /** Frozen: no web sign-in. Deregistered: no web sign-in and no SIP registration. Normal: both back. */
  private async setLogins(extension: string, status: AgentAdminStatus): Promise<void> {
    const u = await this.o.users.get(extension);
    if (u) await this.o.users.put({ ...u, enabled: status === 'normal' });
    const sip = await this.o.sipAccounts.get(extension);
    if (sip) await this.o.sipAccounts.put({ ...sip, enabled: status !== 'deregistered' });
  }

  /** The agent's one password: web sign-in and SIP digest alike. */
  private async resetPassword(extension: string, password: string, name: string | undefined): Promise<void> {
    const u = await this.o.users.get(extension);
    if (u) await this.o.users.put({ ...u, passwordHash: await hashPassword(password) });
    const sip = await this.o.sipAccounts.get(extension);
    if (sip) {
      const fresh = createSipAccount({ username: extension, realm: sip.realm, password, createdAt: sip.createdAt, enabled: sip.enabled, ...(name ?? sip.displayName ? { displayName: (name ?? sip.displayName)! } : {}) });
      await this.o.sipAccounts.put(fresh);
    }
  }

  private view(id: string, users: Set<string>, sips: Set<string>): AdminAgentView {
    const s = this.o.acd.control.agent(id);
    const cfg = this.o.acd.agentConfig(id);
    const rec = this.records.get(id);
    return {
      id,
      extension: s.extension,
      ...(s.name !== undefined ? { name: s.name } : {}),
      level: cfg?.level ?? 5,
      skills: { ...(cfg?.skills ?? {}) },
      groups: (cfg?.groups ?? []).map((g) => g.group),
      mayDialOut: rec?.mayDialOut ?? false,
      ...(rec?.branch !== undefined ? { branch: rec.branch } : {}),
      status: this.o.acd.control.adminStatus(id),
      state: s.state,
      ...(this.o.roles?.roleOf(s.extension) ? { role: this.o.roles.roleOf(s.extension)!.id } : {}),
      webUser: users.has(s.extension),
      sipAccount: sips.has(s.extension),
    };
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    const raw = await this.o.settings.get(ADMIN_AGENTS_KEY);
    const list = raw ? (JSON.parse(raw) as AdminAgentRecord[]) : [];
    this.records = new Map(list.map((r) => [r.config.id, r]));
    this.loaded = true;
  }

  private async save(r: AdminAgentRecord): Promise<void> {
    this.records.set(r.config.id, { ...r, config: { ...r.config } });
    const doc = JSON.stringify([...this.records.values()]);
    const write = this.chain.then(() => this.o.settings.set(ADMIN_AGENTS_KEY, doc));
    this.chain = write.catch(() => undefined);
    await write;
  }
}

/** Groups in the order given: the first is the agent's preferred group (priority 1). */
function groupsOf(names: readonly string[]): { group: string; priority: number }[] {
  return names.map((group, i) => ({ group, priority: i + 1 }));
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k as string] = o[k];
  return out;
}
