import { describe, expect, it } from 'vitest';
import { AGENT_STATES } from '../../desktop/desk-state.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { SUPERVISE_OPS, superviseOpsFor, supervisePath } from './supervise.ts';

describe('supervisor actions on an agent (SUP-2)', () => {
  it.each(AGENT_STATES.filter((s) => s !== 'talking'))('none while the agent is %s', (s) => {
    expect(superviseOpsFor(s, 'supervisor')).toEqual([]);
  });
  it('all five on a talking agent for a supervisor; only force-release for an admin (no phone of their own)', () => {
    expect(superviseOpsFor('talking', 'supervisor')).toEqual(['monitor', 'whisper', 'barge', 'intercept', 'force-release']);
    expect(superviseOpsFor('talking', 'admin')).toEqual(['force-release']);
  });
  it('paths are the call API’s supervision routes', () => {
    expect(supervisePath('8001', 'barge')).toBe('/api/v1/agents/8001/barge');
  });
  it('each has a label in both languages', () => {
    for (const op of SUPERVISE_OPS) for (const c of Object.values(CATALOGS)) expect(c[`sup.${op}`]).toBeTruthy();
  });
});
