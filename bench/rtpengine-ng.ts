/**
 * rtpengine from Debian as a userspace RTP relay for bench:media (issue 3):
 * started in the foreground on loopback with no kernel forwarding
 * (`--table=-1`), controlled over its ng protocol (bencoded dictionaries in
 * UDP datagrams, each prefixed by a cookie the answer echoes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { type BValue, bdecode, bencode } from './bencode.ts';

export interface RtpEngineOptions {
  binary: string;
  host: string;
  ngPort: number;
  portMin: number;
  portMax: number;
  threads: number;
}

export class RtpEngineDaemon {
  private proc: ChildProcess | undefined;
  private ng: Socket | undefined;
  private nextCookie = 1;
  private readonly waiting = new Map<string, { resolve: (v: { [k: string]: BValue }) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private stderr = '';

  constructor(private readonly o: RtpEngineOptions) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(): Promise<void> {
    const args = [
      '--foreground', '--log-stderr', '--log-level=4', '--table=-1', `--interface=${this.o.host}`,
      `--listen-ng=${this.o.host}:${this.o.ngPort}`, `--port-min=${this.o.portMin}`, `--port-max=${this.o.portMax}`,
      `--num-threads=${this.o.threads}`, '--timeout=60', '--delete-delay=0', '--config-file=none',
    ];
    this.proc = spawn(this.o.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    const ng = createSocket('udp4');
    await new Promise<void>((r) => ng.bind(0, this.o.host, r));
    ng.on('message', (m) => this.onAnswer(m));
    this.ng = ng;
    // ready once it answers a ping
    for (let i = 0; i < 50; i++) {
      if (this.proc.exitCode !== null) throw new Error(`rtpengine exited ${this.proc.exitCode}: ${this.stderr}`);
      try {
        const r = await this.request({ command: 'ping' }, 200);
        if (r.result === 'pong') return;
      } catch {
        // not listening yet
      }
    }
    throw new Error(`rtpengine did not answer ping: ${this.stderr}`);
  }

  /**
   * Sets up one relayed call between two RTP endpoints on `host`. Returns the
   * rtpengine ports each side must send to.
   */
  async call(callId: string, portA: number, portB: number): Promise<{ sendFromA: number; sendFromB: number }> {
    const offer = await this.request({ command: 'offer', 'call-id': callId, 'from-tag': `${callId}-a`, sdp: sdp(this.o.host, portA), flags: ['trust-address'] });
    if (offer.result !== 'ok') throw new Error(`offer: ${JSON.stringify(offer)}`);
    const answer = await this.request({ command: 'answer', 'call-id': callId, 'from-tag': `${callId}-a`, 'to-tag': `${callId}-b`, sdp: sdp(this.o.host, portB), flags: ['trust-address'] });
    if (answer.result !== 'ok') throw new Error(`answer: ${JSON.stringify(answer)}`);
    // the offer's SDP (towards B) names the port B sends to; the answer's (towards A) the one A sends to
    return { sendFromA: audioPort(answer.sdp), sendFromB: audioPort(offer.sdp) };
  }

  /** Ends a call; a lost answer is retried, then the call is left to rtpengine's timeout (false). */
  async delete(callId: string): Promise<boolean> {
    for (let i = 0; i < 3; i++) {
      try {
        await this.request({ command: 'delete', 'call-id': callId }, 3000);
        return true;
      } catch {
        // busy machine: ask again
      }
    }
    return false;
  }

  async stop(): Promise<void> {
    this.ng?.close();
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }

  private request(body: { [k: string]: BValue }, timeoutMs = 5000): Promise<{ [k: string]: BValue }> {
    const cookie = `c${this.nextCookie++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(cookie);
        reject(new Error(`ng ${String(body.command)} timed out`));
      }, timeoutMs);
      this.waiting.set(cookie, { resolve, reject, timer });
      this.ng!.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(body)]), this.o.ngPort, this.o.host);
    });
  }

  private onAnswer(m: Buffer): void {
    const space = m.indexOf(0x20);
    if (space < 0) return;
    const w = this.waiting.get(m.subarray(0, space).toString());
    if (!w) return;
    this.waiting.delete(m.subarray(0, space).toString());
    clearTimeout(w.timer);
    try {
      const v = bdecode(m.subarray(space + 1));
      if (typeof v !== 'object' || Array.isArray(v)) throw new Error('answer is not a dictionary');
      w.resolve(v);
    } catch (err) {
      w.reject(err as Error);
    }
  }
}

function sdp(host: string, port: number): string {
  return ['v=0', `o=- 1 1 IN IP4 ${host}`, 's=bench', `c=IN IP4 ${host}`, 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=ptime:20', 'a=sendrecv', ''].join('\r\n');
}

function audioPort(s: BValue | undefined): number {
  const m = typeof s === 'string' ? /^m=audio (\d+) /m.exec(s) : null;
  if (!m) throw new Error(`no audio port in ${JSON.stringify(s)}`);
  return Number(m[1]);
}
