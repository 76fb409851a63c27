/**
 * The API's writer of the operation log (ADM-3): entries are written one
 * after the other, never failing the request that caused them (a failed
 * write is logged), and a read waits for the writes before it, so the log
 * always shows what was done before it was asked.
 */
import type { AuditQuery, AuditRecord, AuditStore } from '../../store/audit-store.ts';

export interface AuditFailureLog {
  error(obj: object, msg: string): void;
}

export class AuditRecorder {
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(
    private readonly store: AuditStore,
    private readonly log?: AuditFailureLog,
  ) {}

  /** Queues the entry; resolves when it is written or its failure logged (never rejects). */
  record(entry: AuditRecord | Promise<AuditRecord>): Promise<void> {
    const pending = Promise.resolve(entry);
    pending.catch(() => undefined); // handled below, in order
    this.chain = this.chain.then(async () => {
      let e: AuditRecord | undefined;
      try {
        e = await pending;
        await this.store.append(e);
      } catch (err) {
        this.failures++;
        this.log?.error({ err, audit: e ? { actor: e.actor, action: e.action, target: e.target, outcome: e.outcome } : undefined }, 'audit write failed');
      }
    });
    return this.chain;
  }

  /** Entries newest first, after every write queued before this call. */
  async list(q: AuditQuery = {}): Promise<AuditRecord[]> {
    await this.chain;
    return this.store.list(q);
  }

  async flushed(): Promise<void> {
    await this.chain;
  }

  /** Writes that failed since start (logged each time). */
  get failed(): number {
    return this.failures;
  }
}
