/**
 * Entry points (ACD-6, ACD-7, ADM-2, IVR-1): the service numbers that reach
 * an ACD queue, whose default queue and blacklist mode change live over
 * /api/v1/admin/entry-points (in force for the next call), and the numbers
 * the IVR answers with their pack and language (/api/v1/admin/ivr-entry-points),
 * also changed live. Which numbers reach the IVR or a queue at all is the
 * dial plan's, set at start.
 */
import { Alert, App, Select, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useCallback } from 'react';
import { useApiData } from '../../api/use-api-data.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import type { AdminEntryPoint, AdminQueue } from './acd-admin-forms.ts';

interface IvrEntryPoint {
  dnis: string;
  name?: string;
  application: string;
  pack?: string;
  locale?: string;
}

const PACKS = ['securities', 'bank', 'fund'] as const;
const PACK_LOCALES = ['zh-CN', 'en-US'] as const;

const BLACKLIST_MODES = ['flag', 'refuse', 'hangup'] as const;

export function EntryPointsPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const acd = useApiData(useCallback(() => api.get<AdminEntryPoint[]>('/api/v1/admin/entry-points'), [api]));
  const queues = useApiData(useCallback(() => api.get<AdminQueue[]>('/api/v1/admin/queues'), [api]));
  const ivr = useApiData(useCallback(() => api.get<IvrEntryPoint[]>('/api/v1/admin/ivr-entry-points'), [api]));

  const change = async (id: string, body: { queue?: string; blacklistMode?: string }) => {
    try {
      await api.request<AdminEntryPoint>('PATCH', `/api/v1/admin/entry-points/${encodeURIComponent(id)}`, body);
      void message.success(t('adminEntryPoints.saved', { id }));
    } catch (err) {
      void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
    acd.reload();
  };
  const changeIvr = async (dnis: string, choice: string) => {
    const [pack, locale] = choice.split('|');
    try {
      await api.request<IvrEntryPoint>('PATCH', `/api/v1/admin/ivr-entry-points/${encodeURIComponent(dnis)}`, { pack, locale });
      void message.success(t('adminEntryPoints.saved', { id: dnis }));
    } catch (err) {
      void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
    ivr.reload();
  };
  const packOptions = PACKS.flatMap((p) => PACK_LOCALES.map((l) => ({ value: `${p}|${l}`, label: `${t(`adminEntryPoints.pack.${p}` as MessageKey)} · ${t(`lang.${l}` as MessageKey)}` })));
  const reload = () => {
    acd.reload();
    queues.reload();
    ivr.reload();
  };
  const queueOptions = (queues.data ?? []).map((q) => ({ value: q.id, label: q.name ? `${q.id} (${q.name})` : q.id }));

  return (
    <>
      <PageBar title={t('adminEntryPoints.title')} loading={acd.loading || ivr.loading} loadedAt={acd.loadedAt} error={acd.error ?? ivr.error ?? queues.error} onRefresh={reload} />
      <Typography.Title level={4}>{t('adminEntryPoints.acd')}</Typography.Title>
      <Table<AdminEntryPoint>
        rowKey="id"
        size="middle"
        loading={acd.loading && !acd.data}
        dataSource={acd.data ?? []}
        pagination={false}
        onRow={(e) => ({ 'data-testid': `entry-point-row-${e.id}` }) as HTMLAttributes<HTMLElement>}
        style={{ marginBottom: 24 }}
        columns={[
          { title: t('adminEntryPoints.id'), dataIndex: 'id' },
          { title: t('adminEntryPoints.numbers'), key: 'numbers', render: (_, e) => e.numbers.map((n) => <Tag key={n}>{n}</Tag>) },
          {
            title: t('adminEntryPoints.queue'),
            key: 'queue',
            render: (_, e) => <Select value={e.queue} options={queueOptions} style={{ minWidth: 200 }} onChange={(q: string) => void change(e.id, { queue: q })} data-testid={`entry-point-queue-${e.id}`} />,
          },
          {
            title: t('adminEntryPoints.blacklistMode'),
            key: 'blacklistMode',
            render: (_, e) => (
              <Select
                value={e.blacklistMode}
                options={BLACKLIST_MODES.map((m) => ({ value: m, label: t(`blacklist.mode.${m}` as MessageKey) }))}
                style={{ minWidth: 180 }}
                onChange={(m: string) => void change(e.id, { blacklistMode: m })}
              />
            ),
          },
          { title: t('adminHours.now'), key: 'open', render: (_, e) => <Tag color={e.open ? 'green' : 'red'}>{t(e.open ? 'adminHours.open' : 'adminHours.closed')}</Tag> },
        ]}
      />
      <Typography.Title level={4}>{t('adminEntryPoints.ivr')}</Typography.Title>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('adminEntryPoints.ivrHelp')} />
      <Table<IvrEntryPoint>
        rowKey="dnis"
        onRow={(e) => ({ 'data-testid': `ivr-row-${e.dnis}` }) as HTMLAttributes<HTMLElement>}
        size="middle"
        loading={ivr.loading && !ivr.data}
        dataSource={ivr.data ?? []}
        pagination={false}
        columns={[
          { title: t('adminEntryPoints.number'), dataIndex: 'dnis' },
          { title: t('adminEntryPoints.name'), dataIndex: 'name' },
          {
            title: t('adminEntryPoints.pack'),
            key: 'pack',
            render: (_, e) => (
              <Select
                value={e.pack && e.locale ? `${e.pack}|${e.locale}` : undefined}
                placeholder={t('adminEntryPoints.otherApplication')}
                options={packOptions}
                style={{ minWidth: 220 }}
                onChange={(v: string) => void changeIvr(e.dnis, v)}
                data-testid={`ivr-pack-${e.dnis}`}
              />
            ),
          },
          { title: t('adminEntryPoints.application'), dataIndex: 'application', render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
        ]}
      />
    </>
  );
}
