/**
 * The UI's pages and who may open them: the menu, the default page after
 * sign-in and the page guard all read this one list. A page shows only for
 * roles whose API routes it uses (admin routes need the admin role).
 */
import type { Role } from '../api/types.ts';
import type { MessageKey } from '../i18n/catalogs.ts';

export type PageId = 'agent' | 'agents' | 'tasks' | 'audit' | 'admin-agents' | 'sip-users' | 'registrations' | 'security' | 'blacklist' | 'admin-queues' | 'admin-hours' | 'admin-rules' | 'admin-entry-points' | 'admin-org' | 'admin-trunks' | 'about';

export interface PageDef {
  id: PageId;
  path: string;
  labelKey: MessageKey;
  /** Menu section; undefined for top level. */
  section?: 'admin';
  roles: readonly Role[];
}

export const PAGES: readonly PageDef[] = [
  { id: 'agent', path: '/agent', labelKey: 'nav.agent', roles: ['agent', 'supervisor'] },
  { id: 'agents', path: '/supervisor/agents', labelKey: 'nav.agents', roles: ['supervisor', 'admin'] },
  { id: 'tasks', path: '/supervisor/tasks', labelKey: 'nav.tasks', roles: ['supervisor', 'admin'] },
  { id: 'audit', path: '/admin/audit', labelKey: 'nav.audit', section: 'admin', roles: ['supervisor', 'admin'] },
  { id: 'admin-agents', path: '/admin/agents', labelKey: 'nav.adminAgents', section: 'admin', roles: ['admin'] },
  { id: 'sip-users', path: '/admin/sip-users', labelKey: 'nav.sipUsers', section: 'admin', roles: ['admin'] },
  { id: 'registrations', path: '/admin/registrations', labelKey: 'nav.registrations', section: 'admin', roles: ['admin'] },
  { id: 'security', path: '/admin/security', labelKey: 'nav.security', section: 'admin', roles: ['admin'] },
  { id: 'blacklist', path: '/admin/blacklist', labelKey: 'nav.blacklist', section: 'admin', roles: ['supervisor', 'admin'] },
  { id: 'admin-queues', path: '/admin/queues', labelKey: 'nav.adminQueues', section: 'admin', roles: ['admin'] },
  { id: 'admin-hours', path: '/admin/hours', labelKey: 'nav.adminHours', section: 'admin', roles: ['admin'] },
  { id: 'admin-rules', path: '/admin/routing-rules', labelKey: 'nav.adminRules', section: 'admin', roles: ['supervisor', 'admin'] },
  { id: 'admin-entry-points', path: '/admin/entry-points', labelKey: 'nav.adminEntryPoints', section: 'admin', roles: ['admin'] },
  { id: 'admin-org', path: '/admin/organisation', labelKey: 'nav.adminOrg', section: 'admin', roles: ['admin'] },
  { id: 'admin-trunks', path: '/admin/trunks', labelKey: 'nav.adminTrunks', section: 'admin', roles: ['admin'] },
  { id: 'about', path: '/about', labelKey: 'nav.about', roles: ['agent', 'supervisor', 'admin'] },
];

export function pagesFor(role: Role): PageDef[] {
  return PAGES.filter((p) => p.roles.includes(role));
}

const HOME: Record<Role, string> = { agent: '/agent', supervisor: '/supervisor/agents', admin: '/admin/sip-users' };

/** Where a role lands after sign-in. */
export function homePath(role: Role): string {
  return HOME[role];
}

/** The page at a path for a role: `forbidden` when it exists for other roles only, `missing` when it does not exist. */
export function resolvePage(path: string, role: Role): PageDef | 'forbidden' | 'missing' {
  const clean = path.replace(/\/+$/, '') || '/';
  const page = PAGES.find((p) => p.path === clean);
  if (!page) return 'missing';
  return page.roles.includes(role) ? page : 'forbidden';
}
