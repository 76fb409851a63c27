/**
 * What the gateway keeps about each confirmed dialog so that, after a crash,
 * the next process can still end it with a BYE (issue 4 item 4, OPS-3):
 * the dialog id, both URIs, the remote target and route set, the next local
 * CSeq and the flow (transport and address) the peer is reached on.
 */
import type { TransportProtocol } from '../../sip/transport/transport.ts';

export interface DialogRecord {
  legId: string;
  callId: string;
  localTag: string;
  remoteTag: string;
  /** name-addr text without tag, e.g. `<sip:8001@10.0.0.1>`. */
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  /** Last local CSeq used in this dialog (the BYE takes the next). */
  localSeq: number;
  /** Where in-dialog requests go when they are not routed by URI (the registered or received flow). */
  hop?: { protocol: TransportProtocol; address: string; port: number };
  /** ms since the epoch. */
  savedAt: number;
}

/** Storage port: one record per live dialog, by leg ID. */
export interface DialogStore {
  put(record: DialogRecord): Promise<void>;
  remove(legId: string): Promise<void>;
  list(): Promise<DialogRecord[]>;
  clear(): Promise<void>;
}

export class MemoryDialogStore implements DialogStore {
  private readonly records = new Map<string, DialogRecord>();

  async put(record: DialogRecord): Promise<void> {
    this.records.set(record.legId, structuredClone(record));
  }

  async remove(legId: string): Promise<void> {
    this.records.delete(legId);
  }

  async list(): Promise<DialogRecord[]> {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  async clear(): Promise<void> {
    this.records.clear();
  }
}
