/**
 * Organisation (ADM-1, 后台管理 分支机构设置): branches, agent groups, customer
 * classes and ticket types, one tab each: list, add, edit, remove. Every
 * change is in force at once (a new customer class routes the next call
 * naming it), over /api/v1/admin/{branches,agent-groups,customer-classes,
 * ticket-types}. A branch or group still in use is refused by the server
 * (409 branch-in-use / group-in-use) and its message shown.
 */
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import { useApiData } from '../../api/use-api-data.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import { RowActions } from './row-actions.tsx';
import {
  type AgentGroup,
  type Branch,
  branchPath,
  changeBody,
  createBody,
  type CustomerClass,
  CUSTOMER_LEVELS,
  ORG_ID,
  ORG_PHONE,
  ORG_TABS,
  type OrgFormValues,
  type OrgItem,
  type OrgTab,
  parentChoices,
  type TicketType,
  valuesOf,
} from './org-forms.ts';

export function OrgPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const [tab, setTab] = useState<OrgTab>('branches');
  const lists: Record<OrgTab, ReturnType<typeof useApiData<OrgItem[]>>> = {
    branches: useApiData(useCallback(() => api.get<Branch[]>('/api/v1/admin/branches'), [api])),
    'agent-groups': useApiData(useCallback(() => api.get<AgentGroup[]>('/api/v1/admin/agent-groups'), [api])),
    'customer-classes': useApiData(useCallback(() => api.get<CustomerClass[]>('/api/v1/admin/customer-classes'), [api])),
    'ticket-types': useApiData(useCallback(() => api.get<TicketType[]>('/api/v1/admin/ticket-types'), [api])),
  };
  const branches = (lists.branches.data ?? []) as Branch[];
  const current = lists[tab];
  /** undefined: closed; null: adding; an item: editing it. */
  const [editing, setEditing] = useState<OrgItem | null>();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<OrgFormValues>();

  const failed = (err: unknown) => void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
  const url = (id?: string) => `/api/v1/admin/${tab}${id !== undefined ? `/${encodeURIComponent(id)}` : ''}`;

  const open = (item: OrgItem | null) => {
    setEditing(item);
    form.resetFields();
    form.setFieldsValue(item ? valuesOf(tab, item) : { level: 'standard', active: true, slaHours: 24 });
  };

  const save = async (v: OrgFormValues) => {
    setSaving(true);
    try {
      if (editing) {
        const change = changeBody(tab, editing, v);
        if (Object.keys(change).length === 0) {
          void message.info(t('org.noChange'));
        } else {
          await api.request('PATCH', url(editing.id), change);
          void message.success(t('org.updated', { id: editing.id }));
        }
      } else {
        const body = createBody(tab, v);
        await api.post(url(), body);
        void message.success(t('org.created', { id: String(body['id']) }));
      }
      setEditing(undefined);
      current.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 409)) {
        const field = /branch/.test(err.code ?? '') ? (tab === 'branches' ? 'parent' : 'branch') : err.code === 'duplicate-id' ? 'id' : 'name';
        form.setFields([{ name: field, errors: [err.message] }]);
      } else failed(err);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (id: string) => {
    try {
      await api.delete(url(id));
      void message.success(t('org.removed', { id }));
      current.reload();
    } catch (err) {
      failed(err);
    }
  };

  const levelLabel = (l: string) => t(`org.level.${l}` as MessageKey);
  const branchOptions = (self?: string) => [{ value: '', label: t('org.none') }, ...parentChoices(branches, self).map((b) => ({ value: b.id, label: `${b.name} (${b.id})` }))];

  const columns: Record<OrgTab, ColumnsType<OrgItem>> = {
    branches: [
      { title: t('org.parent'), key: 'parent', render: (_, b) => branchPath(branches, (b as Branch).parent) },
      { title: t('org.phone'), dataIndex: 'phone' },
    ],
    'agent-groups': [
      { title: t('org.branch'), key: 'branch', render: (_, g) => branchPath(branches, (g as AgentGroup).branch) },
      { title: t('org.supervisors'), key: 'supervisors', render: (_, g) => (g as AgentGroup).supervisors.join(', ') },
    ],
    'customer-classes': [
      {
        title: t('org.level'),
        key: 'level',
        render: (_, c) => (
          <Space size={4}>
            <Tag color={(c as CustomerClass).level === 'special' ? 'gold' : (c as CustomerClass).level === 'priority' ? 'blue' : 'default'}>{levelLabel((c as CustomerClass).level)}</Tag>
            {(c as CustomerClass).builtin ? <Tag>{t('org.builtin')}</Tag> : null}
          </Space>
        ),
      },
    ],
    'ticket-types': [
      { title: t('org.category'), dataIndex: 'category' },
      { title: t('org.slaHours'), dataIndex: 'slaHours' },
      { title: t('org.active'), dataIndex: 'active', render: (on: boolean) => (on ? t('common.yes') : t('common.no')) },
    ],
  };

  const table = (
    <Table<OrgItem>
      rowKey="id"
      size="middle"
      loading={current.loading && !current.data}
      dataSource={current.data ?? []}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      onRow={(x) => ({ 'data-testid': `org-row-${x.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('org.id'), dataIndex: 'id', sorter: (a, b) => a.id.localeCompare(b.id) },
        { title: t('org.name'), dataIndex: 'name' },
        ...columns[tab],
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_, x) => (
            <RowActions id={x.id} testPrefix="org" confirm={t('org.removeConfirm', { id: x.id })} onEdit={() => open(x)} {...((x as CustomerClass).builtin ? {} : { onRemove: () => remove(x.id) })} />
          ),
        },
      ]}
    />
  );

  const required = { required: true, whitespace: true, message: t('login.required') };

  return (
    <>
      <PageBar
        title={t('org.title')}
        loading={current.loading}
        loadedAt={current.loadedAt}
        error={current.error}
        onRefresh={() => {
          current.reload();
          if (tab !== 'branches') lists.branches.reload();
        }}
        extra={
          <Button type="primary" onClick={() => open(null)} data-testid="org-add">
            {t('org.add')}
          </Button>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          setTab(k as OrgTab);
          lists[k as OrgTab].reload();
        }}
        items={ORG_TABS.map((k) => ({ key: k, label: <span data-testid={`org-tab-${k}`}>{t(`org.tab.${k}` as MessageKey)}</span>, children: k === tab ? table : null }))}
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('org.editTitle', { id: editing.id }) : `${t('org.add')}: ${t(`org.tab.${tab}` as MessageKey)}`}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setEditing(undefined)}
        okButtonProps={{ 'data-testid': 'org-save' }}
        forceRender
      >
        <Form<OrgFormValues> form={form} layout="vertical" onFinish={save}>
          <Form.Item name="id" label={t('org.id')} extra={t('org.idHelp')} rules={[{ required: true, message: t('login.required') }, { pattern: ORG_ID, message: t('org.idHelp') }]}>
            <Input disabled={!!editing} maxLength={64} data-testid="org-id" />
          </Form.Item>
          <Form.Item name="name" label={t('org.name')} rules={[required]}>
            <Input maxLength={100} data-testid="org-name" />
          </Form.Item>
          {tab === 'branches' ? (
            <>
              <Form.Item name="parent" label={t('org.parent')}>
                <Select options={branchOptions(editing?.id)} data-testid="org-parent" />
              </Form.Item>
              <Form.Item name="phone" label={t('org.phone')} extra={t('org.phoneHelp')} rules={[{ pattern: ORG_PHONE, message: t('org.phoneHelp') }]}>
                <Input maxLength={32} data-testid="org-phone" />
              </Form.Item>
            </>
          ) : null}
          {tab === 'agent-groups' ? (
            <>
              <Form.Item name="branch" label={t('org.branch')}>
                <Select options={branchOptions()} data-testid="org-branch" />
              </Form.Item>
              <Form.Item name="supervisors" label={t('org.supervisors')} extra={t('org.supervisorsHelp')}>
                <Input data-testid="org-supervisors" />
              </Form.Item>
            </>
          ) : null}
          {tab === 'customer-classes' ? (
            <Form.Item name="level" label={t('org.level')} extra={t('org.levelHelp')} rules={[{ required: true }]}>
              <Select disabled={!!(editing as CustomerClass | null | undefined)?.builtin} options={CUSTOMER_LEVELS.map((l) => ({ value: l, label: levelLabel(l) }))} data-testid="org-level" />
            </Form.Item>
          ) : null}
          {tab === 'ticket-types' ? (
            <>
              <Form.Item name="category" label={t('org.category')} rules={[required]}>
                <Input maxLength={64} data-testid="org-category" />
              </Form.Item>
              <Form.Item name="slaHours" label={t('org.slaHours')} rules={[{ required: true, message: t('login.required') }]}>
                <InputNumber min={0.5} max={8760} step={1} data-testid="org-sla" />
              </Form.Item>
              <Form.Item name="active" label={t('org.active')} valuePropName="checked">
                <Switch data-testid="org-active" />
              </Form.Item>
            </>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
