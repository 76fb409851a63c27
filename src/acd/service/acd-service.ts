/**
 * The ACD service: the pure routing engine wired to the switch (issue 5).
 *
 *   switch ──enqueue/cancel (QueuePort)──────────► AcdService ──► AcdEngine
 *   switch ◄──offerToAgent (SwitchControl)──────── AcdService ◄── engine events
 *   switch ──offer.failed / agent.connected / agent.released / interaction.ended / dtmf──► AcdService
 *   caller's leg ◄──music, announcements, voicemail, hang-up (TreatmentPort)── AcdService
 *
 * The switch owns the ring timer (it reports `offer.failed`); the engine's
 * own timer waits `ringGuardMs` longer as a backstop. After a failed offer
 * the switch re-enqueues the call; an offer the engine makes before that is
 * held until the call is back in the switch's queue (ContactBook).
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AgentDirectory, EnqueueRequest, QueuePort, SwitchControl, SwitchEvent } from '../../switch/runtime/ports.ts';
import type { AcdEngine } from '../acd-engine.ts';
import type { AcdEvent } from '../acd-events.ts';
import type { Blacklist } from '../blacklist.ts';
import { Emitter } from '../emitter.ts';
import { type Admission, EntryPointRouter } from '../entry-point-router.ts';
import type { RuleSetStore } from '../rule-set-store.ts';
import type { TreatmentCommand } from '../treatment-policy.ts';
import type { ContactData, CustomerLevel } from '../types.ts';
import { AcdError } from '../acd-error.ts';
import { type AcdConfig, type AgentConfig, type AgentConfigInput, agentConfigSchema, customerLevelOf } from './acd-config.ts';
import { AcdControl, type AgentAdminStatus } from './acd-control.ts';
import { AcdSettings } from './acd-settings.ts';
import { type Contact, ContactBook, type PendingOffer } from './contact-book.ts';
import { DirectCalls } from './direct-calls.ts';
import { agentProfile, buildAcdParts } from './engine-setup.ts';
import type { AcdServiceEvent } from './service-events.ts';
import { fixedPrompt, positionPrompt, type TreatmentPort } from './treatment-port.ts';

/** Attached-data key that carries the interaction through the engine (and into its events). */
export const INTERACTION_KEY = 'interaction';

export type AcdSwitch = Pick<SwitchControl, 'offerToAgent' | 'onEvent'>;

export interface AcdServiceOptions {
  readonly config: AcdConfig;
  readonly clock: Clock;
  readonly logger?: Logger;
}

export class AcdService implements QueuePort {
  readonly events = new Emitter<AcdServiceEvent>();
  readonly engine: AcdEngine;
  readonly blacklist: Blacklist;
  readonly rules: RuleSetStore;
  /** Agents and supervisors act through this (API, CLI). */
  readonly control: AcdControl;
  /** Queues and entry points changed at run time (ADM-2). */
  readonly settings: AcdSettings;
  /** Agent ids vs. SIP extensions, from the configuration; the runtime rings agents through it. */
  readonly directory: AgentDirectory;
  private readonly router: EntryPointRouter;
  private readonly contacts = new ContactBook();
  /** Calls the ACD did not route: transfers, consultations, internal and outbound calls (issue 5). */
  private readonly direct: DirectCalls;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly lang: AcdConfig['promptLanguage'];
  private switchControl: AcdSwitch | undefined;
  private treatment: TreatmentPort | undefined;
  private detach: (() => void) | undefined;
  /** Agent id -> extension and back; live, so agents added at run time ring at once (ADM-2). */
  private readonly extensions = new Map<string, string>();
  private readonly agentOfExtension = new Map<string, string>();
  /** Each agent's configuration as last set (file, or administration at run time). */
  private readonly agentConfigs = new Map<string, AgentConfig>();
  /** ADM-1: administered customer class id -> routing level (call data may name a class instead of a level). */
  private classLevel: ((value: string) => CustomerLevel | undefined) | undefined;

  constructor(options: AcdServiceOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.lang = options.config.promptLanguage;
    const parts = buildAcdParts(options.config, options.clock, options.logger);
    this.engine = parts.engine;
    this.blacklist = parts.blacklist;
    this.rules = parts.rules;
    this.router = new EntryPointRouter(parts.entryPoints, parts.blacklist, parts.rules, (q) => this.engine.queueSituation(q));
    const ext = this.extensions;
    const agentOf = this.agentOfExtension;
    for (const a of options.config.agents) {
      this.agentConfigs.set(a.id, { ...a, extension: a.extension ?? a.id });
      ext.set(a.id, a.extension ?? a.id);
      agentOf.set(a.extension ?? a.id, a.id);
    }
    this.directory = { extensionOf: (a) => ext.get(a), agentOfExtension: (e) => agentOf.get(e) };
    this.control = new AcdControl(this.engine, options.config, this.directory, this.rules, this.blacklist, options.clock, (id) => this.contacts.ofEntry(id)?.interactionId);
    this.settings = new AcdSettings({ engine: this.engine, router: this.router, queueIds: parts.queueIds, registerQueue: (q) => this.control.registerQueue(q) }, options.config);
    this.direct = new DirectCalls(this.engine, this.directory, (ix) => {
      const entryId = this.contacts.ofInteraction(ix)?.entryId;
      return entryId !== undefined ? this.engine.entry(entryId)?.queueId : undefined;
    });
    this.engine.events.on((e) => this.onEngineEvent(e));
  }

  /** Connects the service to the running switch; before this no call can arrive. */
  attach(switchControl: AcdSwitch, treatment: TreatmentPort): void {
    this.detach?.();
    this.switchControl = switchControl;
    this.treatment = treatment;
    this.detach = switchControl.onEvent((e) => this.onSwitchEvent(e));
  }

  stop(): void {
    this.detach?.();
    this.detach = undefined;
  }

  // ---- administration at run time (ADM-1, ADM-2) ----

  /** ADM-1: how call data naming a customer class (not a level) is routed; in force for the next call. */
  setCustomerClasses(classLevel: ((value: string) => CustomerLevel | undefined) | undefined): void {
    this.classLevel = classLevel;
  }

  /** A new agent, in force at once: it may log in and be offered calls without a restart. */
  addAgent(input: AgentConfigInput, status: AgentAdminStatus = 'normal'): AgentConfig {
    const a = agentConfigSchema.parse(input);
    const extension = a.extension ?? a.id;
    if (this.extensions.has(a.id)) throw new AcdError('DUPLICATE_AGENT', `agent ${a.id} exists`);
    if (this.agentOfExtension.has(extension)) throw new AcdError('DUPLICATE_AGENT', `extension ${extension} belongs to agent ${this.agentOfExtension.get(extension)}`);
    this.engine.addAgent(agentProfile(a));
    this.extensions.set(a.id, extension);
    this.agentOfExtension.set(extension, a.id);
    this.control.registerAgent(a.id, a.name);
    if (status !== 'normal') this.control.setStatus(a.id, status);
    const stored = { ...a, extension };
    this.agentConfigs.set(a.id, stored);
    return stored;
  }

  /** The agent's configuration as in force now (extension filled in). */
  agentConfig(id: string): AgentConfig | undefined {
    return this.agentConfigs.get(id);
  }

  /** New skills, level, groups or name of an existing agent; its extension stays. In force at once. */
  updateAgent(input: AgentConfigInput): AgentConfig {
    const a = agentConfigSchema.parse(input);
    const extension = this.extensions.get(a.id);
    if (extension === undefined) throw new AcdError('UNKNOWN_AGENT', `no agent ${a.id}`);
    if (a.extension !== undefined && a.extension !== extension) throw new AcdError('INVALID_CONFIG', `agent ${a.id} keeps extension ${extension}`);
    this.engine.updateAgent(agentProfile(a));
    this.control.registerAgent(a.id, a.name);
    const stored = { ...a, extension };
    this.agentConfigs.set(a.id, stored);
    return stored;
  }

  /** ACD-6, ACD-7, ACD-9 for a dial plan that wants to refuse before answering (e.g. SIP 603 for a refused number). */
  screen(dialled: string, caller: string): Admission {
    return this.router.admit({ dialled, caller }, this.clock.now());
  }

  /**
   * QueuePort, ACD-7, asked before the switch answers a service number:
   * `blacklist-refused` when the number's entry point refuses this caller,
   * or, for a number that is no entry point here (an IVR's), when the
   * caller's own blacklist entry says refuse.
   */
  refuses(dialled: string, caller: string): string | undefined {
    const a = this.screen(dialled, caller);
    if (a.kind === 'refuse') return 'blacklist-refused';
    if (a.kind === 'unknown-number' && this.router.refusedOutright(caller, this.clock.now())) return 'blacklist-refused';
    return undefined;
  }

  // ---- QueuePort ----

  enqueue(req: EnqueueRequest): void {
    const known = this.contacts.ofInteraction(req.interactionId);
    const entry = known?.entryId !== undefined ? this.engine.entry(known.entryId) : undefined;
    if (known && entry && (entry.state === 'waiting' || entry.state === 'offered' || entry.state === 'callback')) {
      // The same contact back after a failed offer: it keeps its place.
      // Back while the switch was still ringing an agent (no offer.failed first): that offer failed.
      if (entry.state === 'offered' && entry.offeredTo !== undefined && known.pendingOffer?.agentId !== entry.offeredTo) {
        this.engine.offerFailed(entry.offeredTo, 'no-answer');
      }
      known.switchQueued = true;
      this.flushPending(known);
      return;
    }
    const c = known ?? this.contacts.add({ interactionId: req.interactionId, caller: req.customer.number, switchQueued: true, callback: false });
    c.switchQueued = true;
    c.pendingOffer = undefined;
    if (!known && req.entryPoint !== undefined) this.admit(c, req);
    else this.queue(c, req.queueId, req, false);
  }

  cancel(interactionId: string): void {
    const c = this.contacts.ofInteraction(interactionId);
    if (!c) return;
    this.leave(c);
  }

  // ---- admission and queueing ----

  private admit(c: Contact, req: EnqueueRequest): void {
    const dialled = req.entryPoint!;
    const cd = req.callData;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const facts = {
      dialled,
      caller: req.customer.number,
      customerLevel: customerLevelOf(cd.customerLevel, this.classLevel),
      ...(str(cd.region) !== undefined ? { region: str(cd.region)! } : {}),
      attached: attachedOf(req),
    };
    const a = this.router.admit(facts, this.clock.now());
    if (a.kind !== 'unknown-number') {
      this.events.emit({ type: 'admission', at: this.clock.now(), interactionId: c.interactionId, dialled, caller: req.customer.number, admission: a });
    }
    const t = this.treatment!;
    const ix = c.interactionId;
    switch (a.kind) {
      case 'unknown-number':
        return this.queue(c, req.queueId, req, false);
      case 'queue':
        return this.queue(c, a.queue, req, a.blacklistWarning);
      case 'refuse':
      case 'hang-up':
        this.contacts.forgetInteraction(ix);
        return t.hangUp(ix, a.kind === 'refuse' ? 'blacklist-refused' : 'blacklist-hang-up', a.kind === 'refuse' ? fixedPrompt('blacklist', this.lang) : undefined);
      case 'night-service': {
        const n = a.action;
        if (n.kind === 'queue') return this.queue(c, n.queue, req, false);
        this.contacts.forgetInteraction(ix);
        if (n.kind === 'ivr') return t.toIvr(ix, n.application);
        if (n.kind === 'voicemail') return t.voicemail(ix, n.mailbox);
        return t.hangUp(ix, 'night-service', { kind: 'night-service', text: n.prompt, lang: this.lang });
      }
      case 'redirect':
        this.contacts.forgetInteraction(ix);
        return a.target.kind === 'ivr' ? t.toIvr(ix, a.target.application) : t.voicemail(ix, a.target.mailbox);
    }
  }

  private queue(c: Contact, queueId: string, req: EnqueueRequest, blacklistWarning: boolean): void {
    const cd = req.callData;
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const lastAt = typeof cd.lastContactAt === 'number' ? cd.lastContactAt : undefined;
    const data: ContactData = {
      callerNumber: req.customer.number,
      ...(req.entryPoint !== undefined ? { dialledNumber: req.entryPoint } : {}),
      ...(str(cd.customerId) ? { customerId: str(cd.customerId)! } : {}),
      customerLevel: customerLevelOf(cd.customerLevel, this.classLevel),
      ...(str(cd.region) ? { region: str(cd.region)! } : {}),
      media: 'voice',
      ...(str(cd.lastAgent) && lastAt !== undefined ? { lastAgent: str(cd.lastAgent)!, lastContactAt: lastAt } : {}),
      ...(blacklistWarning ? { blacklistWarning: true } : {}),
      attached: { ...attachedOf(req), [INTERACTION_KEY]: c.interactionId },
    };
    try {
      this.engine.enqueue(queueId, data);
    } catch (err) {
      const error = (err as Error).message;
      this.logger?.warn({ interaction: c.interactionId, queue: queueId, err: error }, 'call could not be queued');
      this.events.emit({ type: 'enqueue-error', at: this.clock.now(), interactionId: c.interactionId, queueId, error });
      this.contacts.forgetInteraction(c.interactionId);
      this.treatment?.voicemail(c.interactionId);
    }
  }

  /** The call left without an agent (hung up, or taken back to the IVR): an abandon unless a callback keeps it. */
  private leave(c: Contact): void {
    this.contacts.forgetInteraction(c.interactionId);
    const e = c.entryId !== undefined ? this.engine.entry(c.entryId) : undefined;
    if (!e || e.state === 'callback') return;
    if (e.state === 'waiting' || e.state === 'offered' || e.state === 'connected') this.engine.hangUp(e.id);
  }

  // ---- offers ----

  private offerToSwitch(c: Contact, o: PendingOffer): void {
    if (!c.switchQueued) {
      c.pendingOffer = o;
      return;
    }
    c.switchQueued = false;
    c.pendingOffer = undefined;
    const entryId = c.entryId;
    this.switchControl!.offerToAgent(c.interactionId, o.agentId, { autoAnswer: o.autoAnswer, ringTimeoutMs: o.ringTimeoutMs }).catch((err: unknown) => {
      const error = (err as Error).message ?? String(err);
      this.events.emit({ type: 'offer-error', at: this.clock.now(), interactionId: c.interactionId, agentId: o.agentId, error });
      // The switch never took the call out of its queue: it stays queued there, and the next offer may go at once.
      c.switchQueued = true;
      if (entryId !== undefined && this.engine.agentSnapshot(o.agentId).entryId === entryId) this.engine.offerFailed(o.agentId, 'unreachable');
    });
  }

  private flushPending(c: Contact): void {
    const o = c.pendingOffer;
    if (o && c.switchQueued) this.offerToSwitch(c, o);
  }

  // ---- switch events ----

  private onSwitchEvent(e: SwitchEvent): void {
    try {
      this.handleSwitchEvent(e);
    } catch (err) {
      // A late or duplicate report must never break the switch's event loop.
      this.logger?.warn({ event: e.type, interaction: e.interaction, err: (err as Error).message }, 'ACD ignored a switch event');
    }
  }

  private handleSwitchEvent(e: SwitchEvent): void {
    const c = this.contacts.ofInteraction(e.interaction);
    this.direct.observe(e);
    switch (e.type) {
      case 'offer.failed': {
        if (c && this.ringingFor(e.agentId, c)) this.engine.offerFailed(e.agentId, e.cause);
        return;
      }
      case 'agent.connected':
        if (c && this.ringingFor(e.agentId, c)) this.engine.answer(e.agentId);
        else this.direct.connected(e.agentId, e.interaction);
        return;
      case 'agent.released':
        this.control.released(e.agentId, c?.entryId);
        this.direct.released(e.agentId, e.interaction);
        this.control.enforceStatus(e.agentId);
        return;
      case 'interaction.ended':
        if (c) this.leave(c);
        return;
      case 'dtmf': {
        const entry = c?.entryId !== undefined ? this.engine.entry(c.entryId) : undefined;
        if (entry?.state === 'waiting') this.engine.pressDtmf(entry.id, e.digit);
        return;
      }
      default:
        return;
    }
  }

  private ringingFor(agentId: string, c: Contact): boolean {
    const s = this.engine.agentSnapshot(agentId);
    return s.state === 'reserved' && s.entryId !== undefined && s.entryId === c.entryId;
  }

  // ---- engine events ----

  private onEngineEvent(e: AcdEvent): void {
    const c = this.contactOf(e);
    this.events.emit({ type: 'acd', ...(c ? { interactionId: c.interactionId } : {}), event: e });
    switch (e.type) {
      case 'entry-queued': {
        const ix = e.data.attached?.[INTERACTION_KEY];
        const contact = ix !== undefined ? this.contacts.ofInteraction(ix) : undefined;
        if (contact) this.contacts.bindEntry(contact, e.entryId);
        return;
      }
      case 'offered':
        if (e.callback) return this.control.assignCallback(e.agentId, e.entryId, (task) => this.events.emit({ type: 'callback-assigned', at: this.clock.now(), agentId: e.agentId, task }));
        if (c) this.offerToSwitch(c, { agentId: e.agentId, autoAnswer: e.autoAnswer, ringTimeoutMs: e.ringTimeoutMs });
        return;
      case 'treatment':
        if (c) this.treat(c, e.command);
        return;
      case 'callback-task':
        this.control.rememberCallback(e.task);
        if (c) c.callback = true;
        return;
      case 'entry-ended':
        this.contacts.forgetEntry(e.entryId);
        return;
      case 'wrap-up-ended':
        this.contacts.forgetEntry(e.entryId);
        return;
      default:
        return;
    }
  }

  private contactOf(e: AcdEvent): Contact | undefined {
    if (e.type === 'entry-queued') {
      const ix = e.data.attached?.[INTERACTION_KEY];
      return ix !== undefined ? this.contacts.ofInteraction(ix) : undefined;
    }
    return 'entryId' in e && e.entryId !== undefined ? this.contacts.ofEntry(e.entryId) : undefined;
  }

  /** ACD-5: treatment commands become calls on the caller's leg. */
  private treat(c: Contact, cmd: TreatmentCommand): void {
    const t = this.treatment;
    if (!t) return;
    const ix = c.interactionId;
    switch (cmd.kind) {
      case 'play-music':
        return t.playMusic(ix, cmd.resource);
      case 'announce':
        return t.announce(ix, positionPrompt(this.lang, cmd.position, cmd.estimatedWaitSec));
      case 'offer-callback':
        return t.announce(ix, fixedPrompt('callback-offer', this.lang));
      case 'callback-accepted':
        this.contacts.forgetInteraction(ix);
        return t.hangUp(ix, 'callback-accepted', fixedPrompt('callback-accepted', this.lang));
      case 'voicemail':
        this.contacts.forgetInteraction(ix);
        return t.voicemail(ix, cmd.mailbox);
      case 'transfer':
        this.contacts.forgetInteraction(ix);
        return t.transfer(ix, cmd.target);
      case 'overflow':
        return; // the engine moved the contact to the other queue; the call stays where it is
    }
  }
}

/** String values of the call data (IVR inputs and the like) for routing rules. */
function attachedOf(req: EnqueueRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.callData)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}
