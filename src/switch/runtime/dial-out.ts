/**
 * ADM-1 may-dial-out: an agent without the right places no call to an
 * outside number, whichever way it asks (make call, consult or blind
 * transfer from the API, a REFER or a dialled number from its phone).
 * Internal extensions and service numbers stay open to everyone. The
 * policy comes from the composition root (the administered agents);
 * without one every agent may dial out. Pure.
 */
import type { DialPlan } from '../dialplan/dial-plan.ts';
import { SwitchRuntimeError } from './switch-runtime-error.ts';

/** Whether this agent (or supervisor) may call outside numbers. */
export type DialOutPolicy = (agentId: string) => boolean;

/** An outside number: neither an internal extension nor a service number of the dial plan. */
export function isOutsideNumber(plan: Pick<DialPlan, 'isExtension' | 'isPublicNumber'>, number: string): boolean {
  return !plan.isExtension(number) && !plan.isPublicNumber(number);
}

/** Throws the typed `dial-out-not-allowed` (HTTP 403) when the agent may not call this number. */
export function assertMayDial(policy: DialOutPolicy | undefined, plan: Pick<DialPlan, 'isExtension' | 'isPublicNumber'>, agentId: string, number: string): void {
  if (policy === undefined || !isOutsideNumber(plan, number) || policy(agentId)) return;
  throw new SwitchRuntimeError('dial-out-not-allowed', `agent ${agentId} may not call the outside number ${number}`);
}

/** What a desktop needs to tell inside from outside numbers, and whether this agent may dial out (GET /api/v1/dialling). */
export interface DiallingRules {
  mayDialOut: boolean;
  extensions: { from: string; to: string }[];
  serviceNumbers: string[];
}

export function diallingRules(policy: DialOutPolicy | undefined, plan: DialPlan, agentId: string): DiallingRules {
  return {
    mayDialOut: policy === undefined || policy(agentId),
    extensions: plan.config.extensions.map((r) => ({ from: r.from, to: r.to })),
    serviceNumbers: Object.keys(plan.config.serviceNumbers).sort(),
  };
}
