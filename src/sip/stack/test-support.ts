/** Test-only helpers for the stack tests: a transport that records, a silent logger. */
import type { Logger } from '../../shared/logger.ts';
import type { Endpoint, Flow, SendTarget, Transport, TransportProtocol } from '../transport/transport.ts';

export const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => quiet };

/** Records what the stack hands to it; no sockets. */
export class RecordingTransport implements Transport {
  readonly sent: Array<{ data: Buffer; target: SendTarget }> = [];
  readonly reliable: boolean;
  constructor(
    readonly protocol: TransportProtocol,
    readonly local: Endpoint,
  ) {
    this.reliable = protocol !== 'udp';
  }
  async listen(): Promise<void> {}
  async send(data: Buffer, target: SendTarget): Promise<Flow> {
    this.sent.push({ data, target });
    return { protocol: this.protocol, local: this.local, remote: target.remote };
  }
  async close(): Promise<void> {}
  connectionCount(): number {
    return 0;
  }
}

