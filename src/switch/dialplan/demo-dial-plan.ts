/**
 * The demo's dial plan (DESIGN.md "Interfaces that people and scripts use"):
 * extensions 8000-8999 (agents 8001-8010, supervisor 8100); service numbers
 * 95000 securities IVR, 95001 general queue, 95002 bank IVR, 95003 fund IVR
 * (the IVR packs, packs/; the IVR resolves the entry point's name to the
 * pack's application). No trunk: outside numbers are not reachable until
 * one is configured.
 */
import type { DialPlanInput } from './dial-plan-config.ts';

export function demoDialPlan(): DialPlanInput {
  return {
    extensions: [{ from: '8000', to: '8999' }],
    entryPoints: { securities: { ivr: 'securities' }, bank: { ivr: 'bank' }, fund: { ivr: 'fund' }, general: { queue: 'general' } },
    serviceNumbers: { '95000': 'securities', '95001': 'general', '95002': 'bank', '95003': 'fund' },
  };
}
