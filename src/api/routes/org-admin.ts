/**
 * The organisation catalog administered live (ADM-1, ADM-2): branches, agent
 * groups, customer classes, ticket types (src/acd/service/org-catalog.ts).
 * Every change is in force at once (a new customer class routes the next
 * call that names it) and then kept.
 *
 * Persistence: the whole catalog is one JSON document under the `meta` key
 * `admin.org`, written after every change; restore() loads it at start.
 *
 * ADM-3: every change goes to `audit` with what changed; the routes write it
 * to the operation log (audit-hook.ts auditNote).
 */
import { type OrgCatalog, OrgError, type OrgErrorCode, type OrgKind } from '../../acd/service/index.ts';
import type { CustomerLevel } from '../../acd/index.ts';
import { ApiError } from '../api-error.ts';

export const ADMIN_ORG_KEY = 'admin.org';

export interface OrgSettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** The ACD's hook for customer classes (AcdService.setCustomerClasses). */
export interface ClassRouting {
  setCustomerClasses(classLevel: ((value: string) => CustomerLevel | undefined) | undefined): void;
}

export interface OrgAuditEntry {
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

/** The action names in the operation log, by kind. */
export const ORG_AUDIT_NAMES: Record<OrgKind, string> = { branches: 'branch', groups: 'agent-group', classes: 'customer-class', ticketTypes: 'ticket-type' };

const STATUS_OF: Record<OrgErrorCode, 400 | 404 | 409> = {
  'duplicate-id': 409,
  'not-found': 404,
  'unknown-branch': 400,
  'branch-cycle': 400,
  'branch-in-use': 409,
  'group-in-use': 409,
  'builtin-class': 409,
  invalid: 400,
};

/** An ApiError with the catalog's typed code in the body. */
export class OrgApiError extends ApiError {
  constructor(typedCode: OrgErrorCode, message: string) {
    const s = STATUS_OF[typedCode];
    super(s === 400 ? 'invalid-request' : s === 404 ? 'not-found' : 'already-exists', message);
    Object.defineProperty(this, 'code', { value: typedCode, enumerable: true });
  }
}

function orgCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OrgError) throw new OrgApiError(err.code, err.message);
    throw err;
  }
}

type Item = { id: string };

export class OrgAdmin {
  /** Writes one after the other, so the document never loses a change. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly catalog: OrgCatalog,
    private readonly store: OrgSettingsStore,
    private readonly routing?: ClassRouting,
  ) {
    routing?.setCustomerClasses((v) => this.catalog.levelOf(v));
  }

  /** At start: the catalog as administrators left it; what no longer validates is skipped with why. */
  async restore(): Promise<{ branches: number; groups: number; classes: number; ticketTypes: number; skipped: { kind: OrgKind; id: string; error: string }[] }> {
    const raw = await this.store.get(ADMIN_ORG_KEY);
    const { skipped } = raw ? this.catalog.load(JSON.parse(raw) as Parameters<OrgCatalog['load']>[0]) : { skipped: [] };
    const c = this.catalog;
    return { branches: c.branches().length, groups: c.groups().length, classes: c.classes().length, ticketTypes: c.ticketTypes().length, skipped };
  }

  /** Resolves when every write so far is done (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.chain;
  }

  list(kind: OrgKind): Item[] {
    const c = this.catalog;
    return kind === 'branches' ? c.branches() : kind === 'groups' ? c.groups() : kind === 'classes' ? c.classes() : c.ticketTypes();
  }

  async create(kind: OrgKind, input: Record<string, unknown>, audit: (e: OrgAuditEntry) => void): Promise<Item> {
    const c = this.catalog;
    const item: Item = orgCall(() => (kind === 'branches' ? c.createBranch(input) : kind === 'groups' ? c.createGroup(input) : kind === 'classes' ? c.createClass(input) : c.createTicketType(input)));
    await this.save();
    audit({ action: `${ORG_AUDIT_NAMES[kind]}.create`, target: item.id, detail: { ...item } });
    return item;
  }

  async update(kind: OrgKind, id: string, change: Record<string, unknown>, audit: (e: OrgAuditEntry) => void): Promise<Item> {
    const c = this.catalog;
    const item: Item = orgCall(() => (kind === 'branches' ? c.updateBranch(id, change) : kind === 'groups' ? c.updateGroup(id, change) : kind === 'classes' ? c.updateClass(id, change) : c.updateTicketType(id, change)));
    await this.save();
    audit({ action: `${ORG_AUDIT_NAMES[kind]}.update`, target: id, detail: { ...change } });
    return item;
  }

  async remove(kind: OrgKind, id: string, audit: (e: OrgAuditEntry) => void): Promise<void> {
    const c = this.catalog;
    orgCall(() => (kind === 'branches' ? c.removeBranch(id) : kind === 'groups' ? c.removeGroup(id) : kind === 'classes' ? c.removeClass(id) : c.removeTicketType(id)));
    await this.save();
    audit({ action: `${ORG_AUDIT_NAMES[kind]}.delete`, target: id });
  }

  private async save(): Promise<void> {
    const doc = JSON.stringify(this.catalog.snapshot());
    const write = this.chain.then(() => this.store.set(ADMIN_ORG_KEY, doc));
    this.chain = write.catch(() => undefined);
    await write;
  }
}
