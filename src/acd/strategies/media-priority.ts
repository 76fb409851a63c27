import { MEDIA_TYPES, type MediaType } from '../types.ts';
import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

/**
 * ACD-2 media priority. Contacts: media earlier in `order` go first (a voice
 * caller before an e-mail). Agents: the one whose own media list puts the
 * contact's media earliest (a voice specialist before a generalist).
 */
export class MediaPriorityStrategy extends CriterionStrategy {
  constructor(order: readonly MediaType[] = MEDIA_TYPES) {
    const rank = (m: MediaType, list: readonly MediaType[]): number => {
      const i = list.indexOf(m);
      return i < 0 ? list.length : i;
    };
    const criterion: Criterion = {
      name: 'media-priority',
      entryScore: (entry) => -rank(entry.data.media, order),
      agentScore: (agent, entry) => -rank(entry.data.media, agent.profile.media ?? order),
    };
    super('media-priority', [criterion]);
  }
}
