// The organisation page's form helpers (issue 7, ADM-1).
import { describe, expect, it } from 'vitest';
import { CUSTOMER_LEVELS as API_LEVELS } from '../../../../src/acd/types.ts';
import { branchSchema, customerClassSchema, ticketTypeSchema, agentGroupSchema } from '../../../../src/acd/service/org-catalog.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import { type Branch, branchPath, changeBody, createBody, CUSTOMER_LEVELS, ORG_TABS, parentChoices, parseNames, valuesOf } from './org-forms.ts';

const branches: Branch[] = [
  { id: 'hq', name: 'HQ', phone: '021-1' },
  { id: 'sh', name: 'Shanghai', parent: 'hq' },
  { id: 'pd', name: 'Pudong', parent: 'sh' },
  { id: 'bj', name: 'Beijing' },
];

describe('organisation page forms (ADM-1)', () => {
  it('the levels are the ACD routing levels', () => {
    expect(CUSTOMER_LEVELS).toEqual(API_LEVELS);
  });

  it('create bodies trim, leave empty optional fields out, and pass the server schemas', () => {
    const b = createBody('branches', { id: ' sh ', name: 'Shanghai ', parent: 'hq', phone: '' });
    expect(b).toEqual({ id: 'sh', name: 'Shanghai', parent: 'hq' });
    expect(branchSchema.safeParse(b).success).toBe(true);
    const g = createBody('agent-groups', { id: 'front', name: 'Front', branch: null, supervisors: 'sup1，sup2 sup1' });
    expect(g).toEqual({ id: 'front', name: 'Front', supervisors: ['sup1', 'sup2'] });
    expect(agentGroupSchema.safeParse(g).success).toBe(true);
    const c = createBody('customer-classes', { id: 'gold', name: 'Gold', level: 'special' });
    expect(customerClassSchema.safeParse(c).success).toBe(true);
    const t = createBody('ticket-types', { id: 'complaint', name: 'Complaint', category: 'service', slaHours: 24 });
    expect(t).toEqual({ id: 'complaint', name: 'Complaint', category: 'service', slaHours: 24, active: true });
    expect(ticketTypeSchema.safeParse(t).success).toBe(true);
  });

  it('change bodies hold only what changed; a cleared optional field is null', () => {
    const sh = branches[1]!;
    expect(changeBody('branches', sh, valuesOf('branches', sh))).toEqual({});
    expect(changeBody('branches', sh, { ...valuesOf('branches', sh), parent: null, phone: '021-2' })).toEqual({ parent: null, phone: '021-2' });
    const g = { id: 'front', name: 'Front', branch: 'sh', supervisors: ['a'] };
    expect(changeBody('agent-groups', g, { ...valuesOf('agent-groups', g), supervisors: 'a, b', branch: '' })).toEqual({ supervisors: ['a', 'b'], branch: null });
    const t = { id: 'x', name: 'X', category: 'c', slaHours: 4, active: true };
    expect(changeBody('ticket-types', t, { ...valuesOf('ticket-types', t), active: false })).toEqual({ active: false });
  });

  it('a branch cannot be put under itself or below itself; paths read top down', () => {
    expect(parentChoices(branches, 'sh').map((b) => b.id)).toEqual(['hq', 'bj']);
    expect(parentChoices(branches).map((b) => b.id)).toEqual(['hq', 'sh', 'pd', 'bj']);
    expect(branchPath(branches, 'pd')).toBe('HQ / Shanghai / Pudong');
    expect(branchPath(branches, 'gone')).toBe('gone');
    expect(branchPath(branches, undefined)).toBe('');
    expect(parseNames(' a, b;c ')).toEqual(['a', 'b', 'c']);
  });

  it('every tab and level has its words in both languages', () => {
    for (const cat of Object.values(CATALOGS)) {
      for (const tab of ORG_TABS) expect(cat[`org.tab.${tab}` as keyof typeof cat]).toBeTruthy();
      for (const l of CUSTOMER_LEVELS) expect(cat[`org.level.${l}` as keyof typeof cat]).toBeTruthy();
    }
  });
});
