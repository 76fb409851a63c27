/**
 * Gateway events into the call model. Every event runs in its call's serial
 * queue; a CallModelError here means the event came too late or does not
 * apply (a 180 after the answer, a BYE crossing our own), so it is logged
 * and dropped; nothing thrown here escapes as an unhandled rejection.
 *
 *   inbound     dial plan: entry point → acceptInbound (IVR or queue);
 *               extension or external from an extension → makeCall;
 *               no route → reject 404/403; an outside number from an
 *               agent without may-dial-out (ADM-1) → reject 403
 *   ringing     legProgress          answered   answer (outbound legs)
 *   failed      noAnswer / hangup    hangup     hangup by the party
 *   remote-hold hold / retrieve when it is the handling agent's phone
 *   dtmf        published            refer      blind transfer (CTI-4)
 */
import { DialPlanError } from '../dialplan/dial-plan-error.ts';
import {
  acceptInbound, answer, blindTransfer, CallModelError, hangup, hold, legProgress, makeCall, refuseInbound, retrieve,
  type Destination, type Outcome,
} from '../model/index.ts';
import type { CallGateway, GatewayEvent, InboundCall } from './call-gateway.ts';
import { newLiveCall, type LiveCall } from './live-call.ts';
import type { AgentDirectory } from './ports.ts';
import type { RuntimeCore } from './runtime-core.ts';

export class GatewayEvents {
  constructor(
    private readonly core: RuntimeCore,
    private readonly gateway: CallGateway,
    private readonly agents: AgentDirectory,
  ) {}

  handle(e: GatewayEvent): void {
    this.dispatch(e).catch((err: unknown) => {
      if (err instanceof CallModelError) this.core.log.debug({ event: e.type, err: err.message }, 'switch: gateway event did not apply');
      else this.core.log.error({ event: e.type, err }, 'switch: gateway event handling failed');
    });
  }

  private async dispatch(e: GatewayEvent): Promise<void> {
    if (e.type === 'inbound') return this.inbound(e.call);
    const call = this.core.callOfLeg(e.legId);
    if (call === undefined) {
      if (e.type === 'answered') this.gateway.hangup(e.legId, 'no-call');
      if (e.type === 'refer') this.gateway.referOutcome(e.legId, e.referId, 481);
      return;
    }
    const ix = call.ix;
    switch (e.type) {
      case 'ringing':
        return this.core.op(ix.id, () => legProgress(ix, e.legId, e.early));
      case 'answered':
        return this.core.op(ix.id, (c) => this.answered(c, e.legId));
      case 'failed':
        return this.core.serial.run(ix.id, () => this.core.legFailed(call, { leg: e.legId, status: e.status, cause: e.cause }));
      case 'hangup':
        return this.core.op(ix.id, () => {
          const leg = ix.legs.get(e.legId);
          return leg !== undefined && leg.live && ix.state !== 'ended' ? hangup(ix, e.legId, 'party', e.cause, this.core.afterAgent(ix, e.legId)) : undefined;
        });
      case 'remote-hold':
        return this.core.op(ix.id, () => {
          const leg = ix.legs.get(e.legId);
          if (leg === undefined || leg.party.kind !== 'agent' || ix.m.agentLeg !== e.legId) return undefined;
          return e.held ? hold(ix, leg.party.id) : retrieve(ix, leg.party.id);
        });
      case 'dtmf':
        this.core.hub.emit({ type: 'dtmf', interaction: ix.id, leg: e.legId, digit: e.digit, at: this.core.o.clock.now() });
        return;
      case 'refer':
        return this.core.op(ix.id, () => this.refer(call, e));
    }
  }

  private answered(call: LiveCall, legId: string): Outcome | undefined {
    const ix = call.ix;
    const cd = call.clickToDial;
    if (cd !== undefined && cd.agentLeg === legId) {
      // The agent's phone took the click-to-dial call: now ring the customer, ringback to the agent meanwhile.
      call.gatewayAnswered.add(legId);
      delete call.clickToDial;
      return { commands: [{ kind: 'media.play', leg: legId, source: 'ringback' }, ...cd.deferred], events: [] };
    }
    const leg = ix.legs.get(legId);
    if (leg === undefined || leg.direction === 'inbound' || !leg.live) return undefined;
    let outcome: Outcome;
    try {
      outcome = answer(ix, legId);
    } catch (err) {
      // Answered too late (the call moved on): release the leg.
      this.gateway.hangup(legId, 'not-wanted');
      throw err;
    }
    const agentLeg = ix.m.agentLeg;
    if (legId === ix.customerLeg && agentLeg !== undefined && call.legPlayers.has(agentLeg)) {
      outcome.commands.unshift({ kind: 'media.stop', leg: agentLeg });
    }
    return outcome;
  }

  private async inbound(inc: InboundCall): Promise<void> {
    const core = this.core;
    let route;
    try {
      route = core.dialPlan.routeInbound({ dialed: inc.to.user, ...(inc.account !== undefined ? { account: inc.account } : {}), ...(inc.trunkId !== undefined ? { trunkId: inc.trunkId } : {}) });
    } catch (err) {
      if (!(err instanceof DialPlanError)) throw err;
      core.log.info({ leg: inc.legId, dialed: inc.to.user, from: inc.from.uri, code: err.code }, 'switch: inbound call refused by the dial plan');
      this.gateway.reject(inc.legId, err.sipStatus, err.code === 'not-allowed' ? 'Forbidden' : 'Not Found');
      return;
    }
    if (route.kind === 'external' && inc.account !== undefined && !this.mayDialOut(inc.account)) {
      core.log.info({ leg: inc.legId, dialed: inc.to.user, account: inc.account }, 'switch: outside call refused, the agent may not dial out');
      this.gateway.reject(inc.legId, 403, 'Forbidden');
      return;
    }
    if (route.kind === 'entry' && (route.entry.kind === 'ivr' ? core.ivr === undefined : core.queue === undefined)) {
      // Starting up (or the service failed): the caller may try again, rather than reach a dead IVR or queue.
      core.log.warn({ leg: inc.legId, dialed: inc.to.user, needs: route.entry.kind }, 'switch: service-number call refused, the IVR or ACD is not running');
      this.gateway.reject(inc.legId, 503, 'Service Unavailable');
      return;
    }
    const number = inc.from.user || inc.from.uri;
    const customer = inc.from.displayName !== undefined ? { number, name: inc.from.displayName } : { number };
    let call: LiveCall;
    let outcome: Outcome;
    if (route.kind === 'entry') {
      core.ids.adopt(inc.legId);
      const entry = route.entry.kind === 'ivr' ? { kind: 'ivr' as const, script: route.entry.script } : { kind: 'queue' as const, queueId: route.entry.queueId };
      const refused = core.queue?.refuses?.(route.dialed, number);
      if (refused !== undefined) core.log.info({ leg: inc.legId, dialed: route.dialed, from: number, cause: refused }, 'switch: caller refused before answering');
      const r =
        refused !== undefined
          ? refuseInbound(core.ctx, { kind: 'customer', id: number }, entry.kind === 'queue' ? entry.queueId : undefined, refused)
          : acceptInbound(core.ctx, { kind: 'customer', id: number }, entry);
      core.ids.clear();
      call = newLiveCall(r.interaction, customer, route.dialed);
      outcome = r.outcome;
    } else {
      // An extension calls an extension or an outside number: the caller is the agent side.
      const account = inc.account!;
      const agentId = this.agents.agentOfExtension(account) ?? account;
      core.ids.adopt(undefined, inc.legId);
      const r = makeCall(core.ctx, agentId, inc.to.user);
      core.ids.clear();
      call = newLiveCall(r.interaction, { number: inc.to.user });
      outcome = r.outcome;
      this.gateway.ring(inc.legId);
    }
    call.anchor = inc.legId;
    core.register(call);
    await core.serial.run(call.ix.id, () => core.apply(call, outcome));
  }

  /** REFER from the agent's phone (RFC 3515): a blind transfer to the Refer-To target. */
  private refer(call: LiveCall, e: Extract<GatewayEvent, { type: 'refer' }>): Outcome | undefined {
    const ix = call.ix;
    const leg = ix.legs.get(e.legId);
    if (e.replacesLegId !== undefined) {
      this.gateway.referOutcome(e.legId, e.referId, 501); // attended REFER with Replaces: not yet
      return undefined;
    }
    if (leg === undefined || leg.party.kind !== 'agent') {
      this.gateway.referOutcome(e.legId, e.referId, 403);
      return undefined;
    }
    const dest = this.destinationOf(e.target.user);
    if (dest === undefined) {
      this.gateway.referOutcome(e.legId, e.referId, 404);
      return undefined;
    }
    if (dest.kind === 'external' && this.core.dialOut !== undefined && !this.core.dialOut(leg.party.id)) {
      this.gateway.referOutcome(e.legId, e.referId, 403);
      return undefined;
    }
    try {
      const outcome = blindTransfer(ix, leg.party.id, dest);
      this.gateway.referOutcome(e.legId, e.referId, 200);
      return outcome;
    } catch (err) {
      this.gateway.referOutcome(e.legId, e.referId, 603);
      throw err;
    }
  }

  /** ADM-1: the agent behind a SIP account (or the account itself) may call outside numbers. */
  private mayDialOut(account: string): boolean {
    const policy = this.core.dialOut;
    return policy === undefined || policy(this.agents.agentOfExtension(account) ?? account);
  }

  private destinationOf(user: string): Destination | undefined {
    const agentId = this.agents.agentOfExtension(user);
    if (agentId !== undefined) return { kind: 'agent', agentId };
    try {
      const r = this.core.dialPlan.routeInbound({ dialed: user, account: 'refer' });
      if (r.kind === 'entry') return r.entry.kind === 'queue' ? { kind: 'queue', queueId: r.entry.queueId } : { kind: 'ivr', mode: 'new', script: r.entry.script };
      return { kind: 'external', number: user };
    } catch {
      return undefined;
    }
  }
}
