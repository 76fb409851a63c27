import { describe, expect, it } from 'vitest';
import { homePath, pagesFor, PAGES, resolvePage } from './pages.ts';

describe('menu and page guard by role (ADM-1 roles)', () => {
  it('every role’s home page is one it may open', () => {
    for (const role of ['agent', 'supervisor', 'admin'] as const) expect(resolvePage(homePath(role), role)).not.toBe('forbidden');
  });

  it.each([
    ['agent', ['agent', 'about'], '/agent'],
    ['supervisor', ['agent', 'agents', 'tasks', 'audit', 'blacklist', 'admin-rules', 'about'], '/supervisor/agents'],
    ['admin', ['agents', 'tasks', 'audit', 'admin-agents', 'sip-users', 'registrations', 'security', 'blacklist', 'admin-queues', 'admin-hours', 'admin-rules', 'admin-entry-points', 'admin-org', 'admin-trunks', 'admin-roles', 'about'], '/admin/sip-users'],
  ] as const)('%s sees %j and starts at %s', (role, ids, home) => {
    expect(pagesFor(role).map((p) => p.id)).toEqual(ids);
    expect(homePath(role)).toBe(home);
  });

  it.each([
    ['/admin/sip-users', 'admin', 'sip-users'],
    ['/admin/sip-users/', 'admin', 'sip-users'],
    ['/admin/sip-users', 'agent', 'forbidden'],
    ['/admin/security', 'supervisor', 'forbidden'],
    ['/admin/agents', 'admin', 'admin-agents'],
    ['/admin/agents', 'supervisor', 'forbidden'],
    ['/admin/blacklist', 'supervisor', 'blacklist'],
    ['/admin/blacklist', 'agent', 'forbidden'],
    ['/admin/queues', 'admin', 'admin-queues'],
    ['/admin/queues', 'supervisor', 'forbidden'],
    ['/admin/routing-rules', 'supervisor', 'admin-rules'],
    ['/admin/hours', 'agent', 'forbidden'],
    ['/agent', 'admin', 'forbidden'],
    ['/about', 'agent', 'about'],
    ['/supervisor/agents', 'agent', 'forbidden'],
    ['/supervisor/agents', 'supervisor', 'agents'],
    ['/supervisor/tasks', 'supervisor', 'tasks'],
    ['/supervisor/tasks', 'agent', 'forbidden'],
    ['/admin/audit', 'supervisor', 'audit'],
    ['/admin/audit', 'agent', 'forbidden'],
    ['/nowhere', 'admin', 'missing'],
    ['/', 'admin', 'missing'],
  ] as const)('%s as %s → %s', (path, role, expected) => {
    const r = resolvePage(path, role);
    expect(typeof r === 'string' ? r : r.id).toBe(expected);
  });

  it('a custom role (ADM-1) hides the pages of the areas it leaves out; the home page falls back to the first page left', () => {
    const lead = ['acd', 'calls', 'notices', 'tasks', 'audit'];
    expect(pagesFor('supervisor', lead).map((p) => p.id)).toEqual(['agent', 'agents', 'tasks', 'audit', 'blacklist', 'admin-rules', 'about']);
    expect(pagesFor('supervisor', ['calls', 'audit']).map((p) => p.id)).toEqual(['agent', 'audit', 'about']);
    expect(homePath('supervisor', ['calls', 'audit'])).toBe('/agent');
    expect(homePath('agent', ['acd'])).toBe('/about');
    expect(resolvePage('/admin/blacklist', 'supervisor', ['calls'])).toBe('forbidden');
    expect(resolvePage('/admin/roles', 'admin', ['admin'])).toMatchObject({ id: 'admin-roles' });
    expect(resolvePage('/admin/sip-users', 'admin', ['admin'])).toBe('forbidden');
    // Without permissions from the server every page of the role shows, as before.
    expect(pagesFor('admin', undefined)).toEqual(pagesFor('admin'));
    expect(PAGES.filter((p) => p.id !== 'about' && p.permission === undefined)).toEqual([]);
  });
});
