/**
 * ACD control from the command line (issue 5, ACD-3, SUP-1, SUP-3), through
 * a running server's HTTP API like every control command:
 *   hotline agent login|ready|notready|logout|wrapup-done|lock|unlock EXT [--reason R] [--json]
 *   hotline agents [--json]
 *   hotline queues [--json]
 */
import type { Command } from 'commander';
import { callApi, resolveTarget, type TargetOptions } from './api-client.ts';
import { formatTable } from './table.ts';

interface AgentDto {
  id: string;
  extension: string;
  name?: string;
  state: string;
  since: string;
  reason?: string;
  pendingNotReady?: string;
  interactionId?: string;
  counters: { answered: number; ronaCount: number; offered: number };
}

interface QueueDto {
  id: string;
  name?: string;
  waiting: number;
  longestWaitSec: number;
  serviceLevel: number | null;
  serviceLevelThresholdSec: number;
  asaSec: number | null;
  counters: { entered: number; answered: number; abandoned: number };
}

/** CLI verb → API path segment. */
const VERBS: readonly [verb: string, path: string, help: string][] = [
  ['login', 'login', 'log the agent in (not ready)'],
  ['ready', 'ready', 'the agent is ready for calls'],
  ['notready', 'not-ready', 'the agent pauses (--reason, default "break")'],
  ['logout', 'logout', 'log the agent out'],
  ['wrapup-done', 'wrap-up-done', 'end after-call work now'],
  ['lock', 'lock', 'supervisor: force sign-out until unlocked (SUP-3)'],
  ['unlock', 'unlock', 'supervisor: lift a lock'],
];

const target = (cmd: Command) => resolveTarget(cmd.optsWithGlobals<TargetOptions>(), process.env, process.cwd());
const print = (json: boolean | undefined, data: unknown, human: () => string) => console.log(json ? JSON.stringify(data, null, 2) : human());
const clock = (iso: string) => iso.slice(11, 19);
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
const secs = (v: number | null) => (v === null ? '-' : `${Math.round(v)}s`);

function control(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'server URL (default: from DIR/server.json)')
    .option('--token <token>', 'API bearer token (default: DIR/admin-token)')
    .option('--data <dir>', 'data directory of a local server (default ./data)')
    .option('--json', 'print JSON');
}

function stateText(a: AgentDto): string {
  const why = a.reason !== undefined ? ` (${a.reason})` : '';
  const later = a.pendingNotReady !== undefined ? `, then not-ready (${a.pendingNotReady})` : '';
  return `${a.state}${why}${later}`;
}

export function registerAgentCommands(program: Command): void {
  const agent = program.command('agent').description('agent state: login, ready, notready, logout (ACD-3)');
  for (const [verb, path, help] of VERBS) {
    const sub = control(agent.command(`${verb} <ext>`).description(help));
    if (verb === 'notready') sub.option('--reason <reason>', 'not-ready reason');
    sub.action(async (ext: string, o: { json?: boolean; reason?: string }, cmd: Command) => {
      const body = verb === 'notready' ? (o.reason !== undefined ? { reason: o.reason } : {}) : undefined;
      const a = await callApi<AgentDto>(target(cmd), 'POST', `/api/v1/agents/${encodeURIComponent(ext)}/${path}`, body);
      print(o.json, a, () => `agent ${a.id} (${a.extension}): ${stateText(a)}`);
    });
  }

  control(program.command('agents').description('agents with their live state (SUP-1)')).action(async (o: { json?: boolean }, cmd: Command) => {
    const list = await callApi<AgentDto[]>(target(cmd), 'GET', '/api/v1/agents');
    print(o.json, list, () =>
      list.length
        ? formatTable(
            ['AGENT', 'EXT', 'NAME', 'STATE', 'SINCE', 'ANSWERED', 'RONA', 'CALL'],
            list.map((a) => [a.id, a.extension, a.name, stateText(a), clock(a.since), a.counters.answered, a.counters.ronaCount, a.interactionId]),
          )
        : 'no agents',
    );
  });

  control(program.command('queues').description('queues: waiting, longest wait, service level (SUP-1)')).action(async (o: { json?: boolean }, cmd: Command) => {
    const list = await callApi<QueueDto[]>(target(cmd), 'GET', '/api/v1/queues');
    print(o.json, list, () =>
      list.length
        ? formatTable(
            ['QUEUE', 'NAME', 'WAITING', 'LONGEST', 'SL', 'ASA', 'ENTERED', 'ANSWERED', 'ABANDONED'],
            list.map((q) => [q.id, q.name, q.waiting, secs(q.longestWaitSec), `${pct(q.serviceLevel)}@${q.serviceLevelThresholdSec}s`, secs(q.asaSec), q.counters.entered, q.counters.answered, q.counters.abandoned]),
          )
        : 'no queues',
    );
  });
}
