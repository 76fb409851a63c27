/**
 * Roles and permissions (ADM-1, 角色权限): custom roles, each a built-in base
 * role narrowed to some API areas (one checkbox per permission the base
 * reaches), and which web user has one. Over /api/v1/admin/roles and
 * /api/v1/admin/users/:username/role; in force for the user's next request.
 */
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { type HTMLAttributes, useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import { type CustomRole, keepReachable, newRoleBody, type PermissionInfo, permissionsForBase, ROLE_ID, roleChangeBody, type RoleFormValues } from './role-forms.ts';
import { RowActions } from './row-actions.tsx';

const BASES: readonly Role[] = ['agent', 'supervisor', 'admin'];

export function RolesPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const roles = useApiData(useCallback(() => api.get<CustomRole[]>('/api/v1/admin/roles'), [api]));
  const perms = useApiData(useCallback(() => api.get<PermissionInfo[]>('/api/v1/admin/permissions'), [api]));
  /** undefined: closed; null: adding; a role: editing it. */
  const [editing, setEditing] = useState<CustomRole | null>();
  const [assigning, setAssigning] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<RoleFormValues>();
  const [assignForm] = Form.useForm<{ username: string; role: string }>();
  const base = (Form.useWatch('base', form) as Role | undefined) ?? 'agent';

  const all = perms.data ?? [];
  const permLabel = (p: string) => t(`perm.${p}` as MessageKey);
  const failed = (err: unknown) => void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
  const url = (id?: string) => `/api/v1/admin/roles${id !== undefined ? `/${encodeURIComponent(id)}` : ''}`;

  const open = (role: CustomRole | null) => {
    setEditing(role);
    form.resetFields();
    form.setFieldsValue(role ? { id: role.id, name: role.name, base: role.base, permissions: role.permissions } : { id: '', name: '', base: 'agent', permissions: [] });
  };

  const save = async (v: RoleFormValues) => {
    setSaving(true);
    try {
      if (editing) {
        const change = roleChangeBody(editing, v);
        if (Object.keys(change).length) await api.request('PATCH', url(editing.id), change);
        void message.success(t('roles.updated', { id: editing.id }));
      } else {
        await api.post(url(), newRoleBody(v));
        void message.success(t('roles.created', { id: v.id.trim() }));
      }
      setEditing(undefined);
      roles.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 409)) form.setFields([{ name: err.status === 409 ? 'id' : 'permissions', errors: [err.message] }]);
      else failed(err);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (id: string) => {
    try {
      await api.delete(url(id));
      void message.success(t('roles.removed', { id }));
      roles.reload();
    } catch (err) {
      failed(err);
    }
  };

  const assign = async (v: { username: string; role: string }) => {
    setSaving(true);
    try {
      const username = v.username.trim();
      await api.request('PUT', `/api/v1/admin/users/${encodeURIComponent(username)}/role`, { role: v.role || null });
      void message.success(t('roles.assigned', { username }));
      setAssigning(false);
      roles.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 404)) assignForm.setFields([{ name: err.status === 404 ? 'username' : 'role', errors: [err.message] }]);
      else failed(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageBar
        title={t('roles.title')}
        loading={roles.loading}
        loadedAt={roles.loadedAt}
        error={roles.error}
        onRefresh={roles.reload}
        extra={
          <Space>
            <Button
              onClick={() => {
                setAssigning(true);
                assignForm.resetFields();
              }}
              data-testid="role-assign"
            >
              {t('roles.assign')}
            </Button>
            <Button type="primary" onClick={() => open(null)} data-testid="role-add">
              {t('roles.add')}
            </Button>
          </Space>
        }
      />
      <Alert type="info" showIcon title={t('roles.intro')} style={{ marginBottom: 16 }} />
      <Table<CustomRole>
        rowKey="id"
        size="middle"
        loading={roles.loading && !roles.data}
        dataSource={roles.data ?? []}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `role-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('roles.id'), dataIndex: 'id' },
          { title: t('roles.name'), dataIndex: 'name' },
          { title: t('roles.base'), dataIndex: 'base', render: (b: Role) => t(`role.${b}`) },
          { title: t('roles.permissions'), key: 'permissions', render: (_, r) => r.permissions.map((p) => <Tag key={p}>{permLabel(p)}</Tag>) },
          { title: t('roles.users'), key: 'users', render: (_, r) => r.users.join(', ') },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => <RowActions id={r.id} testPrefix="role" confirm={t('roles.removeConfirm', { id: r.id })} onEdit={() => open(r)} onRemove={() => remove(r.id)} />,
          },
        ]}
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('roles.editTitle', { id: editing.id }) : t('roles.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setEditing(undefined)}
        okButtonProps={{ 'data-testid': 'role-save' }}
        forceRender
      >
        <Form<RoleFormValues> form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="id" label={t('roles.id')} extra={t('roles.idHelp')} rules={[{ required: true, message: t('login.required') }, { pattern: ROLE_ID, message: t('roles.idHelp') }]}>
            <Input disabled={!!editing} data-testid="role-id" />
          </Form.Item>
          <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, whitespace: true, message: t('login.required') }]}>
            <Input maxLength={100} data-testid="role-name" />
          </Form.Item>
          <Form.Item name="base" label={t('roles.base')} extra={t('roles.baseHelp')}>
            <Select
              disabled={!!editing}
              data-testid="role-base"
              options={BASES.map((b) => ({ value: b, label: t(`role.${b}`) }))}
              onChange={(b: Role) => form.setFieldValue('permissions', keepReachable(all, b, (form.getFieldValue('permissions') as string[] | undefined) ?? []))}
            />
          </Form.Item>
          <Form.Item name="permissions" label={t('roles.permissions')} extra={t('roles.permissionsHelp')}>
            <Checkbox.Group data-testid="role-permissions" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 4 }}>
              {permissionsForBase(all, base).map((p) => (
                <Checkbox key={p} value={p} data-testid={`perm-${p}`}>
                  {permLabel(p)}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={assigning}
        title={t('roles.assign')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => assignForm.submit()}
        onCancel={() => setAssigning(false)}
        okButtonProps={{ 'data-testid': 'role-assign-save' }}
        forceRender
      >
        <Form form={assignForm} layout="vertical" onFinish={(v) => void assign(v)} initialValues={{ username: '', role: '' }}>
          <Form.Item name="username" label={t('roles.username')} rules={[{ required: true, whitespace: true, message: t('login.required') }]}>
            <Input data-testid="role-assign-username" />
          </Form.Item>
          <Form.Item name="role" label={t('roles.role')}>
            <Select data-testid="role-assign-role" options={[{ value: '', label: t('roles.none') }, ...(roles.data ?? []).map((r) => ({ value: r.id, label: `${r.name} (${t(`role.${r.base}`)})` }))]} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
