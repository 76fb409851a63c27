/**
 * Security events go to the database and, as JSON lines, to
 * DIR/logs/security.jsonl for SIEMs and fail2ban-style tools (OPS-2, OPS-4).
 */
import { join } from 'node:path';
import pino from 'pino';
import type { SecurityEvent, SecurityEventKind, SecurityEventStore } from '../sip/ports.ts';

type Destination = ReturnType<typeof pino.destination>;

export class JsonlSecurityEventStore implements SecurityEventStore {
  readonly file: string;
  private readonly out: Destination;

  constructor(
    private readonly inner: SecurityEventStore,
    dataDir: string,
  ) {
    this.file = join(dataDir, 'logs', 'security.jsonl');
    this.out = pino.destination({ dest: this.file, mkdir: true, sync: false });
  }

  async append(event: SecurityEvent): Promise<void> {
    await this.inner.append(event);
    this.out.write(`${JSON.stringify({ ...event, at: event.at.toISOString() })}\n`);
  }

  list(opts?: { since?: Date; kind?: SecurityEventKind; limit?: number }): Promise<SecurityEvent[]> {
    return this.inner.list(opts);
  }

  close(): void {
    try {
      this.out.flushSync();
    } catch {
      // Nothing written yet.
    }
    this.out.end();
  }
}
