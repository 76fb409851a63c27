/**
 * Trunks (ADM-1, ADM-2, 后台管理 中继设置): carrier and PBX connections with
 * their registration state, IP-authenticated addresses, DIDs and default
 * entry point; add, edit, remove over /api/v1/admin/trunks. Every change is
 * in force at once: a new or changed trunk (re-)registers within seconds,
 * its DIDs route the next call, a removed trunk unregisters. The password
 * is write-only (empty on edit: the one in force is kept).
 */
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import { type AdminTrunk, changeBody, createBody, type TrunkFormValues, valuesOf } from './trunk-forms.ts';
import { RowActions } from './row-actions.tsx';

const STATE_COLOR: Record<string, string> = { registered: 'green', registering: 'blue', failed: 'red', stopped: 'default', idle: 'default' };

export function TrunksPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const list = useApiData(useCallback(() => api.get<AdminTrunk[]>('/api/v1/admin/trunks'), [api]));
  /** undefined: closed; null: adding; a trunk: editing it. */
  const [editing, setEditing] = useState<AdminTrunk | null>();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<TrunkFormValues>();
  const register = Form.useWatch('register', form);

  const failed = (err: unknown) => void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
  const url = (id?: string) => `/api/v1/admin/trunks${id !== undefined ? `/${encodeURIComponent(id)}` : ''}`;

  const open = (trunk: AdminTrunk | null) => {
    setEditing(trunk);
    form.resetFields();
    form.setFieldsValue(trunk ? valuesOf(trunk) : { transport: 'udp', register: false, dids: '' });
  };

  const save = async (v: TrunkFormValues) => {
    setSaving(true);
    try {
      let body: Record<string, unknown>;
      try {
        body = editing ? changeBody(v) : createBody(v);
      } catch (err) {
        form.setFields([{ name: 'dids', errors: [err instanceof Error ? err.message : String(err)] }]);
        return;
      }
      if (editing) {
        await api.request('PATCH', url(editing.id), body);
        void message.success(t('trunks.updated', { id: editing.id }));
      } else {
        await api.post(url(), body);
        void message.success(t('trunks.created', { id: v.id }));
      }
      setEditing(undefined);
      list.reload();
      // the registration answers within seconds: show its state then
      setTimeout(() => list.reload(), 2000);
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 409)) form.setFields([{ name: err.status === 409 ? 'id' : 'dids', errors: [err.message] }]);
      else failed(err);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (id: string) => {
    try {
      await api.delete(url(id));
      void message.success(t('trunks.removed', { id }));
      list.reload();
    } catch (err) {
      failed(err);
    }
  };

  const required = { required: true, whitespace: true, message: t('login.required') };

  return (
    <>
      <PageBar
        title={t('trunks.title')}
        loading={list.loading}
        loadedAt={list.loadedAt}
        error={list.error}
        onRefresh={list.reload}
        extra={
          <Button type="primary" onClick={() => open(null)} data-testid="trunk-add">
            {t('trunks.add')}
          </Button>
        }
      />
      <Table<AdminTrunk>
        rowKey="id"
        size="middle"
        loading={list.loading && !list.data}
        dataSource={list.data ?? []}
        pagination={false}
        onRow={(x) => ({ 'data-testid': `trunk-row-${x.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('trunks.id'), dataIndex: 'id' },
          { title: t('trunks.host'), key: 'host', render: (_, x) => (x.host ? `${x.host}${x.port ? `:${x.port}` : ''} ${(x.transport ?? 'udp').toUpperCase()}` : <Tag>{t('trunks.fromDialPlan')}</Tag>) },
          {
            title: t('trunks.registration'),
            key: 'registration',
            render: (_, x) =>
              x.registration ? (
                <Space size={4}>
                  <Typography.Text>{x.registration.username}</Typography.Text>
                  <Tag color={STATE_COLOR[x.registration.state] ?? 'default'} data-testid={`trunk-state-${x.id}`}>
                    {t(`trunks.state.${x.registration.state}` as Parameters<typeof t>[0])}
                  </Tag>
                </Space>
              ) : (
                t('trunks.noRegistration')
              ),
          },
          { title: t('trunks.inbound'), key: 'inbound', render: (_, x) => (x.inboundAddresses ?? []).join(', ') },
          { title: t('trunks.dids'), key: 'dids', render: (_, x) => Object.entries(x.dids).map(([d, ep]) => <Tag key={d}>{`${d} → ${ep}`}</Tag>) },
          { title: t('trunks.defaultEntryPoint'), dataIndex: 'defaultEntryPoint' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, x) => <RowActions id={x.id} testPrefix="trunk" confirm={t('trunks.removeConfirm', { id: x.id })} onEdit={() => open(x)} onRemove={() => remove(x.id)} />,
          },
        ]}
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('trunks.editTitle', { id: editing.id }) : t('trunks.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setEditing(undefined)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="trunk-form">
          <Form.Item name="id" label={t('trunks.id')} rules={[required, { pattern: /^[A-Za-z0-9_.-]{1,64}$/, message: t('org.idHelp') }]}>
            <Input disabled={!!editing} data-testid="trunk-id" />
          </Form.Item>
          <Space align="start" wrap>
            <Form.Item name="host" label={t('trunks.host')} rules={[required]}>
              <Input data-testid="trunk-host" style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="port" label={t('trunks.port')}>
              <InputNumber min={1} max={65535} data-testid="trunk-port" />
            </Form.Item>
            <Form.Item name="transport" label={t('trunks.transport')}>
              <Select style={{ width: 100 }} options={['udp', 'tcp', 'tls'].map((p) => ({ value: p, label: p.toUpperCase() }))} />
            </Form.Item>
          </Space>
          <Form.Item name="register" label={t('trunks.register')} valuePropName="checked">
            <Switch data-testid="trunk-register" />
          </Form.Item>
          {register ? (
            <Space align="start" wrap>
              <Form.Item name="username" label={t('trunks.username')} rules={[required]}>
                <Input data-testid="trunk-username" />
              </Form.Item>
              <Form.Item name="password" label={t('trunks.password')} extra={editing?.registration ? t('trunks.passwordKeep') : undefined} rules={editing?.registration ? [] : [required]}>
                <Input.Password data-testid="trunk-password" autoComplete="new-password" />
              </Form.Item>
              <Form.Item name="realm" label={t('trunks.realm')}>
                <Input data-testid="trunk-realm" />
              </Form.Item>
              <Form.Item name="expiresSec" label={t('trunks.expires')}>
                <InputNumber min={60} max={86400} />
              </Form.Item>
            </Space>
          ) : null}
          <Form.Item name="inboundAddresses" label={t('trunks.inbound')} extra={t('trunks.inboundHelp')}>
            <Input data-testid="trunk-inbound" />
          </Form.Item>
          <Form.Item name="dids" label={t('trunks.dids')} extra={t('trunks.didsHelp')}>
            <Input.TextArea rows={4} data-testid="trunk-dids" />
          </Form.Item>
          <Form.Item name="defaultEntryPoint" label={t('trunks.defaultEntryPoint')}>
            <Input data-testid="trunk-default" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
