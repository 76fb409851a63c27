import type { ScriptValue } from '../script/json-value.ts';

/**
 * Incremental DTMF recognition. The collector feeds the keys heard so far
 * and asks where they stand:
 *  - `nomatch`: no continuation can ever match;
 *  - `incomplete`: a prefix of something the grammar accepts;
 *  - `complete`: a full match that could still be extended (wait for more
 *    keys until the inter-digit timeout or the termchar);
 *  - `final`: a full match that cannot be extended (done at once).
 */
export type MatchStatus = 'nomatch' | 'incomplete' | 'complete' | 'final';

export interface MatchResult {
  readonly status: MatchStatus;
  /** The keys as an utterance ("1 2 3" style is not used: DTMF utterances are the key string). */
  readonly utterance: string;
  /** Semantic interpretation; present for complete / final. May run ECMAScript (SRGS tags). */
  interpret?(): ScriptValue;
}

export interface MatchOptions {
  /** The caller pressed the termchar after `keys` (the termchar itself is not in `keys`). */
  readonly terminated?: boolean;
}

export interface DtmfMatcher {
  match(keys: string, options?: MatchOptions): MatchResult;
}

/** Pick the best result of several active grammars: the first complete, else incomplete, else nomatch. */
export function combine(results: readonly MatchResult[], keys: string): MatchResult {
  const rank: Record<MatchStatus, number> = { final: 3, complete: 2, incomplete: 1, nomatch: 0 };
  let best: MatchResult = { status: 'nomatch', utterance: keys };
  let canExtend = false;
  for (const r of results) {
    if (r.status === 'incomplete' || r.status === 'complete') canExtend = true;
    if (rank[r.status] > rank[best.status]) best = r;
  }
  // A final match in one grammar while another grammar can still extend: wait (complete).
  if (best.status === 'final' && canExtend && best.interpret) {
    const chosen = best;
    return { status: 'complete', utterance: chosen.utterance, interpret: () => chosen.interpret!() };
  }
  return best;
}
