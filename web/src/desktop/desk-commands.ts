/**
 * What each toolbar action asks of the server: the HTTP request for an
 * ActionRequest, or why it cannot be sent. Pure. Agent-state actions go to
 * the ACD (/api/v1/agents/:id/...), call actions to the switch
 * (/api/v1/calls, /api/v1/interactions/:id/...). Answer has no request: the
 * agent answers on the phone the call rings (desk phone; the browser
 * softphone is not built yet).
 */
import type { DiallingRules } from '../api/types.ts';
import type { ActionId } from './actions.ts';
import type { NotReadyReason } from './desk-state.ts';

export interface ActionRequest {
  id: ActionId;
  reason?: NotReadyReason;
  /** A phone number or an agent (id or extension). */
  target?: string;
}

export interface CommandContext {
  agentId: string;
  interactionId?: string;
  /** Agent ids and extensions: a target naming one is an agent, anything else a number. */
  agents: ReadonlySet<string>;
  /** ADM-1: without may-dial-out, outside numbers are refused here before the server refuses them. */
  dialling?: DiallingRules;
}

export type Command = { method: 'POST'; path: string; body: Record<string, unknown> };
export type CommandProblem = 'no-request' | 'no-call' | 'target-required' | 'bad-number' | 'dial-out-not-allowed';

const AGENT_PATH: Partial<Record<ActionId, string>> = { 'sign-in': 'login', 'sign-out': 'logout', ready: 'ready', 'not-ready': 'not-ready', 'wrap-up': 'wrap-up-done' };
const CALL_PATH: Partial<Record<ActionId, string>> = {
  'hang-up': 'hangup', hold: 'hold', retrieve: 'retrieve', alternate: 'alternate', reconnect: 'reconnect', conference: 'conference', 'transfer-attended': 'transfer',
};
const NUMBER = /^[0-9*#+]{1,32}$/;

/** An outside number: not an agent, not in the dial plan's extension ranges, not a service number (as src/switch/runtime/dial-out.ts). */
export function isOutsideTarget(target: string, rules: Pick<DiallingRules, 'extensions' | 'serviceNumbers'>, agents: ReadonlySet<string>): boolean {
  const t = target.trim();
  if (agents.has(t) || rules.serviceNumbers.includes(t)) return false;
  return !rules.extensions.some((r) => /^\d+$/.test(t) && t.length === r.from.length && t >= r.from && t <= r.to);
}

/** ADM-1: whether the desk may ask for this target (empty targets are left to the other checks). */
export function targetAllowed(target: string, rules: DiallingRules | undefined, agents: ReadonlySet<string>): boolean {
  return rules === undefined || rules.mayDialOut || target.trim() === '' || !isOutsideTarget(target, rules, agents);
}

/** Which actions the server has a request for (the others stay disabled). */
export function hasRequest(id: ActionId): boolean {
  return id in AGENT_PATH || id in CALL_PATH || id === 'make-call' || id === 'consult' || id === 'transfer-blind';
}

export function isAgentStateAction(id: ActionId): boolean {
  return id in AGENT_PATH;
}

export function commandFor(req: ActionRequest, ctx: CommandContext): Command | CommandProblem {
  const agentPath = AGENT_PATH[req.id];
  if (agentPath) {
    return { method: 'POST', path: `/api/v1/agents/${encodeURIComponent(ctx.agentId)}/${agentPath}`, body: req.id === 'not-ready' && req.reason ? { reason: req.reason } : {} };
  }
  const target = req.target?.trim() ?? '';
  if (req.id === 'make-call') {
    if (!target) return 'target-required';
    if (!NUMBER.test(target)) return 'bad-number';
    if (!targetAllowed(target, ctx.dialling, ctx.agents)) return 'dial-out-not-allowed';
    return { method: 'POST', path: '/api/v1/calls', body: { number: target } };
  }
  if (!hasRequest(req.id)) return 'no-request';
  if (!ctx.interactionId) return 'no-call';
  const base = `/api/v1/interactions/${encodeURIComponent(ctx.interactionId)}`;
  const callPath = CALL_PATH[req.id];
  if (callPath) return { method: 'POST', path: `${base}/${callPath}`, body: {} };
  if (!target) return 'target-required';
  const agent = ctx.agents.has(target);
  if (!agent && !NUMBER.test(target)) return 'bad-number';
  if (!targetAllowed(target, ctx.dialling, ctx.agents)) return 'dial-out-not-allowed';
  if (req.id === 'consult') return { method: 'POST', path: `${base}/consult`, body: { target: agent ? { agentId: target } : { number: target } } };
  return { method: 'POST', path: `${base}/blind-transfer`, body: { to: agent ? { kind: 'agent', agentId: target } : { kind: 'external', number: target } } };
}
