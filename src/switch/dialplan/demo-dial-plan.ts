/**
 * The demo's dial plan (DESIGN.md "Interfaces that people and scripts use"):
 * extensions 8000-8999 (agents 8001-8010, supervisor 8100), service number
 * 95000 to the demo IVR application, 95001 to the general queue. No trunk:
 * outside numbers are not reachable until one is configured.
 */
import type { DialPlanInput } from './dial-plan-config.ts';

export function demoDialPlan(ivrApplication: string): DialPlanInput {
  return {
    extensions: [{ from: '8000', to: '8999' }],
    entryPoints: { 'demo-ivr': { ivr: ivrApplication }, general: { queue: 'general' } },
    serviceNumbers: { '95000': 'demo-ivr', '95001': 'general' },
  };
}
