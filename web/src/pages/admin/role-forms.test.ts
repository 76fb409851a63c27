// Custom roles page helpers (issue 7, ADM-1).
import { describe, expect, it } from 'vitest';
import { type CustomRole, keepReachable, newRoleBody, type PermissionInfo, permissionsForBase, ROLE_ID, roleChangeBody, roleOptions } from './role-forms.ts';

const ALL: PermissionInfo[] = [
  { permission: 'acd', minRole: 'agent' },
  { permission: 'calls', minRole: 'agent' },
  { permission: 'audit', minRole: 'supervisor' },
  { permission: 'supervision', minRole: 'supervisor' },
  { permission: 'admin', minRole: 'admin' },
];
const lead: CustomRole = { id: 'team-lead', name: 'Team lead', base: 'supervisor', permissions: ['acd', 'calls', 'audit'], users: ['8101'] };

describe('custom roles form (ADM-1)', () => {
  it('a base offers what it reaches, and a changed base drops the rest', () => {
    expect(permissionsForBase(ALL, 'agent')).toEqual(['acd', 'calls']);
    expect(permissionsForBase(ALL, 'supervisor')).toEqual(['acd', 'calls', 'audit', 'supervision']);
    expect(permissionsForBase(ALL, 'admin')).toHaveLength(5);
    expect(keepReachable(ALL, 'agent', ['calls', 'supervision', 'admin'])).toEqual(['calls']);
  });

  it('bodies: trimmed on create; only what changed on edit', () => {
    expect(newRoleBody({ id: ' desk ', name: ' Desk ', base: 'agent', permissions: ['calls'] })).toEqual({ id: 'desk', name: 'Desk', base: 'agent', permissions: ['calls'] });
    const v = { id: lead.id, name: lead.name, base: lead.base, permissions: ['audit', 'acd', 'calls'] };
    expect(roleChangeBody(lead, v)).toEqual({});
    expect(roleChangeBody(lead, { ...v, name: 'Leads', permissions: ['calls'] })).toEqual({ name: 'Leads', permissions: ['calls'] });
    expect(roleChangeBody(lead, { ...v, permissions: [] })).toEqual({ permissions: [] });
  });

  it('ids and the choices offered for a user', () => {
    expect(['team-lead', 'a', 'x_1.2'].every((s) => ROLE_ID.test(s))).toBe(true);
    expect(['Team', '-x', '', 'a b'].some((s) => ROLE_ID.test(s))).toBe(false);
    const desk: CustomRole = { id: 'desk', name: 'Desk', base: 'agent', permissions: ['calls'], users: [] };
    expect(roleOptions([lead, desk], 'agent')).toEqual([{ value: 'desk', label: 'Desk (desk)' }]);
    expect(roleOptions([lead, desk], 'supervisor')).toEqual([{ value: 'team-lead', label: 'Team lead (team-lead)' }]);
  });
});
