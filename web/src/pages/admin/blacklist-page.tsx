/**
 * Blacklist (ACD-7): list, add a number with its mode (refuse, warn the
 * agent, answer and hang up), remove; over /api/v1/blacklist. A change holds
 * for the next call at once (ADM-2).
 */
import { App, Button, Form, Input, Modal, Popconfirm, Select, Table, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import type { BlacklistEntry } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import { BLACKLIST_MODES, BLACKLIST_NUMBER, blacklistBody, type BlacklistFormValues } from './admin-forms.ts';

export function BlacklistPage() {
  const { t, formatTime } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const list = useApiData(useCallback(() => api.get<BlacklistEntry[]>('/api/v1/blacklist'), [api]));
  const [adding, setAdding] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<BlacklistFormValues>();

  const failed = (err: unknown) => void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));

  const add = async (v: BlacklistFormValues) => {
    setSaving(true);
    try {
      const stored = await api.post<BlacklistEntry>('/api/v1/blacklist', blacklistBody(v));
      setAdding(false);
      form.resetFields();
      void message.success(t('blacklist.added', { number: stored.number }));
      list.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 400) form.setFields([{ name: 'number', errors: [err.message] }]);
      else failed(err);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (number: string) => {
    try {
      await api.delete(`/api/v1/blacklist/${encodeURIComponent(number)}`);
      void message.success(t('blacklist.removed', { number }));
      list.reload();
    } catch (err) {
      failed(err);
    }
  };

  const modeLabel = (m: string | undefined) => t((m ? `blacklist.mode.${m}` : 'blacklist.mode.default') as MessageKey);

  return (
    <>
      <PageBar
        title={t('blacklist.title')}
        loading={list.loading}
        loadedAt={list.loadedAt}
        error={list.error}
        onRefresh={list.reload}
        extra={
          <Button type="primary" onClick={() => setAdding(true)} data-testid="add-blacklist">
            {t('blacklist.add')}
          </Button>
        }
      />
      <Table<BlacklistEntry>
        rowKey={(e) => `${e.match}:${e.number}`}
        size="middle"
        loading={list.loading && !list.data}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('blacklist.number'), dataIndex: 'number', render: (n: string) => <span data-testid={`blacklisted-${n}`}>{n}</span> },
          { title: t('blacklist.match'), dataIndex: 'match', render: (m: string) => t(`blacklist.match.${m}` as MessageKey) },
          { title: t('blacklist.mode'), dataIndex: 'mode', render: (m: string | undefined) => <Tag color={m === 'flag' ? 'orange' : m ? 'red' : 'default'}>{modeLabel(m)}</Tag> },
          { title: t('blacklist.reason'), dataIndex: 'reason' },
          { title: t('blacklist.expires'), dataIndex: 'expiresAt', render: (iso: string | undefined) => (iso ? formatTime(iso) : '') },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, e) => (
              <Popconfirm title={t('blacklist.removeConfirm', { number: e.number })} okText={t('common.remove')} cancelText={t('common.cancel')} onConfirm={() => remove(e.number)}>
                <Button danger size="small" data-testid={`unblacklist-${e.number}`}>
                  {t('common.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('blacklist.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setAdding(false)}
        okButtonProps={{ 'data-testid': 'blacklist-save' }}
        destroyOnHidden
      >
        <Form<BlacklistFormValues> form={form} layout="vertical" onFinish={add} initialValues={{ match: 'exact', mode: 'refuse' }} preserve={false}>
          <Form.Item
            name="number"
            label={t('blacklist.number')}
            extra={t('blacklist.numberHelp')}
            rules={[
              { required: true, message: t('login.required') },
              { validator: async (_, v: string | undefined) => { if (v && !BLACKLIST_NUMBER.test(v.replace(/[\s-]/g, ''))) throw new Error(t('blacklist.numberHelp')); } },
            ]}
          >
            <Input autoFocus data-testid="blacklist-number" />
          </Form.Item>
          <Form.Item name="match" label={t('blacklist.match')}>
            <Select options={(['exact', 'prefix'] as const).map((m) => ({ value: m, label: t(`blacklist.match.${m}`) }))} data-testid="blacklist-match" />
          </Form.Item>
          <Form.Item name="mode" label={t('blacklist.mode')}>
            <Select options={BLACKLIST_MODES.map((m) => ({ value: m, label: modeLabel(m) }))} data-testid="blacklist-mode" />
          </Form.Item>
          <Form.Item name="reason" label={t('blacklist.reason')}>
            <Input maxLength={200} data-testid="blacklist-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
