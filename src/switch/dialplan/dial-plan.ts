/**
 * The dial plan (TEL-1, TEL-5): pure, table-driven routing of a dialled
 * number. Inbound calls: a DID on a trunk or a service number reaches an
 * entry point (a queue or an IVR application); an internal extension is a
 * direct call; an external number from an authenticated extension goes out
 * through a trunk. Numbers the switch itself dials (make call, consult,
 * transfer to an outside number) use `routeOutbound`.
 */
import type { DialTarget } from '../runtime/call-gateway.ts';
import { parseDialPlan, type DialPlanConfig } from './dial-plan-config.ts';
import { DialPlanError } from './dial-plan-error.ts';

export type EntryPointTarget = { kind: 'queue'; queueId: string } | { kind: 'ivr'; script: string };

export type InboundRoute =
  | { kind: 'entry'; entryPointId: string; dialed: string; entry: EntryPointTarget }
  | { kind: 'extension'; extension: string }
  | { kind: 'external'; target: DialTarget; number: string };

export interface InboundQuery {
  /** The Request-URI user part. */
  dialed: string;
  /** The SIP account that authenticated the INVITE, if any. */
  account?: string;
  /** The trunk the INVITE came in on, if any. */
  trunkId?: string;
}

export class DialPlan {
  private current: DialPlanConfig;

  constructor(raw: unknown) {
    this.current = parseDialPlan(raw);
  }

  get config(): DialPlanConfig {
    return this.current;
  }

  /**
   * ADM-2: replace the trunks (DIDs and default entry points) live; the
   * next inbound call routes by them. Validated like the whole plan (every
   * entry point named must exist, every external route's trunk must stay):
   * a bad set throws DialPlanError('invalid-config') and changes nothing.
   */
  setTrunks(trunks: DialPlanConfig['trunks']): void {
    this.current = parseDialPlan({ ...this.current, trunks });
  }

  isExtension(number: string): boolean {
    return this.config.extensions.some((r) => number.length === r.from.length && /^\d+$/.test(number) && number >= r.from && number <= r.to);
  }

  /** Numbers anyone may call without an account: the service numbers. */
  isPublicNumber(number: string): boolean {
    return Object.hasOwn(this.config.serviceNumbers, number);
  }

  entryPoint(id: string): EntryPointTarget {
    const ep = this.config.entryPoints[id];
    if (ep === undefined) throw new DialPlanError('no-route', `no entry point ${id}`);
    return 'queue' in ep ? { kind: 'queue', queueId: ep.queue } : { kind: 'ivr', script: ep.ivr };
  }

  routeInbound(q: InboundQuery): InboundRoute {
    const dialed = q.dialed;
    if (!/^[0-9*#+]+$/.test(dialed)) throw new DialPlanError('no-route', `"${dialed}" is not a number`);
    if (q.trunkId !== undefined) {
      const trunk = this.config.trunks[q.trunkId];
      if (trunk === undefined) throw new DialPlanError('no-route', `unknown trunk ${q.trunkId}`);
      const ep = trunk.dids[dialed] ?? trunk.defaultEntryPoint;
      if (ep === undefined) throw new DialPlanError('no-route', `DID ${dialed} on trunk ${q.trunkId}`);
      return { kind: 'entry', entryPointId: ep, dialed, entry: this.entryPoint(ep) };
    }
    const service = this.config.serviceNumbers[dialed];
    if (service !== undefined) return { kind: 'entry', entryPointId: service, dialed, entry: this.entryPoint(service) };
    if (this.isExtension(dialed)) {
      if (q.account === undefined) throw new DialPlanError('not-allowed', `extension ${dialed} from an unauthenticated caller`);
      return { kind: 'extension', extension: dialed };
    }
    const ext = this.matchExternal(dialed);
    if (ext === undefined) throw new DialPlanError('no-route', `number ${dialed}`);
    if (q.account === undefined) throw new DialPlanError('not-allowed', `external number ${dialed} from an unauthenticated caller`);
    return { kind: 'external', ...ext };
  }

  /** Where the switch sends a call it places itself to `number`. */
  routeOutbound(number: string): DialTarget {
    if (!/^[0-9*#+]+$/.test(number)) throw new DialPlanError('no-route', `"${number}" is not a number`);
    if (this.isExtension(number)) return { kind: 'extension', extension: number };
    const ext = this.matchExternal(number);
    if (ext === undefined) throw new DialPlanError('no-route', `number ${number}`);
    return ext.target;
  }

  private matchExternal(dialed: string): { target: DialTarget; number: string } | undefined {
    for (const rule of this.config.external) {
      if (rule.prefix !== undefined && !dialed.startsWith(rule.prefix)) continue;
      if (rule.pattern !== undefined && !new RegExp(rule.pattern).test(dialed)) continue;
      const number = (rule.prepend ?? '') + dialed.slice(rule.strip ?? 0);
      if (number.length === 0) continue;
      if (rule.trunk !== undefined) return { number, target: { kind: 'trunk', trunkId: rule.trunk, number } };
      return { number, target: { kind: 'uri', uri: rule.uri!.replaceAll('{number}', number) } };
    }
    return undefined;
  }
}
