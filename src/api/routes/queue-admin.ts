/**
 * Queues, business hours and entry points administered live (ADM-1, ADM-2,
 * ACD-2, ACD-5, ACD-6, CTI-7): every change goes through AcdSettings (in
 * force for the next decision, waiting calls keep their place) and is then
 * kept, so a restart brings it back.
 *
 * Persistence: queues as administrators last set them are one JSON document
 * under the `meta` key `admin.queues` (whole queue definitions), entry points
 * under `admin.entryPoints` (queue, hours, night service, blacklist mode by
 * entry point id), the routing rules' versions under `admin.routingRules`
 * (applied through /api/v1/routing-rules, kept after every version). At
 * start restore() re-applies them over the ACD configuration file.
 *
 * ADM-3: every change goes to `audit`, which the routes log as a structured
 * `admin change` line (who, what, which queue or entry point), as the agents
 * administration does until the audit store is wired in.
 */
import type { AcdService, EntryPointChange, EntryPointConfig, QueueConfig, QueueConfigInput } from '../../acd/service/index.ts';
import { AcdConfigError } from '../../acd/service/index.ts';
import { ApiError } from '../api-error.ts';
import { acdCall } from './acd-schemas.ts';

export const ADMIN_QUEUES_KEY = 'admin.queues';
export const ADMIN_ENTRY_POINTS_KEY = 'admin.entryPoints';
/** ACD-9: the routing rule versions (history, newest in force), written after every apply or rollback. */
export const ADMIN_ROUTING_RULES_KEY = 'admin.routingRules';

export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export type SettingsAcd = Pick<AcdService, 'settings' | 'control'>;

export interface QueueAuditEntry {
  by: string;
  action: 'queue.create' | 'queue.update' | 'entry-point.update';
  queue?: string;
  entryPoint?: string;
  detail?: Record<string, unknown>;
}

/** A change to a queue: a value replaces, null removes the setting (back to the default). */
export type QueueChange = { [K in keyof QueueConfigInput]?: QueueConfigInput[K] | null };

/** A value an administrator sent that the ACD refuses: 400 with the typed code INVALID_CONFIG and the path of the bad value. */
export class InvalidSettingError extends ApiError {
  constructor(message: string) {
    super('invalid-request', message);
    Object.defineProperty(this, 'code', { value: 'INVALID_CONFIG', enumerable: true });
  }
}

function settingCall<T>(fn: () => T): T {
  try {
    return acdCall(fn);
  } catch (err) {
    if (err instanceof AcdConfigError) throw new InvalidSettingError(`${err.path}: ${err.reason}`);
    throw err;
  }
}

export class QueueAdmin {
  /** Writes one after the other, so a document never loses a change. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly changedQueues = new Set<string>();
  private readonly changedEntryPoints = new Set<string>();

  constructor(
    private readonly acd: SettingsAcd,
    private readonly store: SettingsStore,
  ) {}

  /** At start: the queues (new ones first, then every kept definition) and entry points administrators set; returns what was restored or skipped with why. */
  async restore(): Promise<{ queues: string[]; entryPoints: string[]; ruleVersions?: number; skipped: { id: string; error: string }[] }> {
    const skipped: { id: string; error: string }[] = [];
    const queues: string[] = [];
    const entryPoints: string[] = [];
    const kept = JSON.parse((await this.store.get(ADMIN_QUEUES_KEY)) ?? '[]') as QueueConfig[];
    const s = this.acd.settings;
    // A kept queue may overflow to another kept one: all exist before any is applied whole.
    for (const q of kept) {
      if (!s.queue(q.id)) {
        try {
          s.defineQueue({ id: q.id, requiredSkills: q.requiredSkills }, 'create');
        } catch {
          // reported below, when the whole definition is applied
        }
      }
    }
    for (const q of kept) {
      try {
        s.defineQueue(q, 'replace');
        this.changedQueues.add(q.id);
        queues.push(q.id);
      } catch (err) {
        skipped.push({ id: `queue ${q.id}`, error: (err as Error).message });
      }
    }
    const eps = JSON.parse((await this.store.get(ADMIN_ENTRY_POINTS_KEY)) ?? '[]') as EntryPointConfig[];
    for (const e of eps) {
      try {
        s.updateEntryPoint(e.id, { queue: e.queue, hours: e.hours ?? null, nightService: e.nightService, blacklistMode: e.blacklistMode });
        this.changedEntryPoints.add(e.id);
        entryPoints.push(e.id);
      } catch (err) {
        skipped.push({ id: `entry point ${e.id}`, error: (err as Error).message });
      }
    }
    const control = this.acd.control;
    const rules = await this.store.get(ADMIN_ROUTING_RULES_KEY);
    const ruleVersions = rules !== undefined ? control.restoreRules(JSON.parse(rules) as Parameters<typeof control.restoreRules>[0]) : undefined;
    control.onRulesChange(() => {
      const doc = JSON.stringify(control.ruleHistory());
      this.chain = this.chain.then(() => this.store.set(ADMIN_ROUTING_RULES_KEY, doc)).catch(() => undefined);
    });
    return { queues, entryPoints, ...(ruleVersions !== undefined ? { ruleVersions } : {}), skipped };
  }

  /** Resolves when every write so far is done (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.chain;
  }

  queues(): (QueueConfig & { waiting: number })[] {
    const live = new Map(this.acd.control.queues().map((q) => [q.id, q.waiting]));
    return this.acd.settings.queueList().map((q) => ({ ...q, waiting: live.get(q.id) ?? 0 }));
  }

  queue(id: string): QueueConfig & { waiting: number } {
    const q = this.queues().find((x) => x.id === id);
    if (!q) throw new ApiError('not-found', `no queue ${id}`);
    return q;
  }

  async create(input: QueueConfigInput, by: string, audit: (e: QueueAuditEntry) => void): Promise<QueueConfig & { waiting: number }> {
    const q = settingCall(() => this.acd.settings.defineQueue(input, 'create'));
    this.changedQueues.add(q.id);
    await this.saveQueues();
    audit({ by, action: 'queue.create', queue: q.id, detail: { ...input } });
    return this.queue(q.id);
  }

  async update(id: string, change: QueueChange, by: string, audit: (e: QueueAuditEntry) => void): Promise<QueueConfig & { waiting: number }> {
    const current = this.acd.settings.queue(id);
    if (!current) throw new ApiError('not-found', `no queue ${id}`);
    const next: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(change)) {
      if (k === 'id') continue;
      if (v === null) delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    settingCall(() => this.acd.settings.defineQueue(next as QueueConfigInput, 'replace'));
    this.changedQueues.add(id);
    await this.saveQueues();
    audit({ by, action: 'queue.update', queue: id, detail: { ...change } });
    return this.queue(id);
  }

  entryPoints(): EntryPointConfig[] {
    return this.acd.settings.entryPointList();
  }

  entryPoint(id: string): EntryPointConfig {
    const e = this.acd.settings.entryPoint(id);
    if (!e) throw new ApiError('not-found', `no entry point ${id}`);
    return e;
  }

  async updateEntryPoint(id: string, change: EntryPointChange, by: string, audit: (e: QueueAuditEntry) => void): Promise<EntryPointConfig> {
    if (!this.acd.settings.entryPoint(id)) throw new ApiError('not-found', `no entry point ${id}`);
    const e = settingCall(() => this.acd.settings.updateEntryPoint(id, change));
    this.changedEntryPoints.add(id);
    await this.save(ADMIN_ENTRY_POINTS_KEY, [...this.changedEntryPoints].map((x) => this.acd.settings.entryPoint(x)).filter((x) => x !== undefined));
    audit({ by, action: 'entry-point.update', entryPoint: id, detail: { ...change } });
    return e;
  }

  private async saveQueues(): Promise<void> {
    await this.save(ADMIN_QUEUES_KEY, [...this.changedQueues].map((x) => this.acd.settings.queue(x)).filter((x) => x !== undefined));
  }

  private async save(key: string, doc: unknown): Promise<void> {
    const text = JSON.stringify(doc);
    const write = this.chain.then(() => this.store.set(key, text));
    this.chain = write.catch(() => undefined);
    await write;
  }
}
