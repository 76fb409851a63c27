/**
 * Which switch interaction each queued contact is, and what the switch was
 * last told about it. The engine knows entries, the switch interactions; the
 * service keeps the two apart in here.
 */
import type { EntryId } from '../types.ts';

export interface PendingOffer {
  readonly agentId: string;
  readonly autoAnswer: boolean;
  readonly ringTimeoutMs: number;
}

export interface Contact {
  readonly interactionId: string;
  readonly caller: string;
  /** The engine entry now carrying the contact (a new one after an overflow or a transfer back to a queue). */
  entryId?: EntryId;
  /**
   * True while the switch holds the call in a queue (after `enqueue`), false
   * once it was asked to ring an agent and until it re-enqueues the call.
   */
  switchQueued: boolean;
  /** An offer the engine made while the switch was still ringing the previous agent. */
  pendingOffer?: PendingOffer;
  /** The caller accepted a callback: the call may end while the entry keeps its place. */
  callback: boolean;
}

export class ContactBook {
  private readonly byInteraction = new Map<string, Contact>();
  private readonly byEntry = new Map<EntryId, Contact>();

  add(c: Contact): Contact {
    this.byInteraction.set(c.interactionId, c);
    return c;
  }

  ofInteraction(id: string): Contact | undefined {
    return this.byInteraction.get(id);
  }

  ofEntry(id: EntryId): Contact | undefined {
    return this.byEntry.get(id);
  }

  bindEntry(c: Contact, entryId: EntryId): void {
    c.entryId = entryId;
    this.byEntry.set(entryId, c);
  }

  forgetEntry(entryId: EntryId): void {
    this.byEntry.delete(entryId);
  }

  forgetInteraction(id: string): void {
    this.byInteraction.delete(id);
  }

  get size(): { interactions: number; entries: number } {
    return { interactions: this.byInteraction.size, entries: this.byEntry.size };
  }
}
