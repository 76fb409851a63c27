/**
 * Call control from the command line (issue 4, CTI-1..CTI-5, SUP-2), through
 * a running server's HTTP API like every control command:
 *   hotline calls [--json]
 *   hotline call show ID | make NUMBER --agent A [--set K=V ...]
 *   hotline call hold|retrieve|alternate|reconnect|conference|hangup ID [--agent A]
 *   hotline call consult ID --to agent:8002|number:913900000000 [--agent A]
 *   hotline call transfer ID [--to agent:X|number:N|queue:Q|ivr:resume|ivr:SCRIPT] [--agent A]
 *       (no --to: complete the consultation as a transfer; with --to: blind transfer)
 *   hotline call record ID start|stop
 *   hotline supervise monitor|whisper|barge|intercept|release AGENT [--supervisor S]
 * A refused operation prints the server's message with its typed code, e.g.
 * `hotline: ... (NOT_ON_HOLD: the call is not on hold) (HTTP 409)`, exit 1.
 */
import type { Command } from 'commander';
import { callApi, CliError, resolveTarget, type TargetOptions } from './api-client.ts';
import { formatTable } from './table.ts';

interface LegDto {
  id: string;
  party: { kind: string; id: string };
  state: string;
}
interface InteractionDto {
  id: string;
  state: string;
  customer: { number: string; name?: string };
  agentId?: string;
  queueId?: string;
  entryPoint?: string;
  legs: LegDto[];
  recording: boolean;
  startedAt: string;
  callData: Record<string, unknown>;
}

type Opts = { json?: boolean; agent?: string; to?: string; set?: string[]; supervisor?: string };

const withControl = (cmd: Command): Command =>
  cmd
    .option('--server <url>', 'server URL (default: from DIR/server.json)')
    .option('--token <token>', 'API bearer token (default: DIR/admin-token)')
    .option('--data <dir>', 'data directory of a local server (default ./data)')
    .option('--json', 'print JSON');

const target = (cmd: Command) => resolveTarget(cmd.optsWithGlobals<TargetOptions>(), process.env, process.cwd());

const out = (json: boolean | undefined, data: unknown, human: () => string) => console.log(json ? JSON.stringify(data, null, 2) : human());

function summary(v: InteractionDto): string {
  const live = v.legs.filter((l) => l.state !== 'terminated').map((l) => `${l.party.kind}:${l.party.id}(${l.state})`);
  return `${v.id} ${v.state}${v.agentId ? ` agent ${v.agentId}` : ''} customer ${v.customer.number}${v.recording ? ' recording' : ''}\n  legs: ${live.join(' ') || '-'}`;
}

/** `agent:8002`, `number:139...`, `queue:general`, `ivr:resume`, `ivr:SCRIPT` as the API's destination. */
export function parseDestination(s: string): Record<string, string> {
  const i = s.indexOf(':');
  const kind = i < 0 ? '' : s.slice(0, i);
  const value = i < 0 ? '' : s.slice(i + 1);
  if (value === '') throw new CliError(`--to ${s}: expected agent:ID, number:N, queue:Q, ivr:resume or ivr:SCRIPT`, 2);
  switch (kind) {
    case 'agent':
      return { kind: 'agent', agentId: value };
    case 'number':
      return { kind: 'external', number: value };
    case 'queue':
      return { kind: 'queue', queueId: value };
    case 'ivr':
      return value === 'resume' ? { kind: 'ivr', mode: 'resume' } : { kind: 'ivr', mode: 'new', script: value };
    default:
      throw new CliError(`--to ${s}: expected agent:ID, number:N, queue:Q, ivr:resume or ivr:SCRIPT`, 2);
  }
}

function callData(pairs: string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  const data: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new CliError(`--set ${p}: expected KEY=VALUE`, 2);
    data[p.slice(0, i)] = p.slice(i + 1);
  }
  return data;
}

const agentBody = (o: Opts) => (o.agent !== undefined ? { agentId: o.agent } : {});
const path = (id: string, op: string) => `/api/v1/interactions/${encodeURIComponent(id)}/${op}`;
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerCallCommands(program: Command): void {
  withControl(program.command('calls').description('live calls (interactions)')).action(async (o: Opts, cmd: Command) => {
    const calls = await callApi<InteractionDto[]>(target(cmd), 'GET', '/api/v1/calls');
    out(o.json, calls, () =>
      calls.length
        ? formatTable(['ID', 'STATE', 'CUSTOMER', 'AGENT', 'QUEUE', 'LEGS', 'STARTED'], calls.map((c) => [c.id, c.state, c.customer.number, c.agentId, c.queueId, String(c.legs.filter((l) => l.state !== 'terminated').length), c.startedAt]))
        : 'no calls',
    );
  });

  const call = program.command('call').description('call control (CTI-1..CTI-5)');
  withControl(call.command('show <id>').description('one interaction')).action(async (id: string, o: Opts, cmd: Command) => {
    const v = await callApi<InteractionDto>(target(cmd), 'GET', `/api/v1/interactions/${encodeURIComponent(id)}`);
    out(o.json, v, () => summary(v));
  });
  withControl(call.command('make <number>').description('ring the agent’s phone, then the number'))
    .option('--agent <id>', 'agent placing the call (needed with an admin token)')
    .option('--set <key=value>', 'call-attached data (repeatable)', collect)
    .action(async (number: string, o: Opts, cmd: Command) => {
      const data = callData(o.set);
      const r = await callApi<{ interactionId: string }>(target(cmd), 'POST', '/api/v1/calls', { number, ...agentBody(o), ...(data ? { callData: data } : {}) });
      out(o.json, r, () => `dialling: interaction ${r.interactionId}`);
    });
  for (const op of ['hold', 'retrieve', 'alternate', 'reconnect', 'conference', 'hangup'] as const) {
    withControl(call.command(`${op} <id>`).description(`${op} the call`))
      .option('--agent <id>', 'acting agent (needed with an admin token)')
      .action(async (id: string, o: Opts, cmd: Command) => {
        const v = await callApi<InteractionDto>(target(cmd), 'POST', path(id, op), agentBody(o));
        out(o.json, v, () => summary(v));
      });
  }
  withControl(call.command('consult <id>').description('consult an agent or a number; the customer hears music'))
    .requiredOption('--to <dest>', 'agent:ID or number:N')
    .option('--agent <id>', 'acting agent (needed with an admin token)')
    .action(async (id: string, o: Opts, cmd: Command) => {
      const d = parseDestination(o.to!);
      const t = d.kind === 'agent' ? { agentId: d.agentId } : d.kind === 'external' ? { number: d.number } : undefined;
      if (t === undefined) throw new CliError('--to: a consultation goes to agent:ID or number:N', 2);
      const v = await callApi<InteractionDto>(target(cmd), 'POST', path(id, 'consult'), { ...agentBody(o), target: t });
      out(o.json, v, () => summary(v));
    });
  withControl(call.command('transfer <id>').description('complete the consultation as a transfer, or with --to a blind transfer'))
    .option('--to <dest>', 'agent:ID, number:N, queue:Q, ivr:resume or ivr:SCRIPT')
    .option('--agent <id>', 'acting agent (needed with an admin token)')
    .action(async (id: string, o: Opts, cmd: Command) => {
      const v =
        o.to === undefined
          ? await callApi<InteractionDto>(target(cmd), 'POST', path(id, 'transfer'), agentBody(o))
          : await callApi<InteractionDto>(target(cmd), 'POST', path(id, 'blind-transfer'), { ...agentBody(o), to: parseDestination(o.to) });
      out(o.json, v, () => summary(v));
    });
  withControl(call.command('record <id> <action>').description('start or stop recording (TEL-5)')).action(async (id: string, action: string, o: Opts, cmd: Command) => {
    if (action !== 'start' && action !== 'stop') throw new CliError('record: action must be start or stop', 2);
    const r = await callApi<{ path: string; recording: boolean }>(target(cmd), 'POST', path(id, `recording/${action}`));
    out(o.json, r, () => `${r.recording ? 'recording to' : 'recording stopped:'} ${r.path}`);
  });

  const sup = program.command('supervise').description('supervisor actions on an agent’s call (SUP-2)');
  for (const [verb, op] of [['monitor', 'monitor'], ['whisper', 'whisper'], ['barge', 'barge'], ['intercept', 'intercept'], ['release', 'force-release']] as const) {
    withControl(sup.command(`${verb} <agent>`).description(`${op} the agent’s call`))
      .option('--supervisor <id>', 'supervisor whose phone joins (needed with an admin token)')
      .action(async (agent: string, o: Opts, cmd: Command) => {
        const v = await callApi<InteractionDto>(target(cmd), 'POST', `/api/v1/agents/${encodeURIComponent(agent)}/${op}`, o.supervisor !== undefined ? { supervisorId: o.supervisor } : {});
        out(o.json, v, () => summary(v));
      });
  }
}
