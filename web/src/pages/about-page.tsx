import { Badge, Card, Descriptions, Space, Table, Typography } from 'antd';
import { useCallback } from 'react';
import { ApiRequestError } from '../api/client.ts';
import type { ComponentStatus, Health } from '../api/types.ts';
import { useApiData } from '../api/use-api-data.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { PageBar } from '../shell/page-bar.tsx';

const BADGE: Record<ComponentStatus | Health['status'], 'success' | 'warning' | 'error' | 'default'> = {
  ok: 'success',
  up: 'success',
  degraded: 'warning',
  'not-started': 'default',
  down: 'error',
};

/** GET /health (no token needed) and what this session is. Refreshes every 10 s. */
export function AboutPage() {
  const { t, formatTime } = useI18n();
  const { user, expiresAt } = useSession();
  const load = useCallback(async () => {
    // /health answers 503 with the same body when a component is down: show that body rather than an error.
    const res = await fetch('/health', { headers: { accept: 'application/json' } });
    if (res.status !== 200 && res.status !== 503) throw new ApiRequestError(res.status, `http-${res.status}`, res.statusText || `HTTP ${res.status}`);
    return (await res.json()) as Health;
  }, []);
  const health = useApiData(load, 10_000);
  const h = health.data;
  const uptime = h ? { h: Math.floor(h.uptimeSec / 3600), m: Math.floor((h.uptimeSec % 3600) / 60), s: h.uptimeSec % 60 } : undefined;

  return (
    <>
      <PageBar title={t('about.title')} loading={health.loading} loadedAt={health.loadedAt} error={health.error} onRefresh={health.reload} />
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Typography.Paragraph>{t('about.product')}</Typography.Paragraph>
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'status', label: t('about.status'), children: h ? <Badge status={BADGE[h.status]} text={<span data-testid="health-status">{t(`about.status.${h.status}`)}</span>} /> : '…' },
              { key: 'version', label: t('about.version'), children: h?.version ?? '…' },
              { key: 'uptime', label: t('about.uptime'), children: uptime ? t('about.uptimeValue', uptime) : '…' },
              { key: 'api', label: t('about.api'), children: <a href="/openapi.json">/openapi.json</a> },
              { key: 'session', label: t('about.session'), children: user ? `${user.displayName ?? user.username} (${t(`role.${user.role}`)})` : '' },
              { key: 'expires', label: t('about.expires'), children: expiresAt ? formatTime(expiresAt) : '' },
            ]}
          />
        </Card>
        <Card title={t('about.components')}>
          <Table
            rowKey="name"
            size="small"
            pagination={false}
            dataSource={Object.entries(h?.components ?? {}).map(([name, c]) => ({ name, ...c }))}
            columns={[
              { title: t('about.component'), dataIndex: 'name' },
              { title: t('about.status'), dataIndex: 'status', render: (s: ComponentStatus) => <Badge status={BADGE[s]} text={t(`about.comp.${s}`)} /> },
              { title: t('about.detail'), dataIndex: 'detail' },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
