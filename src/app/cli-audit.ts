/**
 * The operation log from the command line (issue 7, ADM-3), through a
 * running server's HTTP API like every control command:
 *   hotline audit [--actor X] [--action A|prefix*] [--target T] [--since ISO] [--until ISO] [--limit N] [--json]
 */
import type { Command } from 'commander';
import { callApi, resolveTarget, type TargetOptions } from './api-client.ts';
import { formatTable } from './table.ts';

interface AuditEntryDto {
  at: string;
  actor: string;
  role?: string;
  action: string;
  target?: string;
  outcome: string;
  status?: number;
  detail?: Record<string, unknown>;
  sourceAddress?: string;
}

interface AuditOptions {
  actor?: string;
  action?: string;
  target?: string;
  since?: string;
  until?: string;
  limit?: string;
  json?: boolean;
}

/** The API query of the command's filters. */
export function auditPath(o: AuditOptions): string {
  const q = new URLSearchParams();
  for (const k of ['actor', 'action', 'target', 'since', 'until', 'limit'] as const) if (o[k] !== undefined) q.set(k, o[k]);
  const s = q.toString();
  return `/api/v1/audit${s ? `?${s}` : ''}`;
}

export function registerAuditCommands(program: Command): void {
  program
    .command('audit')
    .description('the operation log: agent, supervisor and admin actions, newest first (ADM-3)')
    .option('--actor <username>', 'only this user’s actions')
    .option('--action <action>', 'only this action, or a prefix ending in * (agent.*)')
    .option('--target <target>', 'only actions on this agent, interaction, number…')
    .option('--since <iso>', 'from this instant (ISO 8601)')
    .option('--until <iso>', 'before this instant (ISO 8601)')
    .option('--limit <n>', 'at most this many entries (default 200)')
    .option('--server <url>', 'server URL (default: from DIR/server.json)')
    .option('--token <token>', 'API bearer token (default: DIR/admin-token)')
    .option('--data <dir>', 'data directory of a local server (default ./data)')
    .option('--json', 'print JSON')
    .action(async (o: AuditOptions, cmd: Command) => {
      const list = await callApi<AuditEntryDto[]>(resolveTarget(cmd.optsWithGlobals<TargetOptions>(), process.env, process.cwd()), 'GET', auditPath(o));
      if (o.json) return console.log(JSON.stringify(list, null, 2));
      console.log(
        list.length
          ? formatTable(
              ['AT', 'ACTOR', 'ROLE', 'ACTION', 'TARGET', 'OUTCOME', 'FROM'],
              list.map((e) => [e.at.replace('T', ' ').slice(0, 19), e.actor, e.role, e.action, e.target, e.outcome === 'ok' ? 'ok' : `${e.outcome} (${e.status ?? '?'})`, e.sourceAddress]),
            )
          : 'no entries',
      );
    });
}
