/**
 * ===================== SWITCH WIRING POINT =====================
 * Assembles the switch on top of the SIP stack (signalling.ts calls this):
 *
 *   MediaEngine (RTP workers, --rtp-ports, --media-workers, --media-realtime-priority, --media-cpu-affinity, --media-send-ahead)
 *     <- SipCallGateway (INVITE/BYE/INFO/REFER on the stack, dialogs kept in
 *        DATA/sip-dialogs.jsonl and closed with BYE after a crash, by open()
 *        once the transports listen)
 *     <- SwitchRuntime (call model, dial plan, music on hold, recordings)
 *
 * Services plug into the runtime afterwards: runtime.setQueuePort (ACD),
 * runtime.setIvrPort (IVR). The HTTP routes come from callRoutes(runtime).
 * ===============================================================
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MediaEngine } from '../media/engine/media-engine.ts';
import { WebRtcTerminator } from '../media/webrtc/webrtc-terminator.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { DigestAuthenticator } from '../sip/auth/digest-authenticator.ts';
import type { LocationService } from '../sip/registrar/location-service.ts';
import type { Registrar } from '../sip/registrar/registrar.ts';
import type { SipStack } from '../sip/stack/sip-stack.ts';
import { DialPlan, DialPlanError, demoDialPlan } from '../switch/dialplan/index.ts';
import { recoverDialogs } from '../switch/gateway/dialog-recovery.ts';
import { MemoryDialogStore } from '../switch/gateway/dialog-store.ts';
import { JsonlDialogStore } from '../switch/gateway/jsonl-dialog-store.ts';
import { SipCallGateway } from '../switch/gateway/sip-call-gateway.ts';
import { prepareSounds, type SwitchSounds } from '../switch/runtime/hold-music.ts';
import type { AgentDirectory } from '../switch/runtime/ports.ts';
import { SwitchRuntime } from '../switch/runtime/switch-runtime.ts';
import { ConfigError, type HotlineConfig } from './config.ts';

export interface SwitchParts {
  media: MediaEngine;
  gateway: SipCallGateway;
  runtime: SwitchRuntime;
  dialPlan: DialPlan;
  sounds: SwitchSounds;
  /** The ACD brings the real agent directory (agent IDs vs. extensions); dial-plan extensions stay reachable under their number. */
  useAgentDirectory(directory: AgentDirectory): void;
  /**
   * Call once the SIP transports listen (the BYEs need them): takes calls,
   * and sends BYE on every dialog a crashed predecessor left
   * (DATA/sip-dialogs.jsonl, emptied at start) without waiting for them.
   */
  open(): void;
  stop(): Promise<void>;
}

export interface SwitchSetupContext {
  config: HotlineConfig;
  clock: Clock;
  logger: Logger;
  stack: SipStack;
  location: LocationService;
  authenticator: DigestAuthenticator;
  registrar: Registrar;
  /** Host our Contact and SDP name (the SIP host, or the first external IPv4 on a wildcard). */
  publicHost: string;
}

export function loadDialPlan(config: HotlineConfig): DialPlan {
  const file = config.switch.dialPlanFile;
  try {
    if (file === undefined) return new DialPlan(demoDialPlan());
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError('dial-plan', `cannot read ${file} as JSON (${(err as Error).message})`);
    }
    return new DialPlan(raw);
  } catch (err) {
    if (err instanceof DialPlanError) throw new ConfigError('dial-plan', err.detail);
    throw err;
  }
}

/** Agents are the dial plan's extensions under their own number until the ACD brings its directory. */
function extensionDirectory(plan: DialPlan): AgentDirectory {
  return {
    extensionOf: (agentId) => (plan.isExtension(agentId) ? agentId : undefined),
    agentOfExtension: (ext) => (plan.isExtension(ext) ? ext : undefined),
  };
}

export async function startSwitch(ctx: SwitchSetupContext): Promise<SwitchParts> {
  const { config, clock, logger: log } = ctx;
  const dialPlan = loadDialPlan(config);
  const sounds = prepareSounds(join(config.dataDir, 'sounds'), config.switch.musicOnHold !== undefined ? { musicOnHold: config.switch.musicOnHold } : {});
  const media = new MediaEngine({
    workers: config.switch.mediaWorkers === 0 ? availableParallelism() : config.switch.mediaWorkers,
    rtpPortMin: config.rtpPorts.min,
    rtpPortMax: config.rtpPorts.max,
    bindAddress: config.host,
    realtimePriority: config.switch.mediaRealtimePriority,
    cpuAffinity: config.switch.mediaCpuAffinity,
    sendAhead: config.switch.mediaSendAhead,
  });
  await media.start();
  // a worker that could not raise its priority or take its CPU still works, but its 20 ms clock can
  // fall behind under load: the operator hears it here, once
  const scheduling = (await media.stats({ legs: false })).flatMap((w) => [w.thread?.error, w.sender?.error]).filter((e): e is string => e !== undefined);
  if (scheduling.length > 0) log.warn({ workers: scheduling }, 'media workers run without the scheduling asked for (real-time priority, nice value or CPU)');
  const mediaAddress = config.switch.mediaAddress ?? ctx.publicHost;
  const recordingsDir = join(config.dataDir, 'recordings');
  mkdirSync(recordingsDir, { recursive: true, mode: 0o750 });
  // Dialogs a crashed predecessor left: taken out of the store before any new call is kept there.
  const dialogs = new JsonlDialogStore(join(config.dataDir, 'sip-dialogs.jsonl'));
  const left = new MemoryDialogStore();
  for (const rec of await dialogs.list()) await left.put(rec);
  await dialogs.clear();
  // Browser calls (TEL-2): WebRTC ends here; the engine leg gets plain RTP from a loopback relay.
  const wildcardHost = config.host === '0.0.0.0' || config.host === '::';
  const webrtc = new WebRtcTerminator({ logger: log, extraHostAddresses: wildcardHost ? [] : [config.host] });
  const gateway = new SipCallGateway({
    stack: ctx.stack,
    location: ctx.location,
    authenticator: ctx.authenticator,
    media,
    clock,
    logger: log.child({ component: 'gateway' }),
    mediaAddress,
    sipHost: ctx.publicHost,
    sipPorts: { udp: config.sipPort, tcp: config.sipPort, tls: config.sipTlsPort, ws: config.sipWsPort, ...(config.sipWssPort ? { wss: config.sipWssPort } : {}) },
    aorOf: (ext) => ctx.registrar.aorOf(ext),
    isPublicNumber: (user) => dialPlan.isPublicNumber(user),
    store: dialogs,
    webrtc,
    engineAddress: wildcardHost ? '127.0.0.1' : config.host,
  });
  const fallback = extensionDirectory(dialPlan);
  let directory = fallback;
  const agents: AgentDirectory = {
    extensionOf: (a) => directory.extensionOf(a) ?? fallback.extensionOf(a),
    agentOfExtension: (e) => directory.agentOfExtension(e) ?? fallback.agentOfExtension(e),
  };
  const runtime = new SwitchRuntime({
    clock,
    logger: log.child({ component: 'switch' }),
    gateway,
    media,
    agents,
    dialPlan,
    sounds,
    recordingsDir,
    maxConference: config.switch.maxConference,
    ringTimeoutMs: config.switch.ringTimeoutSec * 1000,
    recordCalls: config.switch.recordCalls,
  });
  log.info({ mediaAddress, mediaWorkers: media.workerCount, rtpPorts: config.rtpPorts }, 'switch ready');
  return {
    media,
    gateway,
    runtime,
    dialPlan,
    sounds,
    open() {
      gateway.start();
      // In the background: a BYE to a peer that is gone waits for its transaction timeout.
      void recoverDialogs(ctx.stack, left, log.child({ component: 'gateway' }))
        .then((recovered) => {
          if (recovered.length > 0) log.warn({ dialogs: recovered.length, ended: recovered.filter((r) => r.status >= 200 && r.status < 300).length }, 'switch: dialogs left by the previous process were closed with BYE');
        })
        .catch((err: unknown) => log.error({ err }, 'switch: ending the dialogs left by the previous process failed'));
    },
    useAgentDirectory(d) {
      directory = d;
    },
    async stop() {
      await runtime.close();
      gateway.stop();
      webrtc.closeAll();
      await media.stop();
    },
  };
}
