/**
 * A minimal SIP caller for bench:web: one UDP socket, INVITE with a PCMU
 * offer to a service number, ACK on the final answer, BYE after a hold
 * time. It exists so that the bench knows, per call, the instant its INVITE
 * left (loopback: the instant it reached Hotline) to set against the screen
 * pop's arrival in the desktop; sipp does not report per-call send times.
 * No retransmissions (loopback, no loss), no authentication (service
 * numbers are public).
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

export interface CallOutcome {
  number: string;
  sentAt: number;
  status: number;
}

interface Pending {
  number: string;
  sentAt: number;
  branch: string;
  fromTag: string;
  toHeader?: string;
  resolve: (o: CallOutcome) => void;
  holdMs: number;
}

const header = (msg: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(msg)?.[1]?.trim();

export class BenchUac {
  private readonly sock: Socket = createSocket('udp4');
  private readonly calls = new Map<string, Pending>();
  private port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly mediaPort: number,
  ) {
    this.sock.on('message', (b) => this.onMessage(b.toString('utf8')));
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.sock.bind(0, '127.0.0.1', () => r()));
    this.port = this.sock.address().port;
  }

  close(): void {
    this.sock.close();
  }

  /** Calls `dialled` as `number`; resolves when the call is over (after BYE, or at a failure response). */
  call(number: string, dialled: string, holdMs: number): Promise<CallOutcome> {
    const callId = `${randomBytes(8).toString('hex')}@bench`;
    const p: Pending = { number, sentAt: 0, branch: `z9hG4bK${randomBytes(6).toString('hex')}`, fromTag: randomBytes(4).toString('hex'), resolve: () => undefined, holdMs };
    const done = new Promise<CallOutcome>((r) => (p.resolve = r));
    const sdp = ['v=0', `o=bench 1 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${this.mediaPort} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
    const uri = `sip:${dialled}@${this.target.host}:${this.target.port}`;
    const msg = [
      `INVITE ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${p.branch};rport`,
      `From: <sip:${number}@127.0.0.1>;tag=${p.fromTag}`,
      `To: <${uri}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 INVITE',
      `Contact: <sip:${number}@127.0.0.1:${this.port}>`,
      'Max-Forwards: 70',
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(sdp)}`,
      '',
      sdp,
    ].join('\r\n');
    this.calls.set(callId, p);
    p.sentAt = Date.now();
    this.send(msg);
    return done;
  }

  private send(text: string): void {
    this.sock.send(Buffer.from(text), this.target.port, this.target.host);
  }

  private onMessage(text: string): void {
    const callId = header(text, 'Call-ID') ?? header(text, 'i');
    const p = callId ? this.calls.get(callId) : undefined;
    if (!p || !callId) return;
    const status = /^SIP\/2\.0 (\d{3})/.exec(text);
    if (!status) {
      // A request from Hotline within the dialog (BYE): answer 200 and end.
      if (text.startsWith('BYE ')) {
        this.send(['SIP/2.0 200 OK', `Via: ${header(text, 'Via')}`, `From: ${header(text, 'From')}`, `To: ${header(text, 'To')}`, `Call-ID: ${callId}`, `CSeq: ${header(text, 'CSeq')}`, 'Content-Length: 0', '', ''].join('\r\n'));
        this.finish(callId, p, 200);
      }
      return;
    }
    const code = Number(status[1]);
    const cseq = header(text, 'CSeq') ?? '';
    if (cseq.endsWith('BYE')) return this.finish(callId, p, 200);
    if (code < 200) return;
    const to = header(text, 'To') ?? '';
    if (code >= 300) {
      this.send(this.ack(p, callId, to, `sip:bench@${this.target.host}:${this.target.port}`, p.branch));
      return this.finish(callId, p, code);
    }
    if (p.toHeader !== undefined) return; // a retransmitted 200: the ACK went already (loopback keeps it)
    p.toHeader = to;
    const contact = /<([^>]+)>/.exec(header(text, 'Contact') ?? '')?.[1] ?? `sip:${this.target.host}:${this.target.port}`;
    this.send(this.ack(p, callId, to, contact, `z9hG4bK${randomBytes(6).toString('hex')}`));
    setTimeout(() => {
      if (!this.calls.has(callId)) return;
      this.send(
        [
          `BYE ${contact} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
          `From: <sip:${p.number}@127.0.0.1>;tag=${p.fromTag}`,
          `To: ${to}`,
          `Call-ID: ${callId}`,
          'CSeq: 2 BYE',
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    }, p.holdMs).unref();
  }

  private ack(p: Pending, callId: string, to: string, uri: string, branch: string): string {
    return [`ACK ${uri} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${branch};rport`, `From: <sip:${p.number}@127.0.0.1>;tag=${p.fromTag}`, `To: ${to}`, `Call-ID: ${callId}`, 'CSeq: 1 ACK', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n');
  }

  private finish(callId: string, p: Pending, status: number): void {
    this.calls.delete(callId);
    p.resolve({ number: p.number, sentAt: p.sentAt, status });
  }
}
