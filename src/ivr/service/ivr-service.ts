import { systemClock, type Clock } from '../../shared/clock.ts';
import type { VoiceChannel } from '../channel/voice-channel.ts';
import type { IvrStepEvent } from '../interpreter/ivr-step-event.ts';
import type { SessionOutcome } from '../interpreter/vxml-session.ts';
import type { JsonValue } from '../script/json-value.ts';
import { IvrRunner, type IvrRunnerOptions } from '../ivr-runner.ts';
import type { EntryPointTable, ResolvedEntryPoint } from './entry-point-table.ts';
import { MenuUsageCounter } from './menu-usage-counter.ts';
import { noticePrompts, type NoticeBoard } from './notice-board.ts';

export interface IvrServiceOptions extends IvrRunnerOptions {
  readonly entryPoints: EntryPointTable;
  readonly notices: NoticeBoard;
  readonly usage?: MenuUsageCounter;
}

export interface IncomingCall {
  readonly dnis: string;
  readonly channel: VoiceChannel;
  readonly sessionId?: string;
  /** session.connection.* and other session variables. */
  readonly vars?: Readonly<Record<string, JsonValue>>;
  /** Run this application (URL) instead of the one the DNIS maps to (the switch names the script). */
  readonly application?: string;
  /** Start at this dialog of the application (a resume point) instead of its first. */
  readonly startAt?: string;
  /** Play no notices (resumed calls, surveys). */
  readonly skipNotices?: boolean;
}

export type IvrCallResult =
  | { readonly kind: 'no-entry-point'; readonly dnis: string }
  | { readonly kind: 'ran'; readonly entryPoint: ResolvedEntryPoint; readonly noticesPlayed: readonly string[]; readonly outcome: SessionOutcome };

/**
 * The IVR service (issue 6 item 6): a call to a DNIS runs the application
 * its entry point names; the notices in force (IVR-7) are played first,
 * before the application's first dialog; every step is passed on (IVR-6)
 * and counted per menu node. Notice, entry-point and document changes take
 * effect with the next call, no restart (IVR-2).
 */
export class IvrService {
  readonly usage: MenuUsageCounter;
  private readonly runner: IvrRunner;
  private readonly clock: Clock;
  private readonly sink: (e: IvrStepEvent) => void;
  private nextId = 0;

  constructor(private readonly opts: IvrServiceOptions) {
    this.usage = opts.usage ?? new MenuUsageCounter();
    this.clock = opts.clock ?? systemClock;
    const outer = opts.steps;
    this.sink = (e) => {
      this.usage.record(e);
      outer?.(e);
    };
    this.runner = new IvrRunner({ ...opts, steps: this.sink });
  }

  /** The entry points in force (the call service resolves scripts the switch names by them). */
  entryPoints(): ResolvedEntryPoint[] {
    return this.opts.entryPoints.list();
  }

  async handleCall(call: IncomingCall): Promise<IvrCallResult> {
    const entryPoint = this.opts.entryPoints.resolve(call.dnis) ?? (call.application ? { dnis: call.dnis, application: call.application, url: call.application } : undefined);
    if (!entryPoint) {
      this.opts.logger.warn({ dnis: call.dnis }, 'ivr: no entry point for the dialled number');
      return { kind: 'no-entry-point', dnis: call.dnis };
    }
    const sessionId = call.sessionId ?? `ivr-call-${++this.nextId}`;
    const notices = call.skipNotices ? [] : this.opts.notices.active(call.dnis, this.clock.now());
    if (notices.length > 0) {
      const now = this.opts.monotonicNow ?? (() => performance.now());
      const t0 = now();
      const r = await call.channel.play(noticePrompts(notices), { bargein: false });
      this.sink({
        sessionId,
        seq: 0,
        at: this.clock.now(),
        kind: 'prompt',
        node: `notice:${notices.map((n) => n.id).join(',')}`,
        result: r === 'hangup' ? 'hangup' : 'played',
        durationMs: now() - t0,
      });
      if (r === 'hangup') return { kind: 'ran', entryPoint, noticesPlayed: [], outcome: { kind: 'hangup' } };
    }
    const vars = { ...(this.opts.sessionVariables ?? {}), ...(call.vars ?? {}), connection: { local: { uri: entryPoint.dnis }, ...objectOr(call.vars?.['connection']) } };
    const url = (call.application ?? entryPoint.url) + (call.startAt ? `#${call.startAt}` : '');
    const outcome = await this.runner.run(url, call.channel, sessionId, vars);
    return { kind: 'ran', entryPoint, noticesPlayed: notices.map((n) => n.id), outcome };
  }
}

function objectOr(v: JsonValue | undefined): Record<string, JsonValue> {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
