import { describe, expect, it } from 'vitest';
import { AGENT_ADMIN_STATUSES as API_STATUSES } from '../../../../src/acd/service/acd-control.ts';
import { BLACKLIST_MODES as API_MODES } from '../../../../src/acd/blacklist.ts';
import type { AdminAgent } from '../../api/types.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { AGENT_ADMIN_STATUSES, agentChangeBody, BLACKLIST_MODES, blacklistBody, editValuesOf, formatSkills, newAgentBody, parseGroups, parseSkills } from './admin-forms.ts';

const agent: AdminAgent = { id: '8011', extension: '8011', name: 'Agent 8011', level: 5, skills: { general: 7, vip: 8 }, groups: ['front-line'], mayDialOut: false, status: 'normal', state: 'logged-out', webUser: true, sipAccount: true };

describe('agents page forms (ADM-1)', () => {
  it.each([
    ['general:7, vip:8', { general: 7, vip: 8 }],
    ['general=7\nfunds:10', { general: 7, funds: 10 }],
    ['general:7，vip:1', { general: 7, vip: 1 }],
    ['', {}],
  ])('skills %j → %j', (text, skills) => {
    expect(parseSkills(text)).toEqual({ ok: true, skills });
  });

  it.each([
    ['general:11', 'general:11'],
    ['general:0', 'general:0'],
    ['general', 'general'],
    ['gen eral:5', 'gen'],
    ['a:3, a:4', 'a:4'],
    ['客服:5', '客服:5'],
  ])('skills %j are refused at %j', (text, bad) => {
    expect(parseSkills(text)).toEqual({ ok: false, bad });
  });

  it('skills format back by name; groups keep their order and refuse bad or repeated names', () => {
    expect(formatSkills({ vip: 8, general: 7 })).toBe('general:7, vip:8');
    expect(parseSkills(formatSkills({ vip: 8, general: 7 }))).toEqual({ ok: true, skills: { general: 7, vip: 8 } });
    expect(parseGroups('seniors, front-line')).toEqual(['seniors', 'front-line']);
    expect(parseGroups('')).toEqual([]);
    expect(parseGroups('a b a')).toBeNull();
    expect(parseGroups('a/b')).toBeNull();
  });

  it('the create body trims, leaves an empty password out (generated) and keeps the flags', () => {
    expect(newAgentBody({ extension: ' 8011 ', name: ' Agent 8011 ', password: '', level: 6, skills: 'general:7', groups: '', mayDialOut: true })).toEqual({
      extension: '8011',
      name: 'Agent 8011',
      level: 6,
      skills: { general: 7 },
      mayDialOut: true,
    });
    expect(newAgentBody({ extension: '8011', name: 'A', password: 'secret-123', level: 5, skills: '', groups: 'g1', mayDialOut: false })).toMatchObject({ password: 'secret-123', groups: ['g1'] });
    expect(() => newAgentBody({ extension: '8011', name: 'A', level: 5, skills: 'x', groups: '', mayDialOut: false })).toThrow(/bad skill x/);
  });

  it('a change carries only what differs from the agent as listed', () => {
    const v = editValuesOf(agent);
    expect(v).toEqual({ name: 'Agent 8011', level: 5, skills: 'general:7, vip:8', groups: 'front-line', mayDialOut: false, status: 'normal', branch: '', role: '' });
    expect(agentChangeBody(agent, v)).toEqual({});
    expect(agentChangeBody(agent, { ...v, skills: 'vip:8, general:7' })).toEqual({});
    expect(agentChangeBody(agent, { ...v, skills: 'general:9', level: 7, status: 'frozen', password: 'new-pass-1' })).toEqual({ skills: { general: 9 }, level: 7, status: 'frozen', password: 'new-pass-1' });
    expect(agentChangeBody(agent, { ...v, name: 'Li Wei', groups: 'seniors, front-line', mayDialOut: true })).toEqual({ name: 'Li Wei', groups: ['seniors', 'front-line'], mayDialOut: true });
    // ADM-1 branch: set, unchanged, cleared (null).
    expect(agentChangeBody(agent, { ...v, branch: 'sh' })).toEqual({ branch: 'sh' });
    const inSh = { ...agent, branch: 'sh' };
    expect(agentChangeBody(inSh, editValuesOf(inSh))).toEqual({});
    expect(agentChangeBody(inSh, { ...editValuesOf(inSh), branch: '' })).toEqual({ branch: null });
    // ADM-1 custom role: given, unchanged, taken away (null).
    expect(agentChangeBody(agent, { ...v, role: 'desk' })).toEqual({ role: 'desk' });
    const withRole = { ...agent, role: 'desk' };
    expect(agentChangeBody(withRole, editValuesOf(withRole))).toEqual({});
    expect(agentChangeBody(withRole, { ...editValuesOf(withRole), role: '' })).toEqual({ role: null });
  });
});

describe('blacklist page form (ACD-7)', () => {
  it('the body drops spaces and dashes, keeps mode and match, leaves an empty reason out', () => {
    expect(blacklistBody({ number: '139 0000-0666', match: 'exact', mode: 'refuse', reason: ' ' })).toEqual({ number: '13900000666', match: 'exact', mode: 'refuse' });
    expect(blacklistBody({ number: '+86139', match: 'prefix', mode: 'flag', reason: 'spam' })).toEqual({ number: '+86139', match: 'prefix', mode: 'flag', reason: 'spam' });
    expect(() => blacklistBody({ number: '12', match: 'exact', mode: 'refuse' })).toThrow();
    expect(() => blacklistBody({ number: 'abc123', match: 'exact', mode: 'refuse' })).toThrow();
  });
});

describe('the pages speak the API’s vocabulary, in both languages', () => {
  it('statuses and modes are the server’s, each with a label in zh-CN and en-US', () => {
    expect([...AGENT_ADMIN_STATUSES]).toEqual([...API_STATUSES]);
    expect([...BLACKLIST_MODES]).toEqual([...API_MODES]);
    for (const catalog of Object.values(CATALOGS)) {
      for (const s of AGENT_ADMIN_STATUSES) expect(catalog[`adminAgents.status.${s}`]).toBeTruthy();
      for (const m of BLACKLIST_MODES) expect(catalog[`blacklist.mode.${m}`]).toBeTruthy();
    }
  });
});
