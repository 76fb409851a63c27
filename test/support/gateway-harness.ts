/**
 * Test harness process for test/e2e/gateway-*.test.ts: Hotline's SIP side
 * as the app assembles it (UDP+TCP transports, SipStack, Registrar with
 * digest auth, LocationService) plus a real MediaEngine and the
 * SipCallGateway, run inside the test's network namespace. The test drives
 * it over stdin (one JSON command a line) and reads its gateway events and
 * replies on stdout (one JSON object a line). Nothing here decides a call:
 * the test plays the switch runtime.
 *
 * argv[2]: JSON { host, sipPort, rtpPortMin, rtpPortMax, dataDir, accounts: [[user, password]], publicNumbers: [] }
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { systemClock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { MediaEngine } from '../../src/media/engine/media-engine.ts';
import { DigestAuthenticator } from '../../src/sip/auth/digest-authenticator.ts';
import { createSipAccount } from '../../src/sip/auth/sip-account-factory.ts';
import { MemoryRegistrationStore, MemorySipAccountStore } from '../../src/sip/memory-stores.ts';
import { LocationService } from '../../src/sip/registrar/location-service.ts';
import { Registrar } from '../../src/sip/registrar/registrar.ts';
import { sourceOfFlow } from '../../src/sip/security/message-source.ts';
import { SipStack } from '../../src/sip/stack/sip-stack.ts';
import { TransportSet } from '../../src/sip/transport/transport-set.ts';
import { JsonlDialogStore } from '../../src/switch/gateway/jsonl-dialog-store.ts';
import { SipCallGateway } from '../../src/switch/gateway/sip-call-gateway.ts';

interface HarnessConfig {
  host: string;
  sipPort: number;
  rtpPortMin: number;
  rtpPortMax: number;
  dataDir: string;
  accounts: Array<[string, string]>;
  publicNumbers: string[];
  /** Write every SIP message received and sent as {sip: 'rx'|'tx', text} lines. */
  trace?: boolean;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as HarnessConfig;
const write = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const logger: Logger = {
  debug: () => {},
  info: (o, m) => write({ log: 'info', o, m }),
  warn: (o, m) => write({ log: 'warn', o, m }),
  error: (o, m) => write({ log: 'error', o, m }),
  child: () => logger,
};

const clock = systemClock;
const realm = 'hotline';
const accounts = new MemorySipAccountStore(cfg.accounts.map(([username, password]) => createSipAccount({ username, realm, password, createdAt: new Date() })));
let stack: SipStack | undefined;
const transports = TransportSet.fromOptions({
  delegate: { onMessage: (data, flow) => stack?.onMessage(data, flow) },
  logger,
  clock,
  udp: [{ host: cfg.host, port: cfg.sipPort }],
  tcp: [{ host: cfg.host, port: cfg.sipPort }],
});
const hooks = cfg.trace
  ? { onReceive: (d: Buffer) => write({ sip: 'rx', text: d.toString() }), onSend: (d: Buffer) => write({ sip: 'tx', text: d.toString() }) }
  : {};
stack = new SipStack({ transports: transports.all(), clock, logger, viaHost: cfg.host, supported: ['path', 'outbound', 'replaces'], hooks });
const authenticator = new DigestAuthenticator({ realm, accounts, clock, logger, algorithms: ['MD5'] });
const location = new LocationService({ store: new MemoryRegistrationStore(), clock, logger });
const registrar = new Registrar({ domains: [realm, cfg.host], authenticator, location, clock, logger });
stack.handle('REGISTER', {
  async onRequest(incoming) {
    incoming.send(await registrar.handleRegister(incoming.request, sourceOfFlow(incoming.flow)));
  },
});
const media = new MediaEngine({ workers: 1, rtpPortMin: cfg.rtpPortMin, rtpPortMax: cfg.rtpPortMax, bindAddress: cfg.host });
const publicNumbers = new Set(cfg.publicNumbers);
const gateway = new SipCallGateway({
  stack,
  location,
  authenticator,
  media,
  clock,
  logger,
  mediaAddress: cfg.host,
  sipHost: cfg.host,
  sipPorts: { udp: cfg.sipPort, tcp: cfg.sipPort },
  aorOf: (ext) => registrar.aorOf(ext),
  isPublicNumber: (u) => publicNumbers.has(u),
  store: new JsonlDialogStore(join(cfg.dataDir, 'sip-dialogs.jsonl')),
  rtpTimeoutMs: 0,
});

type Command = { id: number; cmd: string; [k: string]: unknown };

async function run(c: Command): Promise<unknown> {
  switch (c.cmd) {
    case 'ring':
      return gateway.ring(c.legId as string);
    case 'answer':
      return gateway.answer(c.legId as string);
    case 'dial':
      return gateway.dial(c.legId as string, c.target as never, c.opts as never);
    case 'hangup':
      return gateway.hangup(c.legId as string, (c.cause as string) ?? 'test');
    case 'refer-outcome':
      return gateway.referOutcome(c.legId as string, c.referId as string, c.status as number);
    case 'bridge': {
      const legs = c.legs as string[];
      const bridgeId = await media.createBridge({ near: legs[0]! });
      for (const l of legs) await media.join(bridgeId, l, 'full');
      return bridgeId;
    }
    case 'record':
      return media.record({ legId: c.legId as string }, c.path as string, 'channels');
    case 'stop-recording':
      return media.controlRecording(c.recorderId as string, 'stop');
    case 'stats':
      return (await media.stats()).flatMap((w) => w.legs);
    case 'registrations':
      return location.listAll();
    default:
      throw new Error(`unknown command ${c.cmd}`);
  }
}

async function main(): Promise<void> {
  await media.start();
  await transports.start();
  location.start();
  const recovered = await gateway.recover();
  gateway.start();
  gateway.onEvent((event) => write({ event }));
  write({ ready: { recovered } });
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let c: Command;
    try {
      c = JSON.parse(line) as Command;
    } catch {
      return;
    }
    run(c).then(
      (result) => write({ reply: c.id, ok: true, result: result ?? null }),
      (err: unknown) => write({ reply: c.id, ok: false, error: String(err), code: (err as { code?: string }).code }),
    );
  });
  rl.on('close', () => void shutdown());
}

async function shutdown(): Promise<void> {
  location.stop();
  stack?.close();
  await transports.stop();
  await media.stop();
  process.exit(0);
}

main().catch((err: unknown) => {
  write({ fatal: String(err instanceof Error ? err.stack : err) });
  process.exit(1);
});
