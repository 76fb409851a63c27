import { CriterionStrategy } from './criterion-strategy.ts';

/**
 * ACD-2 "several conditions at once": the parts' rules applied in order,
 * each breaking the ties the previous left (for example customer level with
 * aging, then region, then skill, then longest idle).
 */
export class CompositeStrategy extends CriterionStrategy {
  constructor(parts: readonly CriterionStrategy[], name?: string) {
    super(name ?? parts.map((p) => p.name).join('>'), parts.flatMap((p) => p.criteria));
  }
}
