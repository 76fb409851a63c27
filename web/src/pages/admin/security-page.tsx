/**
 * Security (OPS-2, OPS-4): banned addresses with "lift ban", and the
 * security event log filtered by kind, over /api/v1/security/*.
 */
import { App, Button, Card, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { SECURITY_EVENT_KINDS, type Ban, type SecurityEvent, type SecurityEventKind } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';

const KIND_COLOR: Record<SecurityEventKind, string> = {
  'auth-failure': 'orange',
  ban: 'red',
  unban: 'green',
  'rate-limited': 'gold',
  'scanner-dropped': 'volcano',
  malformed: 'purple',
  'nonce-replay': 'magenta',
};

export function SecurityPage() {
  const { t, formatTime } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const [kind, setKind] = useState<SecurityEventKind | 'all'>('all');
  const bans = useApiData(useCallback(() => api.get<Ban[]>('/api/v1/security/bans'), [api]));
  const events = useApiData(useCallback(() => api.get<SecurityEvent[]>(`/api/v1/security/events?limit=200${kind === 'all' ? '' : `&kind=${kind}`}`), [api, kind]));

  const lift = async (address: string) => {
    try {
      await api.delete(`/api/v1/security/bans/${encodeURIComponent(address)}`);
      void message.success(t('sec.lifted', { address }));
    } catch (err) {
      void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
    bans.reload();
    events.reload();
  };

  const refreshBoth = () => {
    bans.reload();
    events.reload();
  };

  return (
    <>
      <PageBar title={t('nav.security')} loading={bans.loading || events.loading} loadedAt={events.loadedAt} error={bans.error ?? events.error} onRefresh={refreshBoth} />
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card title={t('sec.bans')}>
          <Table<Ban>
            rowKey="address"
            size="small"
            dataSource={bans.data ?? []}
            pagination={false}
            columns={[
              { title: t('sec.address'), dataIndex: 'address' },
              { title: t('sec.reason'), dataIndex: 'reason' },
              { title: t('sec.bannedAt'), dataIndex: 'bannedAt', render: (iso: string) => formatTime(iso) },
              { title: t('sec.until'), dataIndex: 'until', render: (iso: string) => formatTime(iso) },
              {
                title: t('common.actions'),
                key: 'lift',
                render: (_, b) => (
                  <Popconfirm title={t('sec.liftConfirm', { address: b.address })} okText={t('sec.lift')} cancelText={t('common.cancel')} onConfirm={() => lift(b.address)}>
                    <Button size="small">{t('sec.lift')}</Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        </Card>
        <Card
          title={t('sec.events')}
          extra={
            <Select<SecurityEventKind | 'all'>
              value={kind}
              onChange={setKind}
              style={{ width: 200 }}
              options={[{ value: 'all', label: t('sec.allKinds') }, ...SECURITY_EVENT_KINDS.map((k) => ({ value: k, label: t(`sec.kind.${k}`) }))]}
            />
          }
        >
          <Table<SecurityEvent>
            rowKey={(e, i) => `${e.at} ${e.sourceAddress} ${i ?? 0}`}
            size="small"
            dataSource={events.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('sec.at'), dataIndex: 'at', render: (iso: string) => formatTime(iso) },
              { title: t('sec.kind'), dataIndex: 'kind', render: (k: SecurityEventKind) => <Tag color={KIND_COLOR[k]}>{t(`sec.kind.${k}`)}</Tag> },
              { title: t('sec.source'), key: 'source', render: (_, e) => `${e.sourceAddress}${e.sourcePort ? `:${e.sourcePort}` : ''}${e.transport ? ` (${e.transport})` : ''}` },
              { title: t('sec.username'), dataIndex: 'username' },
              { title: t('sec.detail'), dataIndex: 'detail', ellipsis: true },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
