/**
 * Call records from the command line (issue 4 item 6, OPS-4), through a
 * running server's HTTP API like every control command:
 *   hotline cdrs [--since 1h|ISO] [--until 1h|ISO] [--agent ID] [--number N]
 *                [--disposition D] [--limit N] [--offset N] [--json | --csv]
 *   hotline cdrs ID [--json]          one record with its legs
 * --since/--until take a relative age (30s, 15m, 1h, 2d, 1w: that long ago)
 * or an ISO 8601 date-time. --json prints what the API answers; --csv one
 * RFC 4180 row per record (OPS-4: open formats other software reads).
 */
import type { Command } from 'commander';
import { callApi, CliError, resolveTarget, type TargetOptions } from './api-client.ts';
import { formatTable } from './table.ts';

interface CdrDto {
  id: string;
  direction: string;
  customer: string;
  queueId?: string;
  agents: string[];
  disposition?: string;
  status: string;
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  ivrMs: number;
  queueMs: number;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  wrapupMs: number;
  transfers: number;
  conferences: number;
  hungUpBy?: string;
  hungUpParty?: string;
  cause?: string;
  entryPoint?: string;
  ivrScript?: string;
  recording?: string;
  /** CRM-3 wrap-up notes. */
  contacts?: { agentId: string; at: string; category: string; selfEvaluation: string; summary: string; customer?: { account?: string; name?: string; branchName?: string } }[];
}
interface LegDto {
  id: string;
  party: { kind: string; id: string };
  direction: string;
  createdAt: string;
  answerAt?: string;
  endAt?: string;
  durationMs: number;
  holdMs: number;
  endedBy?: string;
  cause?: string;
}
interface CdrPage {
  total: number;
  limit: number;
  offset: number;
  items: CdrDto[];
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An instant for --since/--until: `90s`, `15m`, `1h`, `2d`, `1w` ago from now, or an ISO 8601 date-time; as ISO UTC. */
export function parseInstant(text: string, now: number): string {
  const rel = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (rel) return new Date(now - Number(rel[1]) * UNITS[rel[2]!]!).toISOString();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) {
    const ms = Date.parse(text.trim());
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  throw new CliError(`"${text}" is neither an age like 30m, 1h, 2d nor an ISO 8601 date-time with a zone (2026-01-05T09:00:00+08:00)`, 2);
}

/** m:ss or h:mm:ss. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

const when = (iso: string | undefined) => (iso === undefined ? undefined : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

export function cdrTable(page: CdrPage): string {
  if (page.items.length === 0) return 'no call records';
  const table = formatTable(
    ['START', 'ID', 'DIR', 'CUSTOMER', 'QUEUE', 'AGENTS', 'DISPOSITION', 'WAIT', 'TALK', 'HOLD', 'HUNG UP BY'],
    page.items.map((r) => [
      when(r.startedAt),
      r.id,
      r.direction === 'inbound' ? 'in' : 'out',
      r.customer,
      r.queueId,
      r.agents.join(','),
      r.disposition ?? r.status,
      duration(r.queueMs + r.ringMs),
      duration(r.talkMs),
      r.holdCount > 0 ? `${duration(r.holdMs)} (${r.holdCount})` : '',
      r.hungUpBy,
    ]),
  );
  const shown = page.offset + page.items.length;
  return shown < page.total || page.offset > 0 ? `${table}\n${page.offset + 1}-${shown} of ${page.total} (--offset ${shown} for more)` : table;
}

export function cdrDetail(r: CdrDto & { legs: LegDto[] }): string {
  const rows: [string, string | undefined][] = [
    ['id', r.id],
    ['direction', r.direction],
    ['customer', r.customer],
    ['entry point', r.entryPoint],
    ['IVR script', r.ivrScript],
    ['queue', r.queueId],
    ['agents', r.agents.join(', ') || undefined],
    ['disposition', r.disposition ?? r.status],
    ['started', when(r.startedAt)],
    ['answered', when(r.answeredAt)],
    ['ended', when(r.endedAt)],
    ['IVR / queue / ring', `${duration(r.ivrMs)} / ${duration(r.queueMs)} / ${duration(r.ringMs)}`],
    ['talk / hold', `${duration(r.talkMs)} / ${duration(r.holdMs)} (${r.holdCount} holds)`],
    ['wrap-up', duration(r.wrapupMs)],
    ['transfers / conferences', `${r.transfers} / ${r.conferences}`],
    ['hung up by', r.hungUpBy === undefined ? undefined : `${r.hungUpBy}${r.hungUpParty ? ` ${r.hungUpParty}` : ''} (${r.cause ?? ''})`],
    ['recording', r.recording],
    ...(r.contacts ?? []).map((c): [string, string] => [
      `wrap-up note ${c.agentId}`,
      `${c.category}, self-evaluation ${c.selfEvaluation}${c.customer?.account ? `, ${c.customer.account}${c.customer.name ? ` ${c.customer.name}` : ''}` : ''} (${when(c.at) ?? ''}): ${c.summary}`,
    ]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  const legs = formatTable(
    ['LEG', 'PARTY', 'DIR', 'CREATED', 'ANSWERED', 'ENDED', 'DURATION', 'HOLD', 'END'],
    r.legs.map((l) => [l.id, `${l.party.kind}:${l.party.id}`, l.direction === 'inbound' ? 'in' : 'out', when(l.createdAt), when(l.answerAt), when(l.endAt), duration(l.durationMs), duration(l.holdMs), l.cause ? `${l.endedBy ?? ''} ${l.cause}`.trim() : '']),
  );
  return `${head.join('\n')}\n\n${legs}`;
}

const CSV_COLUMNS = [
  'id', 'direction', 'customer', 'entryPoint', 'ivrScript', 'queueId', 'agents', 'disposition', 'status', 'startedAt', 'answeredAt', 'endedAt',
  'ivrMs', 'queueMs', 'ringMs', 'talkMs', 'holdMs', 'holdCount', 'wrapupMs', 'transfers', 'conferences', 'hungUpBy', 'hungUpParty', 'cause', 'recording',
] as const;
/** CRM-3 wrap-up notes, after the record's own columns (several agents' notes joined by ` | `). */
const CONTACT_COLUMNS = ['category', 'selfEvaluation', 'summary', 'account'] as const;
const contactField = (r: CdrDto, c: (typeof CONTACT_COLUMNS)[number]) =>
  (r.contacts ?? []).map((x) => (c === 'account' ? (x.customer?.account ?? '') : x[c])).join(' | ');

function csvField(v: unknown): string {
  const s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header row, CRLF line ends (RFC 4180). */
export function cdrCsv(items: readonly CdrDto[]): string {
  const rows = [
    [...CSV_COLUMNS, ...CONTACT_COLUMNS].join(','),
    ...items.map((r) => [...CSV_COLUMNS.map((c) => csvField(r[c])), ...CONTACT_COLUMNS.map((c) => csvField(contactField(r, c)))].join(',')),
  ];
  return `${rows.join('\r\n')}\r\n`;
}

interface CdrFlags {
  json?: boolean;
  csv?: boolean;
  since?: string;
  until?: string;
  agent?: string;
  number?: string;
  disposition?: string;
  limit?: string;
  offset?: string;
}

/** The API query for the flags (instants resolved against now). */
export function cdrQuery(o: CdrFlags, now: number): URLSearchParams {
  const q = new URLSearchParams();
  if (o.since !== undefined) q.set('from', parseInstant(o.since, now));
  if (o.until !== undefined) q.set('to', parseInstant(o.until, now));
  for (const k of ['agent', 'number', 'disposition', 'limit', 'offset'] as const) if (o[k] !== undefined) q.set(k, o[k]);
  return q;
}

export function registerCdrCommands(program: Command): void {
  program
    .command('cdrs')
    .description('call records, newest first; with an ID, that record and its legs')
    .argument('[id]', 'interaction id of one record')
    .option('--since <age|iso>', 'started at or after: 30m, 1h, 2d... ago, or an ISO 8601 date-time')
    .option('--until <age|iso>', 'started before (same forms)')
    .option('--agent <id>', 'only calls this agent took part in')
    .option('--number <n>', "only calls with this customer's (or consulted) number")
    .option('--disposition <d>', 'answered, abandoned-queue, abandoned-ivr, ivr-completed, no-answer, refused, transferred, conferenced, failed')
    .option('--limit <n>', 'at most n records (default 50, at most 1000)')
    .option('--offset <n>', 'skip the first n records')
    .option('--server <url>', 'server URL (default: from DIR/server.json)')
    .option('--token <token>', 'API bearer token (default: DIR/admin-token)')
    .option('--data <dir>', 'data directory of a local server (default ./data)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (one row per record, with a header)')
    .action(async (id: string | undefined, o: CdrFlags, cmd: Command) => {
      if (o.json && o.csv) throw new CliError('--json and --csv exclude each other', 2);
      const target = resolveTarget(cmd.optsWithGlobals<TargetOptions>(), process.env, process.cwd());
      if (id !== undefined) {
        const r = await callApi<CdrDto & { legs: LegDto[] }>(target, 'GET', `/api/v1/call-records/${encodeURIComponent(id)}`);
        console.log(o.json ? JSON.stringify(r, null, 2) : cdrDetail(r));
        return;
      }
      const q = cdrQuery(o, Date.now());
      const page = await callApi<CdrPage>(target, 'GET', `/api/v1/call-records${q.size ? `?${q}` : ''}`);
      if (o.csv) process.stdout.write(cdrCsv(page.items));
      else console.log(o.json ? JSON.stringify(page, null, 2) : cdrTable(page));
    });
}
