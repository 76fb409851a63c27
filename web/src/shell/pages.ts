/**
 * The UI's pages and who may open them: the menu, the default page after
 * sign-in and the page guard all read this one list. A page shows only for
 * roles whose API routes it uses (admin routes need the admin role), and,
 * for a user whose custom role narrows theirs (ADM-1), only when the page's
 * API area is among the permissions /api/v1/me sent.
 */
import type { Role } from '../api/types.ts';
import type { MessageKey } from '../i18n/catalogs.ts';

export type PageId = 'agent' | 'agents' | 'tasks' | 'audit' | 'admin-agents' | 'sip-users' | 'registrations' | 'security' | 'blacklist' | 'admin-queues' | 'admin-hours' | 'admin-rules' | 'admin-entry-points' | 'admin-org' | 'admin-trunks' | 'admin-roles' | 'about';

export interface PageDef {
  id: PageId;
  path: string;
  labelKey: MessageKey;
  /** Menu section; undefined for top level. */
  section?: 'admin';
  roles: readonly Role[];
  /** The API area (permission, the routes' OpenAPI tag) the page needs. */
  permission?: string;
}

export const PAGES: readonly PageDef[] = [
  { id: 'agent', path: '/agent', labelKey: 'nav.agent', roles: ['agent', 'supervisor'], permission: 'calls' },
  { id: 'agents', path: '/supervisor/agents', labelKey: 'nav.agents', roles: ['supervisor', 'admin'], permission: 'acd' },
  { id: 'tasks', path: '/supervisor/tasks', labelKey: 'nav.tasks', roles: ['supervisor', 'admin'], permission: 'tasks' },
  { id: 'audit', path: '/admin/audit', labelKey: 'nav.audit', section: 'admin', roles: ['supervisor', 'admin'], permission: 'audit' },
  { id: 'admin-agents', path: '/admin/agents', labelKey: 'nav.adminAgents', section: 'admin', roles: ['admin'], permission: 'admin' },
  { id: 'sip-users', path: '/admin/sip-users', labelKey: 'nav.sipUsers', section: 'admin', roles: ['admin'], permission: 'sip' },
  { id: 'registrations', path: '/admin/registrations', labelKey: 'nav.registrations', section: 'admin', roles: ['admin'], permission: 'sip' },
  { id: 'security', path: '/admin/security', labelKey: 'nav.security', section: 'admin', roles: ['admin'], permission: 'security' },
  { id: 'blacklist', path: '/admin/blacklist', labelKey: 'nav.blacklist', section: 'admin', roles: ['supervisor', 'admin'], permission: 'acd' },
  { id: 'admin-queues', path: '/admin/queues', labelKey: 'nav.adminQueues', section: 'admin', roles: ['admin'], permission: 'admin' },
  { id: 'admin-hours', path: '/admin/hours', labelKey: 'nav.adminHours', section: 'admin', roles: ['admin'], permission: 'admin' },
  { id: 'admin-rules', path: '/admin/routing-rules', labelKey: 'nav.adminRules', section: 'admin', roles: ['supervisor', 'admin'], permission: 'acd' },
  { id: 'admin-entry-points', path: '/admin/entry-points', labelKey: 'nav.adminEntryPoints', section: 'admin', roles: ['admin'], permission: 'admin' },
  { id: 'admin-org', path: '/admin/organisation', labelKey: 'nav.adminOrg', section: 'admin', roles: ['admin'], permission: 'admin' },
  { id: 'admin-trunks', path: '/admin/trunks', labelKey: 'nav.adminTrunks', section: 'admin', roles: ['admin'], permission: 'admin' },
  { id: 'admin-roles', path: '/admin/roles', labelKey: 'nav.adminRoles', section: 'admin', roles: ['admin'], permission: 'admin' },
  { id: 'about', path: '/about', labelKey: 'nav.about', roles: ['agent', 'supervisor', 'admin'] },
];

/** May a user open the page: by role, and by permission when the server sent the user's permissions. */
export function mayOpen(p: PageDef, role: Role, permissions?: readonly string[]): boolean {
  return p.roles.includes(role) && (p.permission === undefined || permissions === undefined || permissions.includes(p.permission));
}

export function pagesFor(role: Role, permissions?: readonly string[]): PageDef[] {
  return PAGES.filter((p) => mayOpen(p, role, permissions));
}

const HOME: Record<Role, string> = { agent: '/agent', supervisor: '/supervisor/agents', admin: '/admin/sip-users' };

/** Where a role lands after sign-in (the first page left when a custom role takes the usual one away). */
export function homePath(role: Role, permissions?: readonly string[]): string {
  const home = PAGES.find((p) => p.path === HOME[role]);
  if (home && mayOpen(home, role, permissions)) return HOME[role];
  return pagesFor(role, permissions)[0]?.path ?? '/about';
}

/** The page at a path for a role: `forbidden` when it exists for other roles only, `missing` when it does not exist. */
export function resolvePage(path: string, role: Role, permissions?: readonly string[]): PageDef | 'forbidden' | 'missing' {
  const clean = path.replace(/\/+$/, '') || '/';
  const page = PAGES.find((p) => p.path === clean);
  if (!page) return 'missing';
  return mayOpen(page, role, permissions) ? page : 'forbidden';
}
