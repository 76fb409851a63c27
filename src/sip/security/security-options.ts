/**
 * Settings of the SIP security guard (OPS-2), with defaults filled and
 * checked once. Durations in milliseconds.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { BanStore, SecurityEventStore } from '../ports.ts';
import { CidrList } from './cidr-list.ts';

/**
 * User-Agent substrings (case-insensitive) of SIP scanners and attack tools:
 * SIPVicious (friendly-scanner, sipvicious), sipcli, sip-scan/SIPScan,
 * VaxSIPUserAgent, iWar, sundayddr, SIVuS, smap, PortSIP's pplsip, SIP Army
 * Knife, sipptk.
 */
export const DEFAULT_SCANNER_USER_AGENTS: readonly string[] = [
  'friendly-scanner',
  'sipvicious',
  'sipcli',
  'sip-scan',
  'sipscan',
  'vaxsipuseragent',
  'vaxasterisk',
  'iwar',
  'sundayddr',
  'sivus',
  'smap',
  'pplsip',
  'siparmyknife',
  'sipptk',
];

export interface SecurityGuardSettings {
  /** Average messages per second per source address (default 20). */
  ratePerSecond: number;
  /** Bucket size: the burst allowed per source address (default 60). */
  rateBurst: number;
  /** Ban a source whose messages were rate-limited this many times within `rateBanWindowMs` (default 500; 0 = never). */
  rateBanThreshold: number;
  rateBanWindowMs: number;
  /** Authentication failures within `authFailureWindowMs` that ban a source (default 5 within 60 s). */
  maxAuthFailures: number;
  authFailureWindowMs: number;
  /** First ban length (default 15 min). */
  banMs: number;
  /** Each further ban within `offenceMemoryMs` lasts `banGrowth` times longer, up to `maxBanMs` (defaults 2, 24 h, 24 h). */
  banGrowth: number;
  maxBanMs: number;
  offenceMemoryMs: number;
  /** Case-insensitive User-Agent substrings dropped silently. */
  scannerUserAgents: readonly string[];
  /** Also ban a source that sent a scanner User-Agent (default true). */
  banScanners: boolean;
  /** Networks exempt from every check, CIDR notation, IPv4 or IPv6. None by default, not even loopback. */
  trustedNetworks: readonly string[];
  /** At most one rate-limited / scanner / malformed event per source and kind within this time (default 60 s); the next one counts those left out. */
  eventThrottleMs: number;
  /** Most sources tracked at once by each table (default 100 000). */
  maxTrackedSources: number;
}

export interface SecurityGuardOptions extends SecurityGuardSettings {
  clock: Clock;
  logger: Logger;
  events: SecurityEventStore;
  bans: BanStore;
}

export const DEFAULT_SECURITY_SETTINGS: SecurityGuardSettings = {
  ratePerSecond: 20,
  rateBurst: 60,
  rateBanThreshold: 500,
  rateBanWindowMs: 60_000,
  maxAuthFailures: 5,
  authFailureWindowMs: 60_000,
  banMs: 15 * 60_000,
  banGrowth: 2,
  maxBanMs: 24 * 3_600_000,
  offenceMemoryMs: 24 * 3_600_000,
  scannerUserAgents: DEFAULT_SCANNER_USER_AGENTS,
  banScanners: true,
  trustedNetworks: [],
  eventThrottleMs: 60_000,
  maxTrackedSources: 100_000,
};

export class SecuritySettingsError extends Error {
  override readonly name = 'SecuritySettingsError';
  readonly code = 'bad-security-setting';
  constructor(readonly setting: string, detail: string) {
    super(`security setting ${setting}: ${detail}`);
  }
}

/** Fill defaults and check every setting; throws SecuritySettingsError naming the first bad one. */
export function resolveSecurityOptions(
  options: Partial<SecurityGuardSettings> & Pick<SecurityGuardOptions, 'clock' | 'logger' | 'events' | 'bans'>,
): SecurityGuardOptions & { trusted: CidrList } {
  const o: SecurityGuardOptions = { ...DEFAULT_SECURITY_SETTINGS, ...options };
  const positive: Array<keyof SecurityGuardSettings> = ['ratePerSecond', 'rateBurst', 'authFailureWindowMs', 'rateBanWindowMs', 'banMs', 'maxBanMs', 'maxTrackedSources'];
  for (const k of positive) if (!(typeof o[k] === 'number' && (o[k] as number) > 0)) throw new SecuritySettingsError(k, 'must be a positive number');
  const nonNegative: Array<keyof SecurityGuardSettings> = ['maxAuthFailures', 'rateBanThreshold', 'offenceMemoryMs', 'eventThrottleMs'];
  for (const k of nonNegative) if (!(typeof o[k] === 'number' && (o[k] as number) >= 0)) throw new SecuritySettingsError(k, 'must be zero or more');
  if (!(o.banGrowth >= 1)) throw new SecuritySettingsError('banGrowth', 'must be 1 or more');
  if (o.rateBurst < 1) throw new SecuritySettingsError('rateBurst', 'must be at least 1');
  let trusted: CidrList;
  try {
    trusted = new CidrList(o.trustedNetworks);
  } catch (e) {
    throw new SecuritySettingsError('trustedNetworks', (e as Error).message);
  }
  return { ...o, scannerUserAgents: o.scannerUserAgents.map((s) => s.toLowerCase()).filter((s) => s.length > 0), trusted };
}
