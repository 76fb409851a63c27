/**
 * TEST SUPPORT ONLY (imported by *.test.ts, never by product code): an
 * in-memory stand-in for the switch runtime that keeps the runtime's side of
 * the ports.ts contract (ring timer on the injected clock, `offer.failed`
 * then a re-enqueue, `cancel` and `interaction.ended` on a hang-up), and a
 * TreatmentPort that records what the caller's leg was asked to do.
 */
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { CallData } from '../../switch/model/index.ts';
import type { OfferFailureCause, OfferOptions, QueuePort, SwitchEvent } from '../../switch/runtime/ports.ts';
import type { AcdSwitch } from './acd-service.ts';
import type { Prompt, TreatmentPort } from './treatment-port.ts';

type CallState = 'queued' | 'ringing' | 'talking' | 'ended' | 'elsewhere';

interface Call {
  id: string;
  number: string;
  queueId: string;
  entryPoint?: string;
  callData: CallData;
  state: CallState;
  agent?: string;
  ringTimer?: TimerHandle;
}

export interface OfferRecord {
  readonly interactionId: string;
  readonly agentId: string;
  readonly opts: OfferOptions;
  readonly at: number;
}

export class FakeSwitch implements AcdSwitch {
  readonly offers: OfferRecord[] = [];
  /** Agents whose phone is unreachable: offerToAgent rejects for them. */
  readonly unreachable = new Set<string>();
  private readonly calls = new Map<string, Call>();
  private listeners: ((e: SwitchEvent) => void)[] = [];
  private seq = 0;
  queuePort: QueuePort | undefined;

  constructor(private readonly clock: Clock) {}

  onEvent(listener: (e: SwitchEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  async offerToAgent(interactionId: string, agentId: string, opts: OfferOptions): Promise<void> {
    const c = this.calls.get(interactionId);
    if (!c || c.state !== 'queued') throw new Error(`interaction ${interactionId} is not queued (${c?.state ?? 'unknown'})`);
    if (this.unreachable.has(agentId)) throw new Error(`agent ${agentId} has no registered phone`);
    this.offers.push({ interactionId, agentId, opts, at: this.clock.now() });
    c.state = 'ringing';
    c.agent = agentId;
    c.ringTimer = this.clock.setTimeout(() => this.fail(interactionId, 'no-answer'), opts.ringTimeoutMs);
  }

  /** A customer calls: the dial plan queued it (acd.enqueue). Returns the interaction id. */
  call(number: string, opts: { queueId?: string; entryPoint?: string; callData?: CallData } = {}): string {
    const id = `ix${++this.seq}`;
    const c: Call = { id, number, queueId: opts.queueId ?? 'general', callData: opts.callData ?? {}, state: 'queued' };
    if (opts.entryPoint !== undefined) c.entryPoint = opts.entryPoint;
    this.calls.set(id, c);
    this.enqueue(c);
    return id;
  }

  /** The ringing agent picks up. */
  answer(interactionId: string): void {
    const c = this.must(interactionId, 'ringing');
    c.ringTimer?.cancel();
    c.state = 'talking';
    this.emit({ type: 'agent.connected', interaction: c.id, agentId: c.agent!, leg: `${c.id}-agent`, at: this.clock.now() });
  }

  /** The ringing agent's phone declines or is busy. */
  reject(interactionId: string, cause: OfferFailureCause): void {
    this.must(interactionId, 'ringing');
    this.fail(interactionId, cause);
  }

  /** Either side ends the conversation, or the caller gives up while queued or ringing. */
  hangUp(interactionId: string, by: 'customer' | 'agent' = 'customer'): void {
    const c = this.calls.get(interactionId);
    if (!c || c.state === 'ended') return;
    const at = this.clock.now();
    c.ringTimer?.cancel();
    const side = by === 'agent' ? 'party' : 'peer';
    if (c.state === 'talking') this.emit({ type: 'agent.released', interaction: c.id, agentId: c.agent!, leg: `${c.id}-agent`, by: side, cause: 'normal', at });
    else if (c.state === 'queued' || c.state === 'ringing') this.queuePort?.cancel(c.id);
    c.state = 'ended';
    this.emit({ type: 'interaction.ended', interaction: c.id, by: side, cause: 'normal', at });
  }

  dtmf(interactionId: string, digit: string): void {
    this.emit({ type: 'dtmf', interaction: interactionId, leg: `${interactionId}-customer`, digit, at: this.clock.now() });
  }

  /** The ACD's treatment took the call out of the queue (voicemail, IVR, hang-up). */
  leaveQueue(interactionId: string): void {
    const c = this.calls.get(interactionId);
    if (c) c.state = 'elsewhere';
  }

  state(interactionId: string): CallState | undefined {
    return this.calls.get(interactionId)?.state;
  }

  private fail(interactionId: string, cause: OfferFailureCause): void {
    const c = this.must(interactionId, 'ringing');
    c.ringTimer?.cancel();
    const agentId = c.agent!;
    delete c.agent;
    c.state = 'queued';
    this.emit({ type: 'offer.failed', interaction: c.id, agentId, cause, at: this.clock.now() });
    this.enqueue(c);
  }

  private enqueue(c: Call): void {
    this.queuePort!.enqueue({ interactionId: c.id, queueId: c.queueId, callData: c.callData, customer: { number: c.number }, ...(c.entryPoint !== undefined ? { entryPoint: c.entryPoint } : {}) });
  }

  private must(id: string, state: CallState): Call {
    const c = this.calls.get(id);
    if (!c || c.state !== state) throw new Error(`interaction ${id} is ${c?.state ?? 'unknown'}, not ${state}`);
    return c;
  }

  private emit(e: SwitchEvent): void {
    for (const l of this.listeners) l(e);
  }
}

export type TreatmentCall =
  | { readonly op: 'playMusic'; readonly interactionId: string; readonly resource: string }
  | { readonly op: 'announce'; readonly interactionId: string; readonly prompt: Prompt }
  | { readonly op: 'voicemail'; readonly interactionId: string; readonly mailbox?: string }
  | { readonly op: 'transfer'; readonly interactionId: string; readonly target: string }
  | { readonly op: 'toIvr'; readonly interactionId: string; readonly application: string }
  | { readonly op: 'hangUp'; readonly interactionId: string; readonly reason: string; readonly prompt?: Prompt };

/** Records every request on the caller's leg; tells the fake switch when the call left the queue. */
export class RecordingTreatment implements TreatmentPort {
  readonly calls: TreatmentCall[] = [];

  constructor(private readonly sw?: FakeSwitch) {}

  playMusic(interactionId: string, resource: string): void {
    this.calls.push({ op: 'playMusic', interactionId, resource });
  }
  announce(interactionId: string, prompt: Prompt): void {
    this.calls.push({ op: 'announce', interactionId, prompt });
  }
  voicemail(interactionId: string, mailbox?: string): void {
    this.calls.push({ op: 'voicemail', interactionId, ...(mailbox !== undefined ? { mailbox } : {}) });
    this.sw?.leaveQueue(interactionId);
  }
  transfer(interactionId: string, target: string): void {
    this.calls.push({ op: 'transfer', interactionId, target });
    this.sw?.leaveQueue(interactionId);
  }
  toIvr(interactionId: string, application: string): void {
    this.calls.push({ op: 'toIvr', interactionId, application });
    this.sw?.leaveQueue(interactionId);
  }
  hangUp(interactionId: string, reason: string, prompt?: Prompt): void {
    this.calls.push({ op: 'hangUp', interactionId, reason, ...(prompt ? { prompt } : {}) });
    this.sw?.hangUp(interactionId, 'agent');
  }

  of(interactionId: string): TreatmentCall[] {
    return this.calls.filter((c) => c.interactionId === interactionId);
  }
}
