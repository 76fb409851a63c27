/**
 * Agents (ADM-1, ADM-2): list with status and live state, create (SIP
 * account, web user and ACD agent in one request), edit skills, level,
 * groups, branch, may-dial-out, status, password and custom role. Every change is in
 * force at once, over /api/v1/admin/agents. Branches and groups are picked
 * from the organisation catalog (groups agents already carry stay offered).
 */
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import type { AdminAgent, AgentChange, CreatedAgent } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import { type AgentGroup, type Branch, branchPath } from './org-forms.ts';
import { type CustomRole, roleOptions } from './role-forms.ts';
import {
  AGENT_ADMIN_STATUSES,
  agentChangeBody,
  type AgentEditValues,
  type AgentFormValues,
  editValuesOf,
  EXTENSION,
  formatSkills,
  MAX_LEVEL,
  MIN_LEVEL,
  newAgentBody,
  parseGroups,
  parseSkills,
  statusColor,
} from './admin-forms.ts';

export function AgentsAdminPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const { message, modal } = App.useApp();
  const agents = useApiData(useCallback(() => api.get<AdminAgent[]>('/api/v1/admin/agents'), [api]), 5000);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<AdminAgent>();
  const [saving, setSaving] = useState(false);
  const [addForm] = Form.useForm<AgentFormValues>();
  const [editForm] = Form.useForm<AgentEditValues>();
  const branches = useApiData(useCallback(() => api.get<Branch[]>('/api/v1/admin/branches'), [api]));
  const catalogGroups = useApiData(useCallback(() => api.get<AgentGroup[]>('/api/v1/admin/agent-groups'), [api]));
  const customRoles = useApiData(useCallback(() => api.get<CustomRole[]>('/api/v1/admin/roles'), [api]));
  const customRoleOptions = [{ value: '', label: t('roles.none') }, ...roleOptions(customRoles.data ?? [], 'agent')];
  const branchOptions = [{ value: '', label: t('org.none') }, ...(branches.data ?? []).map((b) => ({ value: b.id, label: `${branchPath(branches.data ?? [], b.id)} (${b.id})` }))];
  const groupNames = [...new Set([...(catalogGroups.data ?? []).map((g) => g.id), ...(agents.data ?? []).flatMap((a) => a.groups)])];
  const groupOptions = groupNames.map((g) => ({ value: g, label: (catalogGroups.data ?? []).find((x) => x.id === g)?.name ?? g }));
  /** The groups field keeps its text form (admin-forms.ts); the control shows it as chosen tags. */
  const groupsField = { getValueProps: (v: string | undefined) => ({ value: parseGroups(v ?? '') ?? [] }), normalize: (v: string[]) => v.join(', ') };

  const failed = (err: unknown) => void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));

  const skillsRule = {
    validator: async (_: unknown, v: string | undefined) => {
      const r = parseSkills(v ?? '');
      if (!r.ok) throw new Error(t('adminAgents.badSkill', { item: r.bad }));
    },
  };
  const groupsRule = {
    validator: async (_: unknown, v: string | undefined) => {
      if (parseGroups(v ?? '') === null) throw new Error(t('adminAgents.badGroups'));
    },
  };

  const add = async (v: AgentFormValues) => {
    setSaving(true);
    try {
      const created = await api.post<CreatedAgent>('/api/v1/admin/agents', newAgentBody(v));
      setAdding(false);
      addForm.resetFields();
      void message.success(t('adminAgents.created', { ext: created.extension }));
      if (created.password) {
        modal.info({
          title: t('adminAgents.generatedPassword', { ext: created.extension }),
          content: <Typography.Text copyable code data-testid="generated-password">{created.password}</Typography.Text>,
        });
      }
      agents.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 409)) addForm.setFields([{ name: 'extension', errors: [err.message] }]);
      else failed(err);
    } finally {
      setSaving(false);
    }
  };

  const save = async (v: AgentEditValues) => {
    if (!editing) return;
    const change: AgentChange = agentChangeBody(editing, v);
    if (Object.keys(change).length === 0) {
      setEditing(undefined);
      void message.info(t('adminAgents.noChange'));
      return;
    }
    setSaving(true);
    try {
      await api.request<AdminAgent>('PATCH', `/api/v1/admin/agents/${encodeURIComponent(editing.id)}`, change);
      void message.success(t('adminAgents.updated', { ext: editing.extension }));
      setEditing(undefined);
      agents.reload();
    } catch (err) {
      failed(err);
    } finally {
      setSaving(false);
    }
  };

  const statusOptions = AGENT_ADMIN_STATUSES.map((s) => ({ value: s, label: t(`adminAgents.status.${s}` as MessageKey) }));

  return (
    <>
      <PageBar
        title={t('adminAgents.title')}
        loading={agents.loading}
        loadedAt={agents.loadedAt}
        error={agents.error}
        onRefresh={agents.reload}
        extra={
          <Button
            type="primary"
            onClick={() => {
              setAdding(true);
              branches.reload();
              catalogGroups.reload();
            }}
            data-testid="add-agent"
          >
            {t('adminAgents.add')}
          </Button>
        }
      />
      <Table<AdminAgent>
        rowKey="id"
        size="middle"
        loading={agents.loading && !agents.data}
        dataSource={agents.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(a) => ({ 'data-testid': `agent-row-${a.extension}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('adminAgents.extension'), dataIndex: 'extension', sorter: (a, b) => a.extension.localeCompare(b.extension) },
          { title: t('adminAgents.name'), dataIndex: 'name' },
          { title: t('adminAgents.level'), dataIndex: 'level' },
          { title: t('adminAgents.skills'), key: 'skills', render: (_, a) => formatSkills(a.skills) },
          { title: t('adminAgents.groups'), key: 'groups', render: (_, a) => a.groups.join(', ') },
          { title: t('adminAgents.branch'), key: 'branch', render: (_, a) => branchPath(branches.data ?? [], a.branch) },
          { title: t('adminAgents.mayDialOut'), dataIndex: 'mayDialOut', render: (on: boolean) => (on ? t('common.yes') : t('common.no')) },
          {
            title: t('adminAgents.status'),
            dataIndex: 'status',
            render: (s: AdminAgent['status'], a) => (
              <Tag color={statusColor(s)} data-testid={`status-${a.extension}`}>
                {t(`adminAgents.status.${s}` as MessageKey)}
              </Tag>
            ),
          },
          {
            title: t('adminAgents.state'),
            dataIndex: 'state',
            render: (s: string, a) => <span data-testid={`state-${a.extension}`}>{t(`desk.state.${s}` as MessageKey)}</span>,
          },
          {
            title: t('adminAgents.logins'),
            key: 'logins',
            render: (_, a) => (
              <Space size={4}>
                <Tag color={a.webUser ? 'green' : 'default'}>{t('adminAgents.webUser')}</Tag>
                <Tag color={a.sipAccount ? 'green' : 'default'}>{t('adminAgents.sipAccount')}</Tag>
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, a) => (
              <Button
                size="small"
                data-testid={`edit-${a.extension}`}
                onClick={() => {
                  setEditing(a);
                  customRoles.reload();
                  editForm.resetFields();
                  editForm.setFieldsValue(editValuesOf(a));
                }}
              >
                {t('adminAgents.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('adminAgents.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => addForm.submit()}
        onCancel={() => setAdding(false)}
        okButtonProps={{ 'data-testid': 'agent-save' }}
        destroyOnHidden
      >
        <Form<AgentFormValues> form={addForm} layout="vertical" onFinish={add} initialValues={{ level: 5, skills: 'general:5', groups: '', mayDialOut: false, branch: '' }} preserve={false}>
          <Form.Item name="extension" label={t('adminAgents.extension')} extra={t('adminAgents.extHelp')} rules={[{ required: true, message: t('login.required') }, { pattern: EXTENSION, message: t('adminAgents.extHelp') }]}>
            <Input autoFocus data-testid="agent-extension" />
          </Form.Item>
          <Form.Item name="name" label={t('adminAgents.name')} rules={[{ required: true, whitespace: true, message: t('login.required') }]}>
            <Input maxLength={100} data-testid="agent-name" />
          </Form.Item>
          <Form.Item name="password" label={t('adminAgents.password')} extra={t('adminAgents.passwordHelp')} rules={[{ min: 8, message: t('adminAgents.passwordHelp') }]}>
            <Input.Password autoComplete="new-password" maxLength={128} data-testid="agent-password" />
          </Form.Item>
          <Form.Item name="level" label={t('adminAgents.level')} rules={[{ required: true }]}>
            <InputNumber min={MIN_LEVEL} max={MAX_LEVEL} precision={0} data-testid="agent-level" />
          </Form.Item>
          <Form.Item name="skills" label={t('adminAgents.skills')} extra={t('adminAgents.skillsHelp')} rules={[skillsRule]}>
            <Input data-testid="agent-skills" />
          </Form.Item>
          <Form.Item name="groups" label={t('adminAgents.groups')} extra={t('adminAgents.groupsPick')} rules={[groupsRule]} {...groupsField}>
            <Select mode="multiple" options={groupOptions} data-testid="agent-groups" />
          </Form.Item>
          <Form.Item name="branch" label={t('adminAgents.branch')}>
            <Select options={branchOptions} data-testid="agent-branch" />
          </Form.Item>
          <Form.Item name="mayDialOut" label={t('adminAgents.mayDialOut')} valuePropName="checked">
            <Switch data-testid="agent-may-dial-out" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={editing !== undefined}
        title={editing ? t('adminAgents.editTitle', { ext: editing.extension }) : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => editForm.submit()}
        onCancel={() => setEditing(undefined)}
        okButtonProps={{ 'data-testid': 'agent-edit-save' }}
        forceRender
      >
        <Form<AgentEditValues> form={editForm} layout="vertical" onFinish={save}>
          <Form.Item name="name" label={t('adminAgents.name')} rules={[{ required: true, whitespace: true, message: t('login.required') }]}>
            <Input maxLength={100} data-testid="edit-name" />
          </Form.Item>
          <Form.Item name="level" label={t('adminAgents.level')} rules={[{ required: true }]}>
            <InputNumber min={MIN_LEVEL} max={MAX_LEVEL} precision={0} data-testid="edit-level" />
          </Form.Item>
          <Form.Item name="skills" label={t('adminAgents.skills')} extra={t('adminAgents.skillsHelp')} rules={[skillsRule]}>
            <Input data-testid="edit-skills" />
          </Form.Item>
          <Form.Item name="groups" label={t('adminAgents.groups')} extra={t('adminAgents.groupsPick')} rules={[groupsRule]} {...groupsField}>
            <Select mode="multiple" options={groupOptions} data-testid="edit-groups" />
          </Form.Item>
          <Form.Item name="branch" label={t('adminAgents.branch')}>
            <Select options={branchOptions} data-testid="edit-branch" />
          </Form.Item>
          <Form.Item name="mayDialOut" label={t('adminAgents.mayDialOut')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="status" label={t('adminAgents.status')} extra={t('adminAgents.statusHelp')}>
            <Select options={statusOptions} data-testid="edit-status" />
          </Form.Item>
          <Form.Item name="role" label={t('adminAgents.role')} extra={t('adminAgents.roleHelp')}>
            <Select options={customRoleOptions} data-testid="edit-role" />
          </Form.Item>
          <Form.Item name="password" label={t('adminAgents.newPassword')} extra={t('adminAgents.newPasswordHelp')} rules={[{ min: 8, message: t('adminAgents.passwordHelp') }]}>
            <Input.Password autoComplete="new-password" maxLength={128} data-testid="edit-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
