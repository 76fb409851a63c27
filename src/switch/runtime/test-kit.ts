/**
 * Test support for the runtime's unit tests (not product code): an in-memory
 * CallGateway that records what it was asked and lets a test play the far
 * ends, an in-memory SwitchMedia that keeps bridges, members and roles (and
 * refuses what the engine refuses: unknown legs, unknown bridges, double
 * joins), and recording QueuePort / IvrPort. Who hears whom is computed from
 * the roles with the mixer's rules, so tests state audio expectations the
 * same way the e2e tests prove them with tones.
 */
import { FakeClock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AudioSource, PlayTarget, RecordTarget } from '../../media/engine/engine-protocol.ts';
import type { MixerRole } from '../../media/mixer/mixer.ts';
import { DialPlan } from '../dialplan/dial-plan.ts';
import type { CallGateway, DialOptions, DialTarget, GatewayEvent, InboundCall } from './call-gateway.ts';
import type { EnqueueRequest, IvrPort, IvrStartRequest, QueuePort, SwitchEvent } from './ports.ts';
import { SwitchRuntime } from './switch-runtime.ts';
import type { SwitchMedia } from './switch-media.ts';

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };

export class FakeGateway implements CallGateway {
  readonly dials: { legId: string; target: DialTarget; opts: DialOptions }[] = [];
  readonly calls: string[] = [];
  readonly legs = new Set<string>();
  failDial?: (target: DialTarget) => Error | undefined;
  failAnswer = new Set<string>();
  private readonly listeners = new Set<(e: GatewayEvent) => void>();
  private seq = 0;

  constructor(private readonly onLeg: (legId: string) => void = () => {}) {}

  async dial(legId: string, target: DialTarget, opts: DialOptions): Promise<void> {
    await Promise.resolve();
    const err = this.failDial?.(target);
    if (err) throw err;
    this.dials.push({ legId, target, opts });
    this.legs.add(legId);
    this.onLeg(legId);
  }
  ring(legId: string): void {
    this.calls.push(`ring ${legId}`);
  }
  async answer(legId: string): Promise<void> {
    await Promise.resolve();
    if (this.failAnswer.has(legId)) throw new Error('no ACK');
    this.calls.push(`answer ${legId}`);
  }
  reject(legId: string, status: number): void {
    this.calls.push(`reject ${legId} ${status}`);
    this.legs.delete(legId);
  }
  hangup(legId: string, cause: string): void {
    this.calls.push(`hangup ${legId} ${cause}`);
    this.legs.delete(legId);
  }
  referOutcome(legId: string, referId: string, status: number): void {
    this.calls.push(`refer-outcome ${legId} ${referId} ${status}`);
  }
  onEvent(listener: (e: GatewayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: GatewayEvent): void {
    for (const l of this.listeners) l(e);
  }
  /** A phone calls in; returns its leg ID. */
  inbound(from: string, to: string, account?: string): string {
    const legId = `in-${++this.seq}`;
    this.legs.add(legId);
    this.onLeg(legId);
    const call: InboundCall = {
      legId,
      from: { user: from, uri: `sip:${from}@10.0.0.1` },
      to: { user: to, uri: `sip:${to}@hotline` },
      source: { address: '10.0.0.1', port: 5060, transport: 'udp' },
      headers: {},
      ...(account !== undefined ? { account } : {}),
    };
    this.emit({ type: 'inbound', call });
    return legId;
  }
  /** The last leg dialled to an extension. */
  legTo(extension: string): string {
    const d = [...this.dials].reverse().find((x) => x.target.kind === 'extension' && x.target.extension === extension);
    if (!d) throw new Error(`nothing dialled to ${extension}; dials: ${JSON.stringify(this.dials.map((x) => x.target))}`);
    return d.legId;
  }
  hungUp(legId: string): boolean {
    return this.calls.some((c) => c.startsWith(`hangup ${legId} `));
  }
}

interface FakeBridge {
  members: Map<string, { role: MixerRole; whisperTo?: string }>;
  music: boolean;
}

export class FakeMedia implements SwitchMedia {
  readonly legs = new Set<string>();
  readonly bridges = new Map<string, FakeBridge>();
  readonly players = new Map<string, PlayTarget & { source: AudioSource }>();
  readonly recorders = new Map<string, { target: RecordTarget; path: string; stopped: boolean }>();
  readonly log: string[] = [];
  private seq = 0;

  async createBridge(opts: { bridgeId?: string }): Promise<string> {
    const id = opts.bridgeId ?? `b${++this.seq}`;
    if (this.bridges.has(id)) throw new Error(`duplicate-id ${id}`);
    this.bridges.set(id, { members: new Map(), music: false });
    this.log.push(`create ${id}`);
    return id;
  }
  async destroyBridge(id: string): Promise<void> {
    this.bridge(id);
    this.bridges.delete(id);
    this.log.push(`destroy ${id}`);
  }
  async join(bridgeId: string, legId: string, role: MixerRole = 'full', extra: { whisperTo?: string } = {}): Promise<void> {
    const b = this.bridge(bridgeId);
    if (!this.legs.has(legId)) throw new Error(`unknown-leg ${legId}`);
    if (b.members.has(legId)) throw new Error(`duplicate member ${legId}`);
    for (const other of this.bridges.values()) if (other.members.has(legId)) throw new Error(`${legId} already in another bridge`);
    b.members.set(legId, { role, ...(extra.whisperTo !== undefined ? { whisperTo: extra.whisperTo } : {}) });
    this.log.push(`join ${bridgeId} ${legId} ${role}`);
  }
  async setRole(bridgeId: string, legId: string, role: MixerRole, whisperTo?: string): Promise<void> {
    const m = this.bridge(bridgeId).members.get(legId);
    if (!m) throw new Error(`not a member ${legId}`);
    m.role = role;
    if (whisperTo === undefined) delete m.whisperTo;
    else m.whisperTo = whisperTo;
    this.log.push(`role ${bridgeId} ${legId} ${role}`);
  }
  async leave(bridgeId: string, legId: string): Promise<void> {
    if (!this.bridge(bridgeId).members.delete(legId)) throw new Error(`not a member ${legId}`);
    this.log.push(`leave ${bridgeId} ${legId}`);
  }
  async play(target: PlayTarget, source: AudioSource): Promise<string> {
    if ('legId' in target && !this.legs.has(target.legId)) throw new Error(`unknown-leg ${target.legId}`);
    if ('bridgeId' in target) this.bridge(target.bridgeId).music = true;
    const id = `p${++this.seq}`;
    this.players.set(id, { ...target, source });
    return id;
  }
  async stopPlayer(id: string): Promise<void> {
    if (!this.players.delete(id)) throw new Error(`unknown-player ${id}`);
  }
  async record(target: RecordTarget, path: string): Promise<string> {
    const id = `r${++this.seq}`;
    this.recorders.set(id, { target, path, stopped: false });
    return id;
  }
  async controlRecording(id: string, action: 'pause' | 'resume' | 'stop'): Promise<void> {
    const r = this.recorders.get(id);
    if (!r) throw new Error(`unknown-recorder ${id}`);
    if (action === 'stop') r.stopped = true;
  }

  /** What a leg hears: 'music', a ringback or queue player, or the legs it hears in its bridge. */
  hears(legId: string): string[] {
    for (const p of this.players.values()) if ('legId' in p && p.legId === legId) return [`player:${p.source.kind === 'wav' ? p.source.path : 'tone'}`];
    for (const b of this.bridges.values()) {
      const me = b.members.get(legId);
      if (!me) continue;
      if (me.role === 'hold') return b.music ? ['music'] : [];
      const out: string[] = [];
      for (const [id, m] of b.members) {
        if (id === legId) continue;
        if (m.role === 'full' || m.role === 'hold' || (m.role === 'whisper' && m.whisperTo === legId)) out.push(id);
      }
      return out.sort();
    }
    return [];
  }
  legPlayers(legId: string): AudioSource[] {
    return [...this.players.values()].filter((p) => 'legId' in p && p.legId === legId).map((p) => p.source);
  }

  private bridge(id: string): FakeBridge {
    const b = this.bridges.get(id);
    if (!b) throw new Error(`unknown-bridge ${id}`);
    return b;
  }
}

export class RecordingQueue implements QueuePort {
  readonly enqueued: EnqueueRequest[] = [];
  readonly cancelled: string[] = [];
  /** Callers the entry point refuses before answering (ACD-7). */
  readonly refusedCallers = new Set<string>();
  refuses(_dialled: string, caller: string): string | undefined {
    return this.refusedCallers.has(caller) ? 'blacklist-refused' : undefined;
  }
  enqueue(req: EnqueueRequest): void {
    this.enqueued.push(req);
  }
  cancel(id: string): void {
    this.cancelled.push(id);
  }
}
export class RecordingIvr implements IvrPort {
  readonly started: IvrStartRequest[] = [];
  readonly stopped: string[] = [];
  /** IVR-8: the survey script offered when the agent hangs up first (none by default). */
  survey: string | undefined;
  readonly surveyAsked: Array<{ interactionId: string; agentId: string; entryPoint?: string }> = [];
  surveyFor(call: { interactionId: string; agentId: string; entryPoint?: string }): { script: string } | undefined {
    this.surveyAsked.push(call);
    return this.survey === undefined ? undefined : { script: this.survey };
  }
  start(req: IvrStartRequest): void {
    this.started.push(req);
  }
  stop(id: string): void {
    this.stopped.push(id);
  }
}

/** A runtime over the fakes: agents 8001-8010 and supervisor 8100 at the same extension, demo-like plan. */
export function runtimeKit(opts: { recordCalls?: boolean; withoutServices?: boolean } = {}) {
  const clock = new FakeClock();
  const media = new FakeMedia();
  const gateway = new FakeGateway((leg) => media.legs.add(leg));
  const queue = new RecordingQueue();
  const ivr = new RecordingIvr();
  const dialPlan = new DialPlan({
    extensions: [{ from: '8000', to: '8999' }],
    entryPoints: { ivr: { ivr: 'main.vxml' }, general: { queue: 'general' } },
    serviceNumbers: { '95000': 'ivr', '95001': 'general' },
    trunks: { carrier: {} },
    external: [{ prefix: '9', strip: 1, trunk: 'carrier' }],
  });
  const known = (id: string) => /^8\d{3}$/.test(id) && id !== '8999';
  const runtime = new SwitchRuntime({
    clock,
    logger: silentLogger,
    gateway,
    media,
    dialPlan,
    agents: { extensionOf: (a) => (known(a) ? a : undefined), agentOfExtension: (e) => (known(e) ? e : undefined) },
    sounds: { musicOnHold: '/moh.wav', queueMusic: '/queue.wav', ringback: '/ringback.wav' },
    recordingsDir: '/rec',
    ...(opts.recordCalls !== undefined ? { recordCalls: opts.recordCalls } : {}),
    ...(opts.withoutServices ? {} : { queue, ivr }),
    idPrefix: 't',
  });
  const events: SwitchEvent[] = [];
  runtime.onEvent((e) => events.push(e));
  return { clock, media, gateway, queue, ivr, runtime, events, settle };
}

/** A customer calls 95001 (general queue) and agent 8001 answers the offer. */
export async function talkingCall(k: ReturnType<typeof runtimeKit>, from = '13800000001') {
  const cust = k.gateway.inbound(from, '95001');
  await settle();
  const ix = k.queue.enqueued.at(-1)!.interactionId;
  await k.runtime.offerToAgent(ix, '8001', { autoAnswer: true, ringTimeoutMs: 15000 });
  await settle();
  const agent = k.gateway.legTo('8001');
  k.gateway.emit({ type: 'answered', legId: agent });
  await settle();
  return { ix, cust, agent };
}

/** Lets queued operations and promise chains run to the end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
}
