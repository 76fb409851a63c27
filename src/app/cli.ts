/**
 * The `hotline` command (bin/hotline.js imports this file).
 *   hotline start [--data DIR] [--host ADDR] [--sip-port N] ... [--config FILE]
 *   hotline registrations | sip-user add|remove|list | security bans|unban|events
 * Control commands talk to a running server's HTTP API. Errors print one
 * line `hotline: ...` and exit non-zero (2 for usage and configuration).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { callApi, CliError, resolveTarget, type TargetOptions } from './api-client.ts';
import { ConfigError, envName, loadConfig, SETTING_NAMES, SETTINGS } from './config.ts';
import { VERSION } from './version.ts';
import { formatTable } from './table.ts';
import { registerAgentCommands } from './cli-agents.ts';
import { registerCdrCommands } from './cli-cdrs.ts';
import { registerIvrCommands } from './cli-ivr.ts';
import { registerMediaCommands } from './cli-media.ts';
import { registerCallCommands } from './cli-calls.ts';
import { registerAuditCommands } from './cli-audit.ts';

const fail = (message: string, code: number): never => {
  process.stderr.write(`hotline: ${message}\n`);
  process.exit(code);
};

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

async function start(flags: Record<string, string | undefined>): Promise<void> {
  const byName: Record<string, string | undefined> = { config: flags.config };
  for (const name of SETTING_NAMES) byName[name] = flags[camel(name)];
  let config;
  try {
    config = loadConfig({ flags: byName, env: process.env, readFile: (p) => readFileSync(p, 'utf8'), cwd: process.cwd() });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    throw err;
  }
  // Loaded only here: control commands stay quick without the server's dependencies.
  const { startServer } = await import('./server.ts');
  let server;
  try {
    server = await startServer(config);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') fail(`cannot listen on ${e.address ?? config.host}:${e.port ?? config.httpPort} (${e.code})`, 1);
    return fail(`start failed: ${e.message}`, 1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    server
      .close()
      .then(() => process.exit(0))
      .catch((err: Error) => fail(`error while stopping on ${signal}: ${err.message}`, 1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

type Json = { json?: boolean };
const target = (cmd: Command) => resolveTarget(cmd.optsWithGlobals<TargetOptions>(), process.env, process.cwd());
const print = (json: boolean | undefined, data: unknown, human: () => string) => console.log(json ? JSON.stringify(data, null, 2) : human());
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function controlOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'server URL (default: from DIR/server.json)')
    .option('--token <token>', 'API bearer token (default: DIR/admin-token)')
    .option('--data <dir>', 'data directory of a local server (default ./data)');
}

export function buildProgram(): Command {
  const program = new Command('hotline').description('Hotline contact center').version(VERSION).exitOverride();
  program.configureOutput({ outputError: (str, write) => write(`hotline: ${str.replace(/^error: /, '')}`) });

  const startCmd = program.command('start').description('start the server (ready when GET /health answers 200)');
  startCmd.addOption(new Option('--config <file>', `JSON file of settings (${envName('config')})`));
  for (const name of SETTING_NAMES) {
    startCmd.addOption(new Option(`--${name} <value>`, `${SETTINGS[name].help} (${envName(name)}, default ${JSON.stringify(SETTINGS[name].default)})`));
  }
  startCmd.action((flags: Record<string, string | undefined>) => start(flags));

  controlOptions(program.command('registrations').description('current SIP registrations'))
    .option('--aor <aor>', 'only this address-of-record')
    .option('--json', 'print JSON')
    .action(async (o: Json & { aor?: string }, cmd: Command) => {
      type Reg = { aor: string; contact: string; transport: string; source: string; expiresInSec: number; userAgent?: string };
      const regs = await callApi<Reg[]>(target(cmd), 'GET', `/api/v1/registrations${o.aor ? `?aor=${encodeURIComponent(o.aor)}` : ''}`);
      print(o.json, regs, () =>
        regs.length ? formatTable(['AOR', 'CONTACT', 'TRANSPORT', 'SOURCE', 'EXPIRES', 'USER AGENT'], regs.map((r) => [r.aor, r.contact, r.transport, r.source, `${r.expiresInSec}s`, r.userAgent])) : 'no registrations',
      );
    });

  const sipUser = program.command('sip-user').description('SIP accounts');
  controlOptions(sipUser.command('list').description('list SIP accounts'))
    .option('--json', 'print JSON')
    .action(async (o: Json, cmd: Command) => {
      type U = { ext: string; name?: string; realm: string; enabled: boolean; createdAt: string };
      const users = await callApi<U[]>(target(cmd), 'GET', '/api/v1/sip-users');
      print(o.json, users, () => (users.length ? formatTable(['EXT', 'NAME', 'REALM', 'ENABLED', 'CREATED'], users.map((u) => [u.ext, u.name, u.realm, u.enabled ? 'yes' : 'no', when(u.createdAt)])) : 'no SIP users'));
    });
  controlOptions(sipUser.command('add <ext>').description('add a SIP account (a password is generated when none is given)'))
    .option('--password <password>', 'SIP password (at least 8 characters)')
    .option('--name <name>', 'display name')
    .option('--json', 'print JSON')
    .action(async (ext: string, o: Json & { password?: string; name?: string }, cmd: Command) => {
      const body: Record<string, string> = { ext };
      if (o.password !== undefined) body.password = o.password;
      if (o.name !== undefined) body.name = o.name;
      const u = await callApi<{ ext: string; realm: string; password?: string }>(target(cmd), 'POST', '/api/v1/sip-users', body);
      print(o.json, u, () => `SIP user ${u.ext} added (realm ${u.realm})${u.password ? `\npassword: ${u.password}` : ''}`);
    });
  controlOptions(sipUser.command('remove <ext>').description('remove a SIP account and its registrations')).action(async (ext: string, _o: unknown, cmd: Command) => {
    await callApi(target(cmd), 'DELETE', `/api/v1/sip-users/${encodeURIComponent(ext)}`);
    console.log(`SIP user ${ext} removed`);
  });

  const security = program.command('security').description('scanner defence: bans and security events (OPS-2)');
  controlOptions(security.command('bans').description('addresses banned now'))
    .option('--json', 'print JSON')
    .action(async (o: Json, cmd: Command) => {
      type B = { address: string; reason: string; bannedAt: string; until: string };
      const bans = await callApi<B[]>(target(cmd), 'GET', '/api/v1/security/bans');
      print(o.json, bans, () => (bans.length ? formatTable(['ADDRESS', 'REASON', 'BANNED', 'UNTIL'], bans.map((b) => [b.address, b.reason, when(b.bannedAt), when(b.until)])) : 'no bans'));
    });
  controlOptions(security.command('unban <address>').description('lift the ban of an address')).action(async (address: string, _o: unknown, cmd: Command) => {
    await callApi(target(cmd), 'DELETE', `/api/v1/security/bans/${encodeURIComponent(address)}`);
    console.log(`${address} unbanned`);
  });
  controlOptions(security.command('events').description('security events, newest first'))
    .option('--kind <kind>', 'only this kind (auth-failure, ban, unban, rate-limited, scanner-dropped, malformed, nonce-replay)')
    .option('--since <iso>', 'only events at or after this ISO 8601 time')
    .option('--limit <n>', 'at most n events (default 100)')
    .option('--json', 'print JSON')
    .action(async (o: Json & { kind?: string; since?: string; limit?: string }, cmd: Command) => {
      type E = { at: string; kind: string; sourceAddress: string; sourcePort?: number; transport?: string; username?: string; detail?: string };
      const q = new URLSearchParams(Object.entries({ kind: o.kind, since: o.since, limit: o.limit }).filter((e): e is [string, string] => e[1] !== undefined));
      const events = await callApi<E[]>(target(cmd), 'GET', `/api/v1/security/events${q.size ? `?${q}` : ''}`);
      print(o.json, events, () =>
        events.length ? formatTable(['AT', 'KIND', 'SOURCE', 'TRANSPORT', 'USER', 'DETAIL'], events.map((e) => [when(e.at), e.kind, e.sourcePort ? `${e.sourceAddress}:${e.sourcePort}` : e.sourceAddress, e.transport, e.username, e.detail])) : 'no security events',
      );
    });
  registerIvrCommands(program);
  registerAgentCommands(program);
  registerCdrCommands(program);
  registerMediaCommands(program);
  registerCallCommands(program);
  registerAuditCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
      process.exit(err.code === 'commander.executeSubCommandAsync' ? 1 : 2);
    }
    if (err instanceof CliError) fail(err.message, err.exitCode);
    fail((err as Error).message ?? String(err), 1);
  }
}

await main(process.argv);
