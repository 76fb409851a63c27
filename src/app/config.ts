/**
 * Configuration: one table of settings, each with its kebab-case name (the
 * CLI flag `--NAME` and the key in a `--config FILE` JSON object), its
 * `HOTLINE_*` environment variable, a default and a zod schema. Precedence:
 * CLI flag > environment > config file > default. A bad value becomes a
 * ConfigError whose one-line message names the setting.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { DatabaseTarget } from '../store/database.ts';

export const DIGEST_ALGORITHMS = ['SHA-256', 'MD5', 'SHA-256-sess', 'MD5-sess'] as const;
export type DigestChoice = (typeof DIGEST_ALGORITHMS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SecurityConfig {
  /** SIP requests per second allowed from one source address, sustained. */
  sipRateLimit: number;
  /** Requests one source may send in a burst above the sustained rate. */
  sipRateBurst: number;
  /** Authentication failures from one source within the window that ban it. */
  banAfterFailures: number;
  banFailureWindowSec: number;
  banDurationSec: number;
  /** CIDR blocks never rate-limited or banned. Empty by default: not even loopback is trusted. */
  trustedNetworks: string[];
}

export interface HotlineConfig {
  dataDir: string;
  host: string;
  sipPort: number;
  sipTlsPort: number;
  sipWsPort: number;
  httpPort: number;
  /** TEL-2: the same HTTP API, web UI and event stream over TLS (a secure context, so browsers grant the microphone); undefined: off. */
  httpsPort?: number;
  /** TEL-2: SIP over secure WebSocket (RFC 7118 wss) for pages served over https; undefined: off. */
  sipWssPort?: number;
  /** PEM certificate and key for https, wss and SIP TLS; undefined: the self-signed pair made in DATA/tls. */
  tlsFiles?: { cert: string; key: string };
  rtpPorts: { min: number; max: number };
  database: DatabaseTarget;
  realm: string;
  /** Digest challenges offered to SIP clients, most preferred first. */
  digestAlgorithms: DigestChoice[];
  logLevel: LogLevel;
  security: SecurityConfig;
  /** Seed the demo accounts on the first start of an empty database. */
  demo: boolean;
  /** The switch (issue 4): media engine, dial plan, sounds. */
  switch: SwitchConfig;
  /** JSON file with the ACD configuration (agents, queues, entry points); undefined: the demo's. */
  acdConfigFile?: string;
  /**
   * IVR-8: service numbers whose callers hear the satisfaction survey when
   * the agent hangs up first: `ivr` (those the IVR answers), `all`, a list,
   * or none (empty).
   */
  surveyEntryPoints: 'ivr' | 'all' | string[];
  /** The config file read, if any. */
  configFile?: string;
}

export interface SwitchConfig {
  /** Media worker threads (each bridge and all its legs share one); 0: one per CPU core. */
  mediaWorkers: number;
  /** SCHED_FIFO priority media workers wait for and send each frame at (0: ordinary scheduling); MediaEngineOptions.realtimePriority. */
  mediaRealtimePriority: number;
  /** 'spread': one media worker to a CPU; 'none': the kernel places them (MediaEngineOptions.cpuAffinity). */
  mediaCpuAffinity: 'spread' | 'none';
  /** Paced sending: 0, each media worker sends its frames itself; N, a sender thread per worker sends each tick's frames N frames after its deadline; auto, adapted to each worker's load (MediaEngineOptions.sendAhead). */
  mediaSendAhead: number | 'auto';
  /** Address written into SDP for our RTP; undefined: the listening host (or the first external IPv4 on a wildcard). */
  mediaAddress?: string;
  /** JSON file with the dial plan; undefined: the demo plan (8000-8999, 95000 IVR, 95001 general queue). */
  dialPlanFile?: string;
  /** WAV file for music on hold; undefined: a melody rendered at start into DATA/sounds. */
  musicOnHold?: string;
  /** Most members of one conference (one customer and agents), TEL-4. */
  maxConference: number;
  /** How long an offered or dialled phone rings, seconds. */
  ringTimeoutSec: number;
  /** Record every call once two parties talk (TEL-5, REC-1), into DATA/recordings. */
  recordCalls: boolean;
}

export class ConfigError extends Error {
  readonly code = 'invalid-config';
  constructor(
    readonly setting: string,
    readonly reason: string,
  ) {
    super(`invalid setting ${setting}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const digits = (v: unknown) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v);
const intIn = (min: number, max: number, what = `must be an integer ${min}-${max}`) =>
  z.preprocess(digits, z.number({ error: what }).int({ error: what }).min(min, { error: what }).max(max, { error: what }));
const port = intIn(1, 65535, 'must be 1-65535');

function isCidr(s: string): boolean {
  const [addr, prefix, ...rest] = s.split('/');
  if (rest.length || !addr) return false;
  const family = isIP(addr);
  if (!family) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const bool = z.preprocess(
  (v) => (typeof v === 'string' ? ({ true: true, yes: true, '1': true, false: false, no: false, '0': false } as Record<string, boolean>)[v.toLowerCase()] ?? v : v),
  z.boolean({ error: 'must be true or false' }),
);

const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v);

/** Every setting: name, schema (raw value to typed value), default, description. */
export const SETTINGS = {
  data: { schema: z.string({ error: 'must be a directory path' }).min(1, { error: 'must be a directory path' }), default: './data', help: 'data directory (database, logs, admin credentials)' },
  host: {
    schema: z.string().refine((s) => isIP(s) !== 0, { error: 'must be an IPv4 or IPv6 address (0.0.0.0 for every interface)' }),
    default: '127.0.0.1',
    help: 'address SIP and HTTP listen on',
  },
  'sip-port': { schema: port, default: 5060, help: 'SIP over UDP and TCP' },
  'sip-tls-port': { schema: port, default: 5061, help: 'SIP over TLS' },
  'sip-ws-port': { schema: port, default: 5066, help: 'SIP over WebSocket (RFC 7118)' },
  'http-port': { schema: port, default: 8080, help: 'HTTP API, web UI, /health' },
  'https-port': { schema: intIn(0, 65535, 'must be 0 (off) or 1-65535'), default: 0, help: 'the HTTP API, web UI and event stream also over TLS, e.g. 8443 (0: off); browsers outside localhost need it for the softphone microphone' },
  'sip-wss-port': { schema: intIn(0, 65535, 'must be 0 (off) or 1-65535'), default: 0, help: 'SIP over secure WebSocket (RFC 7118 wss), e.g. 7443, used by pages served over https (0: off)' },
  'tls-cert': { schema: z.string(), default: '', help: 'PEM certificate (chain) for https, wss and SIP TLS (empty: a self-signed one made in DATA/tls)' },
  'tls-key': { schema: z.string(), default: '', help: 'PEM private key of --tls-cert' },
  'rtp-ports': {
    schema: z.string({ error: 'must be A-B' }).transform((s, ctx) => {
      const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(s);
      const [a, b] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
      if (!(a >= 1024 && b <= 65535 && b - a >= 1)) {
        ctx.addIssue({ code: 'custom', message: 'must be A-B with 1024 <= A < B <= 65535' });
        return z.NEVER;
      }
      return { min: a, max: b };
    }),
    default: '20000-29999',
    help: 'UDP port range for RTP media',
  },
  database: {
    schema: z.string({ error: 'must be "sqlite", "sqlite:FILE" or a postgres:// URL' }).refine((s) => s === 'sqlite' || /^sqlite:.+/.test(s) || /^postgres(ql)?:\/\/.+/.test(s), {
      error: 'must be "sqlite", "sqlite:FILE" or a postgres:// URL',
    }),
    default: 'sqlite',
    help: '"sqlite" (DATA/hotline.db), "sqlite:FILE" or postgres://user:pass@host:port/db',
  },
  realm: {
    schema: z.string().regex(/^[A-Za-z0-9.\-_]+$/, { error: 'must be a domain-like token (letters, digits, . - _)' }),
    default: 'hotline.local',
    help: 'SIP digest realm and local domain',
  },
  'log-level': { schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), default: 'info', help: 'log level' },
  'sip-rate-limit': { schema: intIn(1, 100_000), default: 20, help: 'SIP requests per second per source address' },
  'sip-rate-burst': { schema: intIn(1, 100_000), default: 60, help: 'burst allowance above the rate limit' },
  'ban-after-failures': { schema: intIn(1, 1000), default: 5, help: 'auth failures in the window that ban a source' },
  'ban-failure-window': { schema: intIn(1, 86_400), default: 60, help: 'seconds over which auth failures are counted' },
  'ban-duration': { schema: intIn(1, 31_536_000), default: 3600, help: 'seconds a ban lasts' },
  'trusted-networks': {
    schema: z.preprocess(list, z.array(z.string().refine(isCidr, { error: 'must be a comma-separated list of addresses or CIDR blocks' }), { error: 'must be a comma-separated list of addresses or CIDR blocks' })),
    default: '',
    help: 'comma-separated CIDR blocks never throttled or banned (none by default)',
  },
  'digest-algorithms': {
    schema: z.preprocess(
      list,
      z
        .array(z.enum(DIGEST_ALGORITHMS, { error: `must be a comma-separated list of ${DIGEST_ALGORITHMS.join(', ')}` }), { error: `must be a comma-separated list of ${DIGEST_ALGORITHMS.join(', ')}` })
        .min(1, { error: `must name at least one of ${DIGEST_ALGORITHMS.join(', ')}` }),
    ),
    default: 'SHA-256,MD5',
    help: 'digest challenges offered, most preferred first (put MD5 first for phones that read only the first challenge)',
  },
  'media-workers': { schema: intIn(0, 64), default: 0, help: 'media worker threads for RTP and mixing (0: one per CPU core)' },
  'media-realtime-priority': { schema: intIn(0, 99), default: 10, help: 'SCHED_FIFO priority at which media workers wait for and send each 20 ms frame (0: ordinary scheduling; needs root or CAP_SYS_NICE)' },
  'media-send-ahead': {
    schema: z.union([z.literal('auto'), intIn(0, 3, 'must be auto or an integer 0-3')], { error: 'must be auto or an integer 0-3' }),
    default: 'auto',
    help: 'paced sending: 0, media workers send their frames themselves; N, a sender thread per worker sends each frame N frames (N x 20 ms) after the tick that mixed it (2 rides out ticks up to about 40 ms late, for 20 ms more latency); auto (default), 2, and 3 while a worker is loaded or after a near miss (a step up repeats one 20 ms frame, a step down drops one)',
  },
  'media-cpu-affinity': {
    schema: z.enum(['spread', 'none'], { error: 'must be spread or none' }),
    default: 'spread',
    help: 'spread: each media worker on a CPU of its own (with 2 or more workers, no more than the CPUs); none: the kernel places them',
  },
  'media-address': {
    schema: z.string().refine((v) => v === '' || isIP(v) !== 0, { error: 'must be an IPv4 or IPv6 address (empty: the SIP host)' }),
    default: '',
    help: 'address phones send RTP to, written into SDP (empty: the listening host)',
  },
  'dial-plan': { schema: z.string(), default: '', help: 'JSON file with the dial plan (empty: the demo plan)' },
  'music-on-hold': { schema: z.string(), default: '', help: 'WAV file for music on hold (empty: a melody rendered at start)' },
  'acd-config': { schema: z.string(), default: '', help: 'JSON file with the ACD configuration (empty: the demo agents and queues)' },
  'max-conference': { schema: intIn(3, 16), default: 4, help: 'most members of one conference (one customer plus agents)' },
  'ring-timeout': { schema: intIn(5, 300), default: 20, help: 'seconds a phone rings before the call moves on' },
  'record-calls': { schema: bool, default: 'false', help: 'record every call once two parties talk (DATA/recordings/INTERACTION.wav)' },
  'post-call-survey': {
    schema: z.string().regex(/^(ivr|all|off|\+?\d+(,\+?\d+)*)$/, { error: 'must be ivr, all, off, or service numbers separated by commas' }),
    default: 'ivr',
    help: 'satisfaction survey when the agent hangs up first (IVR-8): ivr (the numbers the IVR answers), all, off, or a list like 95000,95003',
  },
  demo: { schema: bool, default: 'true', help: 'seed demo accounts on first start' },
} as const;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export const envName = (name: string) => `HOTLINE_${name.toUpperCase().replace(/-/g, '_')}`;

export interface ConfigSources {
  /** Values from CLI flags by setting name (plus `config`). */
  flags?: Partial<Record<SettingName | 'config', string | undefined>>;
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => string;
  cwd?: string;
}

function parseConfigFile(path: string, readFile: (p: string) => string): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError('config', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('config', `${path} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError('config', `${path} must hold a JSON object`);
  for (const key of Object.keys(parsed)) {
    if (!(key in SETTINGS)) throw new ConfigError('config', `unknown setting "${key}" in ${path} (known: ${SETTING_NAMES.join(', ')})`);
  }
  return parsed as Record<string, unknown>;
}

/** Builds the configuration; throws ConfigError naming the first bad setting. */
export function loadConfig(sources: ConfigSources = {}): HotlineConfig {
  const flags = sources.flags ?? {};
  const env = sources.env ?? {};
  const cwd = sources.cwd ?? '.';
  const configFile = flags.config ?? env[envName('config')];
  const file = configFile ? parseConfigFile(resolve(cwd, configFile), sources.readFile ?? (() => '')) : {};

  const values = {} as Record<SettingName, unknown>;
  for (const name of SETTING_NAMES) {
    const spec = SETTINGS[name];
    let raw: unknown = spec.default;
    let from = 'default';
    if (flags[name] !== undefined) [raw, from] = [flags[name], `--${name}`];
    else if (env[envName(name)] !== undefined) [raw, from] = [env[envName(name)], envName(name)];
    else if (name in file) [raw, from] = [file[name], configFile!];
    const r = (spec.schema as z.ZodType).safeParse(raw);
    if (!r.success) {
      const why = r.error.issues[0]?.message ?? 'invalid value';
      throw new ConfigError(name, `${why} (got ${JSON.stringify(raw)} from ${from})`);
    }
    values[name] = r.data;
  }
  const v = values as { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };
  const dataDir = resolve(cwd, v.data);
  const ports: [SettingName, number][] = [['sip-port', v['sip-port']], ['sip-tls-port', v['sip-tls-port']], ['sip-ws-port', v['sip-ws-port']], ['http-port', v['http-port']]];
  if (v['https-port'] !== 0) ports.push(['https-port', v['https-port']]);
  if (v['sip-wss-port'] !== 0) ports.push(['sip-wss-port', v['sip-wss-port']]);
  if ((v['tls-cert'] === '') !== (v['tls-key'] === '')) throw new ConfigError(v['tls-cert'] === '' ? 'tls-cert' : 'tls-key', 'tls-cert and tls-key must be given together');
  for (let i = 0; i < ports.length; i++) {
    for (let j = 0; j < i; j++) {
      if (ports[i]![1] === ports[j]![1]) throw new ConfigError(ports[i]![0], `must differ from ${ports[j]![0]} (both ${ports[i]![1]})`);
    }
    const p = ports[i]![1];
    if (p >= v['rtp-ports'].min && p <= v['rtp-ports'].max) throw new ConfigError(ports[i]![0], `must lie outside rtp-ports ${v['rtp-ports'].min}-${v['rtp-ports'].max} (got ${p})`);
  }
  const db = v.database;
  const database: DatabaseTarget =
    db === 'sqlite' ? { kind: 'sqlite', file: resolve(dataDir, 'hotline.db') } : db.startsWith('sqlite:') ? { kind: 'sqlite', file: resolve(cwd, db.slice(7)) } : { kind: 'postgres', url: db };
  const config: HotlineConfig = {
    dataDir,
    host: v.host,
    sipPort: v['sip-port'],
    sipTlsPort: v['sip-tls-port'],
    sipWsPort: v['sip-ws-port'],
    httpPort: v['http-port'],
    rtpPorts: v['rtp-ports'],
    database,
    realm: v.realm,
    digestAlgorithms: v['digest-algorithms'],
    logLevel: v['log-level'],
    security: {
      sipRateLimit: v['sip-rate-limit'],
      sipRateBurst: v['sip-rate-burst'],
      banAfterFailures: v['ban-after-failures'],
      banFailureWindowSec: v['ban-failure-window'],
      banDurationSec: v['ban-duration'],
      trustedNetworks: v['trusted-networks'],
    },
    demo: v.demo,
    surveyEntryPoints: surveyEntryPoints(v['post-call-survey']),
    switch: {
      mediaWorkers: v['media-workers'],
      mediaRealtimePriority: v['media-realtime-priority'],
      mediaCpuAffinity: v['media-cpu-affinity'],
      mediaSendAhead: v['media-send-ahead'],
      maxConference: v['max-conference'],
      ringTimeoutSec: v['ring-timeout'],
      recordCalls: v['record-calls'],
      ...(v['media-address'] !== '' ? { mediaAddress: v['media-address'] } : {}),
      ...(v['dial-plan'] !== '' ? { dialPlanFile: resolve(cwd, v['dial-plan']) } : {}),
      ...(v['music-on-hold'] !== '' ? { musicOnHold: resolve(cwd, v['music-on-hold']) } : {}),
    },
  };
  if (v['https-port'] !== 0) config.httpsPort = v['https-port'];
  if (v['sip-wss-port'] !== 0) config.sipWssPort = v['sip-wss-port'];
  if (v['tls-cert'] !== '') config.tlsFiles = { cert: resolve(cwd, v['tls-cert']), key: resolve(cwd, v['tls-key']) };
  if (v['acd-config'] !== '') config.acdConfigFile = resolve(cwd, v['acd-config']);
  if (configFile) config.configFile = resolve(cwd, configFile);
  return config;
}

function surveyEntryPoints(v: string): HotlineConfig['surveyEntryPoints'] {
  if (v === 'ivr' || v === 'all') return v;
  return v === 'off' ? [] : v.split(',');
}

/** True for 127.0.0.0/8 and ::1 (a demo password is harmless there). */
export function isLoopback(host: string): boolean {
  return host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1';
}
