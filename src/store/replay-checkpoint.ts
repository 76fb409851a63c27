/**
 * The event log's replay checkpoint kept in table `meta` (key
 * `event-log-replay-from`), beside the records it vouches for, so both
 * move together on the same database.
 */
import type { ReplayCheckpoint } from '../switch/records/ports.ts';
import type { KyselyMetaStore } from './meta-store.ts';

export const REPLAY_CHECKPOINT_KEY = 'event-log-replay-from';

export function metaReplayCheckpoint(meta: KyselyMetaStore, key = REPLAY_CHECKPOINT_KEY): ReplayCheckpoint {
  return {
    async load() {
      const v = Number(await meta.get(key));
      return Number.isSafeInteger(v) && v >= 1 ? v : 1;
    },
    save: (replayFrom) => meta.set(key, String(replayFrom)),
  };
}
