// The organisation catalog: branches, agent groups, customer classes, ticket types (issue 7, ADM-1).
import { describe, expect, it } from 'vitest';
import { customerLevelOf } from './acd-config.ts';
import { OrgCatalog, OrgError } from './org-catalog.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof OrgError ? err.code : `not an OrgError: ${String(err)}`;
  }
  return undefined;
};

describe('branches (ADM-1 分支机构)', () => {
  it('unique ids, parents must exist, no cycles', () => {
    const c = new OrgCatalog();
    c.createBranch({ id: 'hq', name: 'Head office', phone: '+86 21 5555 0000' });
    c.createBranch({ id: 'sh', name: 'Shanghai', parent: 'hq' });
    expect(codeOf(() => c.createBranch({ id: 'sh', name: 'Again' }))).toBe('duplicate-id');
    expect(codeOf(() => c.createBranch({ id: 'bj', name: 'Beijing', parent: 'nowhere' }))).toBe('unknown-branch');
    expect(codeOf(() => c.updateBranch('hq', { parent: 'sh' }))).toBe('branch-cycle');
    expect(codeOf(() => c.updateBranch('hq', { parent: 'hq' }))).toBe('branch-cycle');
    expect(codeOf(() => c.createBranch({ id: 'x y', name: 'bad id' }))).toBe('invalid');
    expect(codeOf(() => c.updateBranch('nope', { name: 'n' }))).toBe('not-found');
    expect(c.updateBranch('sh', { parent: null, name: 'Shanghai centre' })).toEqual({ id: 'sh', name: 'Shanghai centre' });
    expect(c.branches().map((b) => b.id)).toEqual(['hq', 'sh']);
  });

  it('a branch still referenced by a child, a group or an agent is not removed (branch-in-use)', () => {
    const agents = new Map<string, string[]>([['sh', ['8001']]]);
    const c = new OrgCatalog({ agentsInBranch: (b) => agents.get(b) ?? [] });
    c.createBranch({ id: 'hq', name: 'HQ' });
    c.createBranch({ id: 'sh', name: 'Shanghai', parent: 'hq' });
    c.createBranch({ id: 'bj', name: 'Beijing' });
    c.createGroup({ id: 'front', name: 'Front line', branch: 'bj' });
    expect(codeOf(() => c.removeBranch('hq'))).toBe('branch-in-use');
    expect(codeOf(() => c.removeBranch('sh'))).toBe('branch-in-use');
    expect(codeOf(() => c.removeBranch('bj'))).toBe('branch-in-use');
    agents.clear();
    c.removeBranch('sh');
    c.removeBranch('hq');
    c.removeGroup('front');
    c.removeBranch('bj');
    expect(c.branches()).toEqual([]);
  });
});

describe('agent groups', () => {
  it('the branch must exist; supervisors kept; a group agents or queues use is not removed', () => {
    const used = { agents: ['8002'], queues: ['vip'] };
    const c = new OrgCatalog({ agentsInGroup: (g) => (g === 'vip' ? used.agents : []), queuesOfGroup: (g) => (g === 'vip' ? used.queues : []) });
    expect(codeOf(() => c.createGroup({ id: 'vip', name: 'VIP', branch: 'hq' }))).toBe('unknown-branch');
    c.createBranch({ id: 'hq', name: 'HQ' });
    expect(c.createGroup({ id: 'vip', name: 'VIP', branch: 'hq', supervisors: ['sup'] })).toEqual({ id: 'vip', name: 'VIP', branch: 'hq', supervisors: ['sup'] });
    expect(c.createGroup({ id: 'general', name: 'General' }).supervisors).toEqual([]);
    expect(codeOf(() => c.createGroup({ id: 'vip', name: 'x' }))).toBe('duplicate-id');
    expect(codeOf(() => c.updateGroup('vip', { branch: 'gone' }))).toBe('unknown-branch');
    expect(codeOf(() => c.removeGroup('vip'))).toBe('group-in-use');
    used.agents = [];
    expect(codeOf(() => c.removeGroup('vip'))).toBe('group-in-use');
    used.queues = [];
    c.removeGroup('vip');
    expect(c.hasGroup('vip')).toBe(false);
    expect(c.hasGroup('general')).toBe(true);
  });
});

describe('customer classes', () => {
  it('the three routing levels are built-in classes: renamable, never removed, level fixed', () => {
    const c = new OrgCatalog();
    expect(c.classes().map((x) => [x.id, x.level, x.builtin])).toEqual([
      ['special', 'special', true],
      ['priority', 'priority', true],
      ['standard', 'standard', true],
    ]);
    expect(c.updateClass('special', { name: '特殊客户' })).toEqual({ id: 'special', name: '特殊客户', level: 'special', builtin: true });
    expect(codeOf(() => c.updateClass('special', { level: 'standard' }))).toBe('builtin-class');
    expect(codeOf(() => c.removeClass('standard'))).toBe('builtin-class');
  });

  it('an administered class maps call data to its routing level; levels still work; unknown values are standard', () => {
    const c = new OrgCatalog();
    c.createClass({ id: 'gold', name: 'Gold card', level: 'special' });
    expect(codeOf(() => c.createClass({ id: 'silver', name: 'Silver', level: 'platinum' }))).toBe('invalid');
    expect(codeOf(() => c.createClass({ id: 'gold', name: 'Gold', level: 'priority' }))).toBe('duplicate-id');
    const of = (v: unknown) => customerLevelOf(v, (x) => c.levelOf(x));
    expect([of('gold'), of('priority'), of('special'), of('tin'), of(undefined), of(7)]).toEqual(['special', 'priority', 'special', 'standard', 'standard', 'standard']);
    c.updateClass('gold', { level: 'priority' });
    expect(of('gold')).toBe('priority');
    c.removeClass('gold');
    expect(of('gold')).toBe('standard');
    expect(customerLevelOf('gold')).toBe('standard');
  });
});

describe('ticket types', () => {
  it('create with defaults, update, deactivate, remove', () => {
    const c = new OrgCatalog();
    expect(c.createTicketType({ id: 'complaint', name: 'Complaint', category: 'service', slaHours: 24 })).toEqual({ id: 'complaint', name: 'Complaint', category: 'service', slaHours: 24, active: true });
    expect(codeOf(() => c.createTicketType({ id: 'complaint', name: 'x', category: 'y', slaHours: 1 }))).toBe('duplicate-id');
    expect(codeOf(() => c.createTicketType({ id: 'refund', name: 'Refund', category: 'money', slaHours: 0 }))).toBe('invalid');
    expect(c.updateTicketType('complaint', { active: false, slaHours: 48 })).toMatchObject({ active: false, slaHours: 48 });
    c.removeTicketType('complaint');
    expect(codeOf(() => c.removeTicketType('complaint'))).toBe('not-found');
  });
});

describe('snapshot and load', () => {
  it('what is kept comes back, children after parents whatever the order; what no longer validates is reported', () => {
    const c = new OrgCatalog();
    c.createBranch({ id: 'hq', name: 'HQ' });
    c.createBranch({ id: 'sh', name: 'Shanghai', parent: 'hq' });
    c.createGroup({ id: 'front', name: 'Front', branch: 'sh' });
    c.createClass({ id: 'gold', name: 'Gold', level: 'special' });
    c.updateClass('standard', { name: '普通' });
    c.createTicketType({ id: 'complaint', name: 'Complaint', category: 'service', slaHours: 24 });
    const kept = c.snapshot();
    kept.branches.reverse();
    kept.groups.push({ id: 'orphan', name: 'Orphan', branch: 'gone', supervisors: [] });
    const d = new OrgCatalog();
    const r = d.load(JSON.parse(JSON.stringify(kept)));
    expect(r.skipped).toEqual([{ kind: 'groups', id: 'orphan', error: 'no branch gone' }]);
    expect(d.branches().map((b) => b.id).sort()).toEqual(['hq', 'sh']);
    expect(d.groups().map((g) => g.id)).toEqual(['front']);
    expect(d.classes().find((x) => x.id === 'standard')?.name).toBe('普通');
    expect(d.levelOf('gold')).toBe('special');
    expect(d.ticketTypes()).toHaveLength(1);
  });
});
