/**
 * SIP accounts (ADM-1): list, add (password given or generated and shown
 * once) and remove, over /api/v1/sip-users. Changes are in force at once:
 * the registrar reads the same store (ADM-2).
 */
import { App, Button, Form, Input, Modal, Popconfirm, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import type { CreatedSipUser, NewSipUser, SipUser } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';

const EXT = /^[A-Za-z0-9._-]{1,64}$/;

interface AddForm {
  ext: string;
  name?: string;
  password?: string;
  enabled: boolean;
}

export function SipUsersPage() {
  const { t, formatTime } = useI18n();
  const { api } = useSession();
  const { message, modal } = App.useApp();
  const users = useApiData(useCallback(() => api.get<SipUser[]>('/api/v1/sip-users'), [api]));
  const [adding, setAdding] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<AddForm>();

  const failed = (err: unknown) => void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));

  const add = async (v: AddForm) => {
    const body: NewSipUser = { ext: v.ext.trim(), enabled: v.enabled };
    if (v.name?.trim()) body.name = v.name.trim();
    if (v.password) body.password = v.password;
    setSaving(true);
    try {
      const created = await api.post<CreatedSipUser>('/api/v1/sip-users', body);
      setAdding(false);
      form.resetFields();
      void message.success(t('sip.created', { ext: created.ext }));
      if (created.password) {
        modal.info({
          title: t('sip.generatedPassword', { ext: created.ext }),
          content: <Typography.Text copyable code data-testid="generated-password">{created.password}</Typography.Text>,
        });
      }
      users.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 409)) form.setFields([{ name: 'ext', errors: [err.message] }]);
      else failed(err);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (ext: string) => {
    try {
      await api.delete(`/api/v1/sip-users/${encodeURIComponent(ext)}`);
      void message.success(t('sip.removed', { ext }));
      users.reload();
    } catch (err) {
      failed(err);
    }
  };

  return (
    <>
      <PageBar
        title={t('sip.title')}
        loading={users.loading}
        loadedAt={users.loadedAt}
        error={users.error}
        onRefresh={users.reload}
        extra={
          <Button type="primary" onClick={() => setAdding(true)} data-testid="add-sip-user">
            {t('sip.add')}
          </Button>
        }
      />
      <Table<SipUser>
        rowKey="ext"
        size="middle"
        loading={users.loading && !users.data}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('sip.ext'), dataIndex: 'ext', sorter: (a, b) => a.ext.localeCompare(b.ext) },
          { title: t('sip.name'), dataIndex: 'name' },
          { title: t('sip.realm'), dataIndex: 'realm' },
          { title: t('sip.enabled'), dataIndex: 'enabled', render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('common.yes') : t('common.no')}</Tag> },
          { title: t('sip.createdAt'), dataIndex: 'createdAt', render: (iso: string) => formatTime(iso) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, u) => (
              <Popconfirm title={t('sip.removeConfirm', { ext: u.ext })} okText={t('common.remove')} cancelText={t('common.cancel')} onConfirm={() => remove(u.ext)}>
                <Button danger size="small" data-testid={`remove-${u.ext}`}>
                  {t('common.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('sip.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setAdding(false)}
        destroyOnHidden
      >
        <Form<AddForm> form={form} layout="vertical" onFinish={add} initialValues={{ enabled: true }} preserve={false}>
          <Form.Item name="ext" label={t('sip.ext')} extra={t('sip.extHelp')} rules={[{ required: true, message: t('login.required') }, { pattern: EXT, message: t('sip.extHelp') }]}>
            <Input autoFocus data-testid="sip-ext" />
          </Form.Item>
          <Form.Item name="name" label={t('sip.name')}>
            <Input maxLength={100} data-testid="sip-name" />
          </Form.Item>
          <Form.Item name="password" label={t('sip.password')} extra={t('sip.passwordHelp')} rules={[{ min: 8, message: t('sip.passwordHelp') }]}>
            <Input.Password autoComplete="new-password" maxLength={128} data-testid="sip-password" />
          </Form.Item>
          <Form.Item name="enabled" label={t('sip.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
