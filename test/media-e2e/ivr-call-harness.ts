// Test harness for IVR calls on a real leg: sipp is the caller (keys by
// RFC 4733 captures at scripted times), the tiny UAS answers with the SDP of
// an engine leg reached through an RtpRelay (which keeps what the leg sends
// on the wire), and the switch runtime's ports are answered by RuntimeSide,
// which writes down every request the IVR makes and sends events on demand.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { IvrCallService } from '../../src/ivr/call/ivr-call-service.ts';
import type { EngineEvent } from '../../src/media/engine/engine-protocol.ts';
import type { MediaEngine } from '../../src/media/engine/media-engine.ts';
import { capabilities, negotiate } from '../../src/protocol/sdp/sdp-negotiator.ts';
import type { IvrStartRequest, IvrTransferTarget, SwitchControl, SwitchEvent } from '../../src/switch/runtime/ports.ts';
import { freePort, freeSippMediaPort } from '../support/ports.ts';
import { RtpRelay } from './rtp-relay.ts';
import { type CallerStep, writeIvrScenario } from './sipp-ivr-scenario.ts';
import { startTinyUas } from './tiny-uas.ts';

export type RuntimeRequest = { op: 'ivrTransfer'; at: number; target: IvrTransferTarget; callData?: unknown } | { op: 'ivrHangup'; at: number; cause?: string };

export class RuntimeSide implements SwitchControl {
  readonly requests: RuntimeRequest[] = [];
  onRequest?: (r: RuntimeRequest) => void;
  private readonly listeners = new Set<(e: SwitchEvent) => void>();
  async offerToAgent(): Promise<void> {}
  async ivrTransfer(_i: string, target: IvrTransferTarget, opts?: { callData?: Record<string, unknown> }): Promise<void> {
    this.push({ op: 'ivrTransfer', at: Date.now(), target, callData: opts?.callData });
  }
  async ivrHangup(_i: string, cause?: string): Promise<void> {
    this.push({ op: 'ivrHangup', at: Date.now(), cause });
  }
  async queueToIvr(): Promise<void> {}
  async attachData(): Promise<void> {}
  onEvent(l: (e: SwitchEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(e: SwitchEvent): void {
    for (const l of this.listeners) l(e);
  }
  private push(r: RuntimeRequest): void {
    this.requests.push(r);
    this.onRequest?.(r);
  }
}

export interface IvrCallRun {
  /** What the leg sent on the wire: one 8 kHz signal placed by RTP timestamp. */
  pcm: Int16Array;
  /** Where in `pcm` the caller was at a wall-clock time (epoch ms), by packet arrival. */
  sampleAt: (epochMs: number) => number;
  digits: Array<{ digit: string; at: number }>;
  sipp: { code: number | null; output: string };
}

/** One call: sipp dials, the IVR starts on answer with `start` (leg filled in), sipp follows `steps`, hangs up; the IVR is stopped on BYE. */
export async function callIvr(o: { engine: MediaEngine; svc: IvrCallService; dir: string; start: Omit<IvrStartRequest, 'customerLegId'>; steps: readonly CallerStep[] }): Promise<IvrCallRun> {
  const { engine, svc } = o;
  const scenario = join(o.dir, `ivr-${o.start.interactionId}.xml`);
  writeIvrScenario(scenario, o.steps);
  const digits: Array<{ digit: string; at: number }> = [];
  const relay = await RtpRelay.start('PCMA', 8);
  const leg = await engine.createLeg({ codec: 'PCMA', payloadType: 8, telephoneEventPt: 101, inbandDtmf: false, remote: { address: '127.0.0.1', port: relay.legPort } });
  const off = engine.onEvent((e: EngineEvent) => e.type === 'dtmf' && e.legId === leg.legId && digits.push({ digit: e.digit, at: Date.now() }));
  const uas = await startTinyUas();
  uas.onInvite(async (offer) => {
    const result = negotiate(offer, capabilities({ address: '127.0.0.1', port: relay.peerPort, codecs: ['PCMA'] }));
    if (!result.ok) throw result.error;
    const a = result.audio;
    await engine.updateLeg(leg.legId, { codec: a.codec, payloadType: a.payloadType, telephoneEventPt: a.telephoneEventPayloadType });
    relay.connect({ address: '127.0.0.1', port: leg.localPort }, { address: a.remoteAddress, port: a.remotePort });
    svc.start({ ...o.start, customerLegId: leg.legId });
    return result.answer;
  });
  try {
    const sipPort = await freePort();
    const mediaPort = await freeSippMediaPort();
    const sipp = await runSipp(o.dir, [`127.0.0.1:${uas.port}`, '-sf', scenario, '-m', '1', '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-nostdin', '-timeout', '90s', '-timeout_error', '-trace_err']);
    if (sipp.code === 0) await uas.bye;
    svc.stop(o.start.interactionId);
    await svc.idle();
    const { pcm } = relay.signal();
    return { pcm, sampleAt: (t) => relay.sampleAt(t), digits, sipp };
  } finally {
    off();
    uas.close();
    await engine.destroyLeg(leg.legId).catch(() => undefined);
    relay.close();
  }
}

function runSipp(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('sipp', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, output }));
  });
}

/** Highest normalised correlation of `ref` against `sig` starting near sample `at` (± maxLag samples). */
export function bestCorrelation(sig: Int16Array, at: number, ref: Int16Array, maxLag: number): number {
  let refEnergy = 0;
  for (const v of ref) refEnergy += v * v;
  let best = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const from = at + lag;
    if (from < 0 || from + ref.length > sig.length) continue;
    let dot = 0;
    let e = 0;
    for (let i = 0; i < ref.length; i++) {
      const x = sig[from + i]!;
      dot += x * ref[i]!;
      e += x * x;
    }
    const c = dot / Math.sqrt(refEnergy * e + 1e-9);
    if (c > best) best = c;
  }
  return best;
}
