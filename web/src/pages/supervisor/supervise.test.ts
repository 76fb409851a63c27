import { describe, expect, it } from 'vitest';
import { AGENT_STATES } from '../../desktop/desk-state.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { SUPERVISE_OPS, superviseOpsFor, supervisePath } from './supervise.ts';

describe('supervisor actions on an agent (SUP-2)', () => {
  it.each(AGENT_STATES.filter((s) => s !== 'talking'))('none while the agent is %s', (s) => {
    expect(superviseOpsFor(s, 'supervisor')).toEqual([]);
  });
  it('all five on a talking agent for a supervisor; only force-release for an admin (no phone of their own); recording on the agent\'s call for both', () => {
    expect(superviseOpsFor('talking', 'supervisor')).toEqual(['monitor', 'whisper', 'barge', 'intercept', 'force-release']);
    expect(superviseOpsFor('talking', 'admin')).toEqual(['force-release']);
    expect(superviseOpsFor('talking', 'supervisor', 'ix-1')).toEqual(['monitor', 'whisper', 'barge', 'intercept', 'force-release', 'record-start', 'record-stop']);
    expect(superviseOpsFor('talking', 'admin', 'ix-1')).toEqual(['force-release', 'record-start', 'record-stop']);
  });
  it('paths are the call API’s supervision and recording routes', () => {
    expect(supervisePath('8001', 'barge')).toBe('/api/v1/agents/8001/barge');
    expect(supervisePath('8001', 'record-start', 'ix-1')).toBe('/api/v1/interactions/ix-1/recording/start');
    expect(supervisePath('8001', 'record-stop', 'ix-1')).toBe('/api/v1/interactions/ix-1/recording/stop');
    expect(() => supervisePath('8001', 'record-stop')).toThrow();
  });
  it('each has a label in both languages', () => {
    for (const op of SUPERVISE_OPS) for (const c of Object.values(CATALOGS)) expect(c[`sup.${op}`]).toBeTruthy();
  });
});
