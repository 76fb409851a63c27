/**
 * SwitchRuntime: the B2BUA's brain (issue 4). It holds the live
 * Interactions, turns gateway events and requests (HTTP API, ACD, IVR) into
 * call-model operations, one at a time per interaction, and carries out the
 * commands each operation returns (runtime-core.ts, command-executor.ts).
 *
 * Requests fail with the model's CallModelError (a state conflict, HTTP 409)
 * or SwitchRuntimeError (not found, no route); nothing else is thrown for a
 * request the state forbids, and one call's failure never touches another.
 */
import {
  alternate, barge, blindTransfer, completeConference, completeTransfer, consult, enqueue, forceRelease, hangup, hold,
  intercept, interactionOfAgent, makeCall, monitor, offer, queueToIvr, reconnect, retrieve, whisper, CallModelError,
  type CallData, type ConsultTarget, type Destination,
} from '../model/index.ts';
import { handlingLeg } from '../model/operations-call.ts';
import { assertMayDial, diallingRules, type DialOutPolicy, type DiallingRules } from './dial-out.ts';
import { GatewayEvents } from './gateway-events.ts';
import { interactionView, type InteractionView } from './interaction-view.ts';
import { newLiveCall, type LiveCall } from './live-call.ts';
import type { IvrPort, IvrTransferTarget, OfferOptions, QueuePort, SwitchControl, SwitchEvent } from './ports.ts';
import { RuntimeCore, type SwitchRuntimeOptions } from './runtime-core.ts';
import { SwitchRuntimeError } from './switch-runtime-error.ts';

export type AgentOperation = 'hold' | 'retrieve' | 'alternate' | 'reconnect' | 'transfer' | 'conference' | 'hangup';
export type SupervisorOperation = 'monitor' | 'whisper' | 'barge' | 'intercept' | 'force-release';

export class SwitchRuntime implements SwitchControl {
  private readonly core: RuntimeCore;
  private readonly unsubscribe: () => void;

  constructor(opts: SwitchRuntimeOptions) {
    this.core = new RuntimeCore(opts);
    const events = new GatewayEvents(this.core, opts.gateway, opts.agents);
    this.unsubscribe = opts.gateway.onEvent((e) => events.handle(e));
  }

  /** Services arrive after the runtime in the composition root. */
  setQueuePort(queue: QueuePort): void {
    this.core.queue = queue;
  }
  setIvrPort(ivr: IvrPort): void {
    this.core.ivr = ivr;
  }
  /** ADM-1: who may call outside numbers (dial-out.ts); checked on make call, consult, blind transfer, REFER and phone dialling. */
  setDialOutPolicy(policy: DialOutPolicy): void {
    this.core.dialOut = policy;
  }

  onEvent(listener: (e: SwitchEvent) => void): () => void {
    return this.core.hub.on(listener);
  }

  // ---- reads ----
  list(): InteractionView[] {
    return [...this.core.live.values()].map(interactionView);
  }
  get(interactionId: string): InteractionView {
    const c = this.core.live.get(interactionId) ?? this.core.ended.get(interactionId);
    if (c === undefined) throw new SwitchRuntimeError('no-such-interaction', interactionId);
    return interactionView(c);
  }
  /** The live interaction the agent is talking on (or AGENT_NOT_ON_CALL). */
  interactionOfAgent(agentId: string): string {
    return interactionOfAgent([...this.core.live.values()].map((c) => c.ix), agentId).id;
  }
  /** ADM-1: whether the agent may call outside numbers, and which numbers are inside. */
  dialling(agentId: string): DiallingRules {
    return diallingRules(this.core.dialOut, this.core.dialPlan, agentId);
  }
  get liveCount(): number {
    return this.core.live.size;
  }

  // ---- agent call control (CTI-1..CTI-4) ----
  /** Click-to-dial: rings the agent's phone (auto-answer), then the number; returns the interaction ID at once. */
  async makeCall(agentId: string, number: string, callData: CallData = {}): Promise<string> {
    const core = this.core;
    if (core.o.agents.extensionOf(agentId) === undefined) throw new SwitchRuntimeError('unknown-agent', agentId);
    assertMayDial(core.dialOut, core.dialPlan, agentId, number);
    try {
      core.dialPlan.routeOutbound(number);
    } catch (err) {
      throw new SwitchRuntimeError('no-route', err instanceof Error ? err.message : number);
    }
    const agentLeg = core.ids.newId('leg');
    core.ids.adopt(undefined, agentLeg);
    const { interaction, outcome } = makeCall(core.ctx, agentId, number, callData);
    core.ids.clear();
    const call = newLiveCall(interaction, { number });
    call.clickToDial = { agentLeg, deferred: [] };
    core.register(call);
    void core.serial
      .run(interaction.id, async () => {
        await core.apply(call, outcome); // the customer's dial waits in clickToDial.deferred
        const failure = await core.exec.dial(call, agentLeg, { kind: 'agent', id: agentId }, { autoAnswer: true, callerId: { number } });
        if (failure !== undefined) await core.legFailed(call, failure);
      })
      .catch((err: unknown) => core.log.error({ err, interaction: interaction.id }, 'switch: make call failed'));
    return interaction.id;
  }

  agentOp(interactionId: string, agentId: string, op: AgentOperation): Promise<void> {
    return this.core.op(interactionId, (call) => {
      const ix = call.ix;
      switch (op) {
        case 'hold':
          return hold(ix, agentId);
        case 'retrieve':
          return retrieve(ix, agentId);
        case 'alternate':
          return alternate(ix, agentId);
        case 'reconnect':
          return reconnect(ix, agentId);
        case 'transfer':
          return completeTransfer(ix, agentId);
        case 'conference':
          return completeConference(ix, agentId);
        case 'hangup':
          return this.agentHangup(call, agentId);
      }
    });
  }

  consult(interactionId: string, agentId: string, target: ConsultTarget): Promise<void> {
    return this.core.op(interactionId, (call) => {
      if (target.kind === 'agent' && this.core.o.agents.extensionOf(target.agentId) === undefined) throw new SwitchRuntimeError('unknown-agent', target.agentId);
      if (target.kind === 'external') assertMayDial(this.core.dialOut, this.core.dialPlan, agentId, target.number);
      return consult(call.ix, agentId, target);
    });
  }

  blindTransfer(interactionId: string, agentId: string, to: Destination): Promise<void> {
    return this.core.op(interactionId, (call) => {
      if (to.kind === 'agent' && this.core.o.agents.extensionOf(to.agentId) === undefined) throw new SwitchRuntimeError('unknown-agent', to.agentId);
      if (to.kind === 'external') assertMayDial(this.core.dialOut, this.core.dialPlan, agentId, to.number);
      return blindTransfer(call.ix, agentId, to);
    });
  }

  /** The agent ends their part from the desktop: their phone gets BYE as well. */
  private agentHangup(call: LiveCall, agentId: string) {
    const leg = call.ix.agentLegOf(agentId);
    if (leg === undefined) throw new CallModelError('AGENT_NOT_ON_CALL', `interaction ${call.ix.id}`, `agent ${agentId} is not on this call`);
    return hangup(call.ix, leg.id, 'system', 'agent-hangup', this.core.afterAgent(call.ix, leg.id));
  }

  // ---- supervisor (SUP-2) ----
  supervisorOp(supervisorId: string, agentId: string, op: SupervisorOperation): Promise<void> {
    if (op !== 'force-release' && this.core.o.agents.extensionOf(supervisorId) === undefined) {
      return Promise.reject(new SwitchRuntimeError('unknown-agent', supervisorId));
    }
    let ixId: string;
    try {
      ixId = this.interactionOfAgent(agentId);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.core.op(ixId, (call) => {
      const ix = call.ix;
      switch (op) {
        case 'monitor':
          return monitor(ix, supervisorId, agentId);
        case 'whisper':
          return whisper(ix, supervisorId, agentId);
        case 'barge':
          return barge(ix, supervisorId, agentId);
        case 'intercept':
          return intercept(ix, supervisorId, agentId);
        case 'force-release':
          return forceRelease(ix, agentId);
      }
    });
  }

  // ---- recording (TEL-5) ----
  startRecording(interactionId: string): Promise<string> {
    let path = '';
    return this.core
      .op(interactionId, async (call) => {
        path = await this.core.startRecorder(call);
        return undefined;
      })
      .then(() => path);
  }

  stopRecording(interactionId: string): Promise<string> {
    let path: string | undefined;
    return this.core
      .op(interactionId, async (call) => {
        path = await this.core.exec.stopRecording(call);
        if (path === undefined) throw new SwitchRuntimeError('not-recording', interactionId);
        return undefined;
      })
      .then(() => path!);
  }

  // ---- services (SwitchControl) ----
  offerToAgent(interactionId: string, agentId: string, opts: OfferOptions): Promise<void> {
    return this.core.op(interactionId, (call) => {
      call.offers.set(agentId, opts);
      return offer(call.ix, agentId);
    });
  }

  ivrTransfer(interactionId: string, target: IvrTransferTarget, opts: { callData?: CallData; resumeAt?: string } = {}): Promise<void> {
    return this.core.op(interactionId, (call) => {
      this.core.hub.emit({ type: 'ivr.transfer-request', interaction: interactionId, target, at: this.core.o.clock.now() });
      for (const [k, v] of Object.entries(opts.callData ?? {})) call.ix.setData(k, v);
      call.ivrActive = false;
      return target.kind === 'queue' ? enqueue(call.ix, target.queueId, opts.resumeAt) : offer(call.ix, target.agentId);
    });
  }

  ivrHangup(interactionId: string, cause = 'ivr-hangup'): Promise<void> {
    return this.endCall(interactionId, cause);
  }

  /** Ends the whole call from the switch's side (IVR goodbye, queue treatment): every leg gets BYE. */
  endCall(interactionId: string, cause: string): Promise<void> {
    return this.core.op(interactionId, (call) => {
      call.ivrActive = false;
      return hangup(call.ix, call.ix.customerLeg, 'system', cause);
    });
  }

  /**
   * Plays a WAV file to the waiting customer (queue treatment, ACD-5: music,
   * announcements), replacing what played before. Only while the call waits
   * in a queue; the offer's answer stops it.
   */
  playToCustomer(interactionId: string, path: string, loop: boolean): Promise<void> {
    return this.core.op(interactionId, async (call) => {
      if (call.ix.state !== 'queued') throw new CallModelError('INVALID_STATE', `interaction ${interactionId}`, `treatment only while queued (now ${call.ix.state})`);
      await this.core.exec.playFile(call, call.ix.customerLeg, path, loop);
      return undefined;
    });
  }

  queueToIvr(interactionId: string, to: { mode: 'resume' } | { mode: 'new'; script: string }): Promise<void> {
    return this.core.op(interactionId, (call) => queueToIvr(call.ix, { kind: 'ivr', ...to }));
  }

  attachData(interactionId: string, data: CallData): Promise<void> {
    return this.core.op(interactionId, (call) => {
      for (const [k, v] of Object.entries(data)) call.ix.setData(k, v);
      this.core.hub.emit({ type: 'calldata.changed', interaction: interactionId, callData: { ...call.ix.callData() }, at: this.core.o.clock.now() });
      return undefined;
    });
  }

  /** Is the agent the one handling this call (for the API's own-call rule)? */
  isHandlingAgent(interactionId: string, agentId: string): boolean {
    const call = this.core.live.get(interactionId);
    if (call === undefined) return false;
    try {
      handlingLeg(call.ix, agentId);
      return true;
    } catch {
      return call.ix.agentLegOf(agentId) !== undefined;
    }
  }

  /** Hangs up every live call (shutdown). */
  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.all(
      [...this.core.live.values()].map((call) =>
        this.core.op(call.ix.id, (c) => (c.ix.state === 'ended' ? undefined : hangup(c.ix, c.ix.customerLeg, 'system', 'shutdown'))).catch(() => undefined),
      ),
    );
  }
}
