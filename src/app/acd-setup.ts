/**
 * ===================== ACD WIRING POINT =====================
 * The ACD service on the running switch (server.ts calls this):
 *   AcdService (--acd-config FILE, else the demo agents and queues)
 *     -> runtime.setQueuePort (calls enter queues), the agent directory
 *     -> attach(runtime, SwitchTreatment): offers, RONA, music and prompts
 * The API reaches it as ApiDeps.acd (agents, queues, rules, blacklist).
 * ============================================================
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcdConfigError, AcdService, DEMO_ACD_CONFIG, loadAcdConfigFile, parseAcdConfig } from '../acd/service/index.ts';
import { EspeakTts } from '../media/tts/espeak-tts.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { flagBlacklistedCalls } from './blacklist-flag.ts';
import { ConfigError, type HotlineConfig } from './config.ts';
import type { SwitchParts } from './switch-setup.ts';
import { SwitchTreatment } from './switch-treatment.ts';

export function startAcd(config: HotlineConfig, sw: SwitchParts, clock: Clock, logger: Logger): AcdService {
  let acdConfig;
  try {
    acdConfig = config.acdConfigFile !== undefined ? loadAcdConfigFile(config.acdConfigFile, (p) => readFileSync(p, 'utf8')) : parseAcdConfig(DEMO_ACD_CONFIG);
  } catch (err) {
    if (err instanceof AcdConfigError) throw new ConfigError('acd-config', err.message);
    throw err;
  }
  const acd = new AcdService({ config: acdConfig, clock, logger });
  sw.runtime.setQueuePort(acd);
  sw.useAgentDirectory(acd.directory);
  const treatment = new SwitchTreatment({
    runtime: sw.runtime,
    tts: new EspeakTts({ cacheDir: join(config.dataDir, 'tts-cache') }),
    sounds: sw.sounds,
    agents: acd.directory,
    promptDir: join(config.dataDir, 'sounds', 'prompts'),
    clock,
    logger,
    ringTimeoutMs: config.switch.ringTimeoutSec * 1000,
  });
  acd.attach(sw.runtime, treatment);
  flagBlacklistedCalls(acd, sw.runtime); // ACD-7: blacklisted: true in the call data of a flagged caller
  return acd;
}
