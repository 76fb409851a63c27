import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { IvrPort, IvrStartRequest, IvrTransferTarget, SwitchControl, SwitchEvent } from '../../switch/runtime/ports.ts';
import type { TransferPort, TransferRequest, TransferResult } from '../channel/voice-channel.ts';
import { promptText } from '../channel/voice-channel.ts';
import type { IvrStepEvent, IvrStepSink } from '../interpreter/ivr-step-event.ts';
import type { SessionOutcome } from '../interpreter/vxml-session.ts';
import type { PromptLocale } from '../prompt/say-as.ts';
import type { JsonValue } from '../script/json-value.ts';
import { IvrService, type IvrCallResult, type IvrServiceOptions } from '../service/ivr-service.ts';
import type { SurveyStore } from '../survey/survey-store.ts';
import { agentAnnouncement } from './agent-announcement.ts';
import type { CallChannel, ChannelFactory } from './call-channel.ts';
import { CallInputs, redactStep } from './call-inputs.ts';

export interface SurveyOptions {
  /** Entry points (DNIS) whose callers are offered the survey when the agent hangs up first; `all`: every service number. */
  readonly entryPoints: readonly string[] | 'all';
  /** The survey application per prompt language. */
  readonly applications: Readonly<Record<PromptLocale, string>>;
  readonly store: SurveyStore;
}

export interface IvrCallServiceOptions {
  readonly ivr: IvrServiceOptions;
  readonly control: SwitchControl;
  readonly channels: ChannelFactory;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Prompt language per entry point (DNIS); `defaultLocale` (zh-CN) otherwise. */
  readonly locales?: Readonly<Record<string, PromptLocale>>;
  readonly defaultLocale?: PromptLocale;
  /** IVR-5: announce the agent's number to the caller on connect (default on). */
  readonly announceAgent?: boolean;
  /** How an agent is numbered to callers (工号); the agent ID by default. */
  readonly agentNumber?: (agentId: string) => string;
  readonly survey?: SurveyOptions;
}

/** What the IVR remembers of a call from its first start to the end of the interaction. */
interface CallInfo {
  readonly interactionId: string;
  customerLegId: string;
  entryPoint?: string;
  locale: PromptLocale;
  agentId?: string;
  /** The interaction's state, from its `interaction.state` events. */
  state?: string;
}

interface Run {
  readonly req: IvrStartRequest;
  readonly sessionId: string;
  readonly kind: 'application' | 'survey';
  readonly inputs: CallInputs;
  channel: CallChannel;
  handedOff: boolean;
  stopped: boolean;
  /** The document hung up (`<disconnect>`): the switch must be told. */
  disconnected: boolean;
  /** The rated agent (surveys). */
  agentId?: string;
}

/**
 * The IVR on real calls (IvrPort of the switch runtime): `start` runs the
 * application on the caller's media leg through MediaLegChannel, with the
 * call's data as session variables; `<transfer>` and the keypad's agent key
 * become `ivrTransfer` requests carrying what the caller entered (IVR-4);
 * an application that ends by itself ends the call (`ivrHangup`). Every step
 * is logged, secrets masked (IVR-6). On `agent.connected` the caller hears
 * the agent's number (IVR-5), not a consulted agent's (the caller is on
 * hold during a consultation); `surveyFor` tells the runtime whether the
 * caller should be sent to the satisfaction survey when the agent hangs up
 * first, whose answer is stored and counted per agent (IVR-8).
 */
export class IvrCallService implements IvrPort {
  readonly service: IvrService;
  private readonly clock: Clock;
  private readonly runs = new Map<string, Run>();
  private readonly bySession = new Map<string, Run>();
  private readonly calls = new Map<string, CallInfo>();
  private readonly outer?: IvrStepSink;
  private readonly unsubscribe: () => void;
  private nextRun = 0;
  /** Settles when every session started so far has finished (tests, shutdown). */
  private pending = new Set<Promise<void>>();

  constructor(private readonly o: IvrCallServiceOptions) {
    this.clock = o.clock ?? systemClock;
    this.outer = o.ivr.steps;
    this.service = new IvrService({ ...o.ivr, steps: (e) => this.onStep(e) });
    this.unsubscribe = o.control.onEvent((e) => this.onSwitchEvent(e));
  }

  start(req: IvrStartRequest): void {
    const prev = this.runs.get(req.interactionId);
    if (prev) this.halt(prev, 'replaced by a new start');
    const info = this.callInfo(req);
    const survey = this.surveyKind(req.script);
    // The channel's callbacks reach the run through this closure; they are only called once the session runs.
    const self = (): Run => run;
    const run: Run = {
      req,
      sessionId: `${req.interactionId}/${++this.nextRun}`,
      kind: survey ? 'survey' : 'application',
      inputs: new CallInputs(),
      channel: this.o.channels({ legId: req.customerLegId, locale: info.locale, transfers: this.transferPort(self), onDisconnect: () => (self().disconnected = true) }),
      handedOff: false,
      stopped: false,
      disconnected: false,
      agentId: survey ? info.agentId : undefined,
    };
    this.runs.set(req.interactionId, run);
    this.bySession.set(run.sessionId, run);
    this.o.logger.info({ interaction: req.interactionId, session: run.sessionId, script: req.script, mode: req.mode, resumeAt: req.resumeAt, kind: run.kind }, 'ivr: start');
    const p = this.execute(run).catch((e) => this.o.logger.error({ interaction: req.interactionId, err: String(e) }, 'ivr: session failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  stop(interactionId: string): void {
    const run = this.runs.get(interactionId);
    if (run) this.halt(run, 'stopped by the switch');
  }

  /**
   * IVR-8: the survey the caller should be sent to now that the agent has
   * hung up first, if any. The switch names the agent and the service number
   * (calls that came straight to a queue never passed the IVR).
   */
  surveyFor(call: { interactionId: string; agentId?: string; entryPoint?: string }): { script: string } | undefined {
    const s = this.o.survey;
    if (!s) return undefined;
    const known = this.calls.get(call.interactionId);
    const entryPoint = known?.entryPoint ?? call.entryPoint;
    const agentId = call.agentId ?? known?.agentId;
    if (!agentId || !entryPoint) return undefined;
    const bare = (d: string) => d.replace(/^\+/, '');
    if (s.entryPoints !== 'all' && !s.entryPoints.some((d) => bare(d) === bare(entryPoint))) return undefined;
    const locale = known?.locale ?? this.localeOf(entryPoint);
    if (known) known.agentId = agentId;
    else this.calls.set(call.interactionId, { interactionId: call.interactionId, customerLegId: '', entryPoint, locale, agentId });
    return { script: s.applications[locale] };
  }

  /** Wait for every running session to finish. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  close(): void {
    for (const run of this.runs.values()) this.halt(run, 'service closing');
    this.unsubscribe();
  }

  private async execute(run: Run): Promise<void> {
    const { req } = run;
    const info = this.calls.get(req.interactionId)!;
    let result: IvrCallResult;
    try {
      result = await this.service.handleCall({
        dnis: req.entryPoint ?? '',
        channel: run.channel,
        sessionId: run.sessionId,
        vars: this.sessionVars(req, run.sessionId),
        application: this.applicationOf(req.script),
        startAt: req.resumeAt,
        skipNotices: req.mode === 'resume' || run.kind === 'survey',
      });
      if (result.kind === 'no-entry-point' && !run.stopped) {
        this.o.logger.warn({ interaction: req.interactionId, script: req.script, entryPoint: req.entryPoint }, 'ivr: unknown script, the caller goes to an agent');
        await run.channel.play([{ kind: 'text', text: this.o.ivr.platform?.apologyText ?? 'Sorry.' }], { bargein: false });
        const p = this.o.ivr.platform;
        await run.channel.transfers.transfer({ type: 'blind', dest: p?.agentDestination ?? 'queue:default', connectTimeoutMs: 30_000, maxTimeMs: 0, origin: 'platform' });
      }
    } finally {
      run.channel.close();
      this.bySession.delete(run.sessionId);
      if (this.runs.get(req.interactionId) === run) this.runs.delete(req.interactionId);
    }
    const outcome: SessionOutcome | undefined = result.kind === 'ran' ? result.outcome : undefined;
    this.o.logger.info({ interaction: req.interactionId, session: run.sessionId, outcome, handedOff: run.handedOff, stopped: run.stopped }, 'ivr: end');
    if (run.kind === 'survey') await this.saveSurvey(run, info, outcome);
    if (run.stopped || run.handedOff) return;
    const failed = run.channel.failed === true;
    // The caller hung up: the switch knows from signalling; nothing to ask for.
    if (outcome?.kind === 'hangup' && !run.disconnected && !failed) return;
    const cause = failed ? 'ivr-media-failed' : run.disconnected ? 'ivr-disconnect' : run.kind === 'survey' ? 'survey-complete' : outcome?.kind === 'error' ? `ivr-error ${outcome.event}` : 'ivr-complete';
    // What the caller entered stays with the interaction (reports, CDR) even when no agent takes it.
    await this.o.control.attachData(req.interactionId, run.inputs.callData(req.entryPoint, undefined)).catch((e) => this.o.logger.warn({ interaction: req.interactionId, err: String(e) }, 'ivr: call data refused'));
    await this.o.control.ivrHangup(req.interactionId, cause).catch((e) => this.o.logger.warn({ interaction: req.interactionId, err: String(e) }, 'ivr: hang-up refused'));
  }

  private transferPort(runOf: () => Run): TransferPort {
    return {
      transfer: async (t: TransferRequest): Promise<TransferResult> => {
        const run = runOf();
        const id = run.req.interactionId;
        if (run.stopped) return { outcome: 'hangup', durationMs: 0 };
        const target = destinationOf(t.dest);
        if (!target) {
          this.o.logger.warn({ interaction: id, dest: t.dest }, 'ivr: transfer destination is neither queue:ID nor agent:ID');
          return { outcome: 'unknown', durationMs: 0 };
        }
        const callData = run.inputs.callData(run.req.entryPoint, t.aai);
        const t0 = this.clock.now();
        try {
          await this.o.control.ivrTransfer(id, target, { callData: { ...callData } });
        } catch (e) {
          this.o.logger.warn({ interaction: id, target, err: String(e) }, 'ivr: transfer refused by the switch');
          return { outcome: 'network_busy', durationMs: this.clock.now() - t0 };
        }
        run.handedOff = true;
        // The caller may have switched language in the IVR: the agent's number and the survey follow it.
        const chosen = callData['locale'];
        const info = this.calls.get(id);
        if (info && (chosen === 'zh-CN' || chosen === 'en-US')) info.locale = chosen;
        this.o.logger.info({ interaction: id, target, type: t.type, origin: t.origin, callData: callData as JsonValue }, 'ivr: handed to the switch');
        run.channel.hangup('transferred');
        return { outcome: 'transferred', durationMs: this.clock.now() - t0 };
      },
    };
  }

  private onStep(e: IvrStepEvent): void {
    this.bySession.get(e.sessionId)?.inputs.record(e);
    const safe = redactStep(e);
    this.o.logger.info({ ...safe }, 'ivr step');
    this.outer?.(safe);
  }

  private onSwitchEvent(e: SwitchEvent): void {
    if (e.type === 'interaction.state') {
      const info = this.calls.get(e.interaction);
      if (info) info.state = e.to;
    } else if (e.type === 'agent.connected') {
      const info = this.calls.get(e.interaction);
      // A consulted agent talks with the handling agent while the caller waits on hold: nothing to announce
      // (the caller would hear "工号 8002 为您服务" over the music, and may never be put through to 8002).
      if (!info || info.state === 'consulting') return;
      info.agentId = e.agentId;
      if (this.o.announceAgent !== false) {
        const p = this.announce(info, e.agentId);
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
      }
    } else if (e.type === 'interaction.ended') {
      const run = this.runs.get(e.interaction);
      if (run) this.halt(run, 'interaction ended');
      this.calls.delete(e.interaction);
    }
  }

  /** IVR-5: "工号 8001 为您服务" to the caller's leg (not bargeable). */
  private async announce(info: CallInfo, agentId: string): Promise<void> {
    const number = this.o.agentNumber?.(agentId) ?? agentId;
    const segments = agentAnnouncement(number, info.locale);
    const ch = this.o.channels({ legId: info.customerLegId, locale: info.locale, transfers: NO_TRANSFERS, onDisconnect: () => undefined });
    const t0 = performance.now();
    try {
      const r = await ch.play(segments, { bargein: false });
      this.onStep({ sessionId: `${info.interactionId}/agent`, seq: 1, at: this.clock.now(), kind: 'prompt', node: 'hotline:agent-announcement', result: r === 'played' ? promptText(segments) : 'hangup', durationMs: performance.now() - t0 });
    } catch (e) {
      this.o.logger.warn({ interaction: info.interactionId, agentId, err: String(e) }, 'ivr: agent announcement failed');
    } finally {
      ch.close();
    }
  }

  private async saveSurvey(run: Run, info: CallInfo, outcome: SessionOutcome | undefined): Promise<void> {
    const s = this.o.survey;
    if (!s || !run.agentId) return;
    const value = outcome?.kind === 'exit' ? outcome.value : undefined;
    const raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)['score'] : undefined;
    const score = raw === undefined || raw === null || raw === '' ? undefined : Number(raw);
    const ok = score !== undefined && Number.isFinite(score);
    try {
      await s.store.save({ interactionId: info.interactionId, agentId: run.agentId, entryPoint: info.entryPoint, ...(ok ? { score } : {}), completed: ok, at: this.clock.now() });
    } catch (e) {
      this.o.logger.warn({ interaction: info.interactionId, err: String(e) }, 'ivr: survey result not stored');
    }
  }

  private halt(run: Run, why: string): void {
    if (run.stopped) return;
    run.stopped = true;
    this.o.logger.info({ interaction: run.req.interactionId, session: run.sessionId, why }, 'ivr: stop');
    run.channel.hangup('caller');
  }

  private callInfo(req: IvrStartRequest): CallInfo {
    let info = this.calls.get(req.interactionId);
    const entryPoint = req.entryPoint ?? info?.entryPoint;
    const locale = this.localeOf(entryPoint);
    if (!info) this.calls.set(req.interactionId, (info = { interactionId: req.interactionId, customerLegId: req.customerLegId, entryPoint, locale }));
    info.customerLegId = req.customerLegId;
    info.entryPoint = entryPoint;
    info.locale = locale;
    return info;
  }

  private localeOf(entryPoint: string | undefined): PromptLocale {
    return (entryPoint && this.o.locales?.[entryPoint.replace(/^\+/, '')]) || this.o.defaultLocale || 'zh-CN';
  }

  private surveyKind(script: string): boolean {
    const apps = this.o.survey?.applications;
    return !!apps && (script === apps['zh-CN'] || script === apps['en-US']);
  }

  /** The switch names a script: a URL or absolute path runs as is; an entry point's name or number runs its application. */
  private applicationOf(script: string): string | undefined {
    if (/^(https?|file):/i.test(script)) return script;
    if (script.startsWith('/')) return new URL(`file://${script}`).href;
    return this.service.entryPoints().find((e) => e.name === script || e.dnis === script)?.url;
  }

  /** `session.hotline.sessionId` is the IVR session (the packs key their call-attached data by it). */
  private sessionVars(req: IvrStartRequest, sessionId: string): Record<string, JsonValue> {
    const remote = req.customer.number ? `tel:${req.customer.number}` : 'anonymous';
    return {
      connection: { local: { uri: req.entryPoint ?? '' }, remote: { uri: remote }, protocol: { name: 'sip' } },
      hotline: { sessionId, interactionId: req.interactionId, mode: req.mode, callData: req.callData, customer: { number: req.customer.number, ...(req.customer.name ? { name: req.customer.name } : {}) } },
    };
  }
}

const NO_TRANSFERS: TransferPort = { transfer: async () => ({ outcome: 'unknown', durationMs: 0 }) };

/** `queue:funds` → the funds queue; `agent:8001` → agent 8001; anything else is not a destination the switch takes from the IVR. */
export function destinationOf(dest: string): IvrTransferTarget | undefined {
  const m = /^(queue|agent):([A-Za-z0-9_.@-]+)$/.exec(dest.trim());
  if (!m) return undefined;
  return m[1] === 'queue' ? { kind: 'queue', queueId: m[2]! } : { kind: 'agent', agentId: m[2]! };
}
