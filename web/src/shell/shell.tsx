/**
 * The signed-in frame: header (product, language switch, user and role,
 * sign out), the menu of the pages this role may open, and the page.
 */
import { Button, Layout, Menu, Result, Space, Typography, type MenuProps } from 'antd';
import { useEffect, type ReactNode } from 'react';
import type { Me } from '../api/types.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { AboutPage } from '../pages/about-page.tsx';
import { RegistrationsPage } from '../pages/admin/registrations-page.tsx';
import { SecurityPage } from '../pages/admin/security-page.tsx';
import { SipUsersPage } from '../pages/admin/sip-users-page.tsx';
import { AgentsAdminPage } from '../pages/admin/agents-admin-page.tsx';
import { BlacklistPage } from '../pages/admin/blacklist-page.tsx';
import { EntryPointsPage } from '../pages/admin/entry-points-page.tsx';
import { HoursPage } from '../pages/admin/hours-page.tsx';
import { OrgPage } from '../pages/admin/org-page.tsx';
import { QueuesPage } from '../pages/admin/queues-page.tsx';
import { RoutingRulesPage } from '../pages/admin/routing-rules-page.tsx';
import { AgentDesktopPage } from '../pages/agent-desktop-page.tsx';
import { AgentGridPage } from '../pages/supervisor/agent-grid-page.tsx';
import { TasksPage } from '../pages/supervisor/tasks-page.tsx';
import { AuditPage } from '../pages/admin/audit-page.tsx';
import { TrunksPage } from '../pages/admin/trunks-page.tsx';
import { RolesPage } from '../pages/admin/roles-page.tsx';
import { useSession } from '../session/session-context.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { homePath, pagesFor, resolvePage, type PageId } from './pages.ts';
import { useLocationPath } from './router.ts';

const PAGE_VIEWS: Record<PageId, () => ReactNode> = {
  agent: () => <AgentDesktopPage />,
  agents: () => <AgentGridPage />,
  tasks: () => <TasksPage />,
  audit: () => <AuditPage />,
  'admin-agents': () => <AgentsAdminPage />,
  'sip-users': () => <SipUsersPage />,
  blacklist: () => <BlacklistPage />,
  'admin-queues': () => <QueuesPage />,
  'admin-hours': () => <HoursPage />,
  'admin-rules': () => <RoutingRulesPage />,
  'admin-entry-points': () => <EntryPointsPage />,
  'admin-org': () => <OrgPage />,
  'admin-trunks': () => <TrunksPage />,
  'admin-roles': () => <RolesPage />,
  registrations: () => <RegistrationsPage />,
  security: () => <SecurityPage />,
  about: () => <AboutPage />,
};

export function Shell({ user }: { user: Me }) {
  const { t } = useI18n();
  const { signOut } = useSession();
  const [path, navigate] = useLocationPath();
  const page = resolvePage(path, user.role, user.permissions);

  useEffect(() => {
    if (path === '/' || page === 'forbidden') navigate(homePath(user.role, user.permissions), true);
  }, [path, page, user.role, user.permissions, navigate]);

  const pages = pagesFor(user.role, user.permissions);
  const top = pages.filter((p) => !p.section);
  const admin = pages.filter((p) => p.section === 'admin');
  const items: MenuProps['items'] = [
    ...top.filter((p) => p.id !== 'about').map((p) => ({ key: p.path, label: t(p.labelKey) })),
    ...(admin.length ? [{ key: 'admin', type: 'group' as const, label: t('nav.admin'), children: admin.map((p) => ({ key: p.path, label: t(p.labelKey) })) }] : []),
    ...top.filter((p) => p.id === 'about').map((p) => ({ key: p.path, label: t(p.labelKey) })),
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          {t('app.title')} <span style={{ fontSize: 14, opacity: 0.7 }}>{t('app.subtitle')}</span>
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <Space size="middle">
          <LanguageSwitch />
          <span style={{ color: '#fff' }} data-testid="signed-in-as">
            {t('shell.signedInAs', { name: user.displayName ?? user.username, role: t(`role.${user.role}`) })}
          </span>
          <Button size="small" onClick={() => void signOut()} data-testid="sign-out">
            {t('shell.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={220} theme="light">
          <Menu mode="inline" selectedKeys={[typeof page === 'string' ? '' : page.path]} items={items} onClick={(e) => navigate(e.key)} style={{ height: '100%' }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          {page === 'missing' && path !== '/' ? (
            <Result status="404" title="404" subTitle={t('shell.notFound', { path })} />
          ) : typeof page === 'string' ? null : (
            PAGE_VIEWS[page.id]()
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
