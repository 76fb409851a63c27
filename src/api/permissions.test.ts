// Permissions: the list, what each built-in role reaches, and that it matches the routes' tags (issue 7, ADM-1).
import { describe, expect, it } from 'vitest';
import type { UserRole } from '../store/user-store.ts';
import { API_ROUTES } from './http-api.ts';
import { beyondBase, effectivePermissions, isPermission, PERMISSION_MIN_ROLE, PERMISSIONS, permissionsOfRole, permits } from './permissions.ts';
import type { RouteDef } from './route-def.ts';
import { agentAdminRoutes } from './routes/agent-admin-routes.ts';
import { callRoutes } from './routes/call-routes.ts';
import { crmRoutes } from './routes/crm-routes.ts';
import { hoursAdminRoutes } from './routes/hours-admin-routes.ts';
import { orgAdminRoutes } from './routes/org-admin-routes.ts';
import { queueAdminRoutes } from './routes/queue-admin-routes.ts';
import { roleAdminRoutes } from './routes/role-admin-routes.ts';
import { taskNoticeRoutes } from './routes/task-notice-routes.ts';
import { trunkAdminRoutes } from './routes/trunk-admin-routes.ts';
import { webphoneRoutes } from './routes/webphone-routes.ts';

const RANK: Record<UserRole, number> = { agent: 0, supervisor: 1, admin: 2 };

/** Every route of src/api (the factories only keep their argument for the handlers). */
function apiRoutes(): RouteDef[] {
  const none = {} as never;
  return [
    ...API_ROUTES,
    ...agentAdminRoutes(none),
    ...callRoutes(none),
    ...crmRoutes(none),
    ...hoursAdminRoutes(none),
    ...orgAdminRoutes(none),
    ...queueAdminRoutes(none),
    ...roleAdminRoutes(none),
    ...taskNoticeRoutes(none),
    ...trunkAdminRoutes(none),
    ...webphoneRoutes(none),
  ];
}

describe('permissions (ADM-1)', () => {
  it('every authenticated route of src/api is tagged with a permission whose lowest role is the lowest role of its routes', () => {
    const lowest = new Map<string, UserRole>();
    for (const r of apiRoutes()) {
      if (!r.role) continue;
      expect(isPermission(r.tag), `${r.method} ${r.path} tag ${r.tag}`).toBe(true);
      const seen = lowest.get(r.tag);
      if (!seen || RANK[r.role] < RANK[seen]) lowest.set(r.tag, r.role);
    }
    for (const [tag, role] of lowest) expect([tag, PERMISSION_MIN_ROLE[tag as keyof typeof PERMISSION_MIN_ROLE]]).toEqual([tag, role]);
    // The areas whose routes live in src/app (ivr-setup.ts: supervisor, system-routes.ts: admin) are the only ones not seen here.
    expect(PERMISSIONS.filter((p) => !lowest.has(p))).toEqual(['ivr', 'system']);
  });

  it('built-in roles nest: agent < supervisor < admin, admin reaches everything', () => {
    expect(permissionsOfRole('agent')).toEqual(['acd', 'calls', 'crm', 'notices', 'tasks', 'webphone']);
    expect(permissionsOfRole('supervisor')).toEqual(['acd', 'calls', 'crm', 'notices', 'tasks', 'webphone', 'audit', 'call-records', 'ivr', 'supervision']);
    expect(permissionsOfRole('admin')).toEqual([...PERMISSIONS]);
  });

  it('a custom role narrows and never widens; unknown tags are refused to it', () => {
    expect(beyondBase('agent', ['calls', 'supervision', 'admin'])).toEqual(['supervision', 'admin']);
    expect(beyondBase('supervisor', ['calls', 'supervision'])).toEqual([]);
    expect(beyondBase('agent', ['nonsense'])).toEqual(['nonsense']);
    expect(effectivePermissions('supervisor')).toEqual(permissionsOfRole('supervisor'));
    expect(effectivePermissions('supervisor', { permissions: ['acd', 'calls', 'admin'] })).toEqual(['acd', 'calls']);
    expect(effectivePermissions('agent', { permissions: ['supervision'] })).toEqual([]);
    expect(permits(['acd', 'calls'], 'calls')).toBe(true);
    expect(permits(['acd', 'calls'], 'supervision')).toBe(false);
    expect(permits(['acd', 'calls'], 'a-new-area')).toBe(false);
  });
});
