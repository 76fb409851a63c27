/**
 * ===================== SIP WIRING POINT =====================
 * startSignalling(ctx) is the ONE place where the SIP side is assembled from
 * src/sip and given the stores and configuration:
 *
 *   transports (UDP+TCP on sip-port, TLS on sip-tls-port, WS on sip-ws-port,
 *   WSS on sip-wss-port when set; TLS and WSS present --tls-cert/--tls-key or
 *   the self-signed pair in DATA/tls)
 *     -> security guard, before parsing (bans, rate limit) and, for messages
 *        that name a scanner, after parsing (User-Agent check)
 *     -> SipStack (parse, transactions, dialogs)
 *     -> REGISTER: Registrar (DigestAuthenticator over SipAccountStore,
 *        LocationService over RegistrationStore)
 *
 *     -> INVITE, BYE, INFO, REFER: the switch (switch-setup.ts): SIP call
 *        gateway, media engine, switch runtime with the dial plan
 * ============================================================
 */
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { ComponentHealth } from '../api/api-deps.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { DigestAuthenticator } from '../sip/auth/digest-authenticator.ts';
import type { BanStore, RegistrationStore, SecurityEventStore, SipAccountStore } from '../sip/ports.ts';
import { LocationService } from '../sip/registrar/location-service.ts';
import { Registrar } from '../sip/registrar/registrar.ts';
import { sourceOfFlow } from '../sip/security/message-source.ts';
import { DEFAULT_SCANNER_USER_AGENTS } from '../sip/security/security-options.ts';
import { SecurityGuard } from '../sip/security/security-guard.ts';
import { SipStack } from '../sip/stack/sip-stack.ts';
import { ensureSelfSignedCert } from '../sip/transport/tls-cert.ts';
import type { Flow, TransportDelegate } from '../sip/transport/transport.ts';
import { TransportSet } from '../sip/transport/transport-set.ts';
import { EphemeralCredentials } from '../sip/auth/ephemeral-credentials.ts';
import { ConfigError, type HotlineConfig } from './config.ts';
import { startSwitch, type SwitchParts } from './switch-setup.ts';

export interface SignallingContext {
  config: HotlineConfig;
  clock: Clock;
  logger: Logger;
  stores: {
    sipAccounts: SipAccountStore;
    registrations: RegistrationStore;
    /** Writes to the database and to DIR/logs/security.jsonl. */
    securityEvents: SecurityEventStore;
    bans: BanStore;
  };
}

export interface Signalling {
  health(): ComponentHealth;
  /** Lift a ban in memory and in the store (logs an `unban` event); false when the address was not banned. */
  liftBan(address: string): Promise<boolean>;
  /** A short-lived SIP credential for a browser phone (src/sip/auth/ephemeral-credentials.ts). */
  issueCredential(username: string): { ha1Md5: string; expiresAt: number };
  /** The switch: media engine, call gateway, runtime, dial plan. */
  switch: SwitchParts;
  /** The PEM key and certificate SIP TLS presents (also served by https). */
  tls: { key: string; cert: string };
  stop(): Promise<void>;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** Addresses of this machine, for the registrar's domains and the certificate's names. */
function localAddresses(host: string): string[] {
  if (!WILDCARDS.has(host)) return [host];
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (host === '::' || a.family === 'IPv4') out.push(a.address);
  return out;
}

/** An address to put in our Via when bound to a wildcard: the first external IPv4, else loopback. */
function viaHostFor(host: string): string | undefined {
  if (!WILDCARDS.has(host)) return undefined;
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}


export async function startSignalling(ctx: SignallingContext): Promise<Signalling> {
  const { config, clock, logger: log, stores } = ctx;
  const sec = config.security;
  const guard = new SecurityGuard({
    clock,
    logger: log,
    events: stores.securityEvents,
    bans: stores.bans,
    ratePerSecond: sec.sipRateLimit,
    rateBurst: sec.sipRateBurst,
    maxAuthFailures: sec.banAfterFailures,
    authFailureWindowMs: sec.banFailureWindowSec * 1000,
    banMs: sec.banDurationSec * 1000,
    maxBanMs: Math.max(24 * 3_600_000, sec.banDurationSec * 1000),
    trustedNetworks: sec.trustedNetworks,
  });
  await guard.start();

  let stack: SipStack | undefined;
  const delegate: TransportDelegate = {
    onMessage(data: Buffer, flow: Flow) {
      const source = sourceOfFlow(flow);
      if (guard.admitBytes(source, data) === 'drop' || !stack) return;
      stack.onMessage(data, flow);
    },
    onFramingError(error: Error, flow: Flow) {
      guard.recordMalformed(sourceOfFlow(flow), error.message);
    },
  };

  const tlsDir = join(config.dataDir, 'tls');
  const hosts = [...new Set([config.realm, 'localhost', ...localAddresses(config.host)])];
  let tls: { key: string; cert: string };
  if (config.tlsFiles) {
    const read = async (setting: 'tls-key' | 'tls-cert', file: string) =>
      readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new ConfigError(setting, `cannot read ${file} (${err.code ?? err.message})`);
      });
    tls = { key: await read('tls-key', config.tlsFiles.key), cert: await read('tls-cert', config.tlsFiles.cert) };
  } else {
    const made = await ensureSelfSignedCert({ dir: tlsDir, hosts });
    if (made.created) log.info({ cert: made.certPath, fingerprint256: made.fingerprint256 }, 'self-signed certificate for SIP TLS created');
    tls = made;
  }

  const transports = TransportSet.fromOptions({
    delegate,
    logger: log,
    clock,
    udp: [{ host: config.host, port: config.sipPort }],
    tcp: [{ host: config.host, port: config.sipPort }],
    tls: [{ host: config.host, port: config.sipTlsPort, key: tls.key, cert: tls.cert }],
    ws: [{ host: config.host, port: config.sipWsPort }, ...(config.sipWssPort ? [{ host: config.host, port: config.sipWssPort, tls: { key: tls.key, cert: tls.cert } }] : [])],
  });
  const viaHost = viaHostFor(config.host);
  stack = new SipStack({
    transports: transports.all(),
    clock,
    logger: log,
    supported: ['path', 'outbound'],
    ...(viaHost ? { viaHost } : {}),
    hooks: {
      // Scanner User-Agents are checked once the message is parsed; unparseable input goes to the security log.
      admit: (msg, flow) => guard.admitMessage(sourceOfFlow(flow), msg) !== 'drop',
      onParseError: (err, flow) => guard.recordMalformed(sourceOfFlow(flow), err.reason),
    },
  });

  // Browser phones register with short-lived credentials (12 h, as a web session), never the account's hash.
  const ephemeral = new EphemeralCredentials(config.realm, clock, 12 * 3_600_000);
  const authenticator = new DigestAuthenticator({ realm: config.realm, accounts: stores.sipAccounts, clock, logger: log, observer: guard, algorithms: config.digestAlgorithms, ephemeral });
  const location = new LocationService({ store: stores.registrations, clock, logger: log });
  const registrar = new Registrar({ domains: hosts, authenticator, location, clock, logger: log });
  stack.handle('REGISTER', {
    async onRequest(incoming) {
      incoming.send(await registrar.handleRegister(incoming.request, sourceOfFlow(incoming.flow)));
    },
  });

  let sw: SwitchParts;
  try {
    sw = await startSwitch({ config, clock, logger: log, stack, location, authenticator, registrar, publicHost: viaHost ?? config.host });
  } catch (err) {
    guard.stop();
    stack.close();
    throw err;
  }
  try {
    await transports.start();
    sw.open(); // take calls; after a crash, BYE the dead dialogs (through the transports)
  } catch (err) {
    await sw.stop();
    guard.stop();
    stack.close();
    throw err;
  }
  location.start();
  const listening = transports.all().map((t) => `${t.protocol}:${t.local.port}`).join(' ');

  return {
    health: () => (transports.running ? { status: 'up', detail: listening } : { status: 'down', detail: 'SIP transports closed' }),
    liftBan: (address) => guard.liftBan(address),
    issueCredential: (username) => ephemeral.issue(username),
    switch: sw,
    tls: { key: tls.key, cert: tls.cert },
    async stop() {
      await sw.stop();
      location.stop();
      guard.stop();
      stack?.close();
      await transports.stop();
      await guard.flush();
    },
  };
}
