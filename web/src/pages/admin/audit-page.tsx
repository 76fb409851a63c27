/**
 * Operation log (ADM-3) for supervisors and admins: every agent,
 * supervisor and admin action through the API, sign-in and sign-out
 * included, newest first, filtered by who, what, on what and when, over
 * GET /api/v1/audit.
 */
import { Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';

export interface AuditEntry {
  at: string;
  actor: string;
  role?: string;
  action: string;
  target?: string;
  outcome: string;
  status?: number;
  detail?: Record<string, unknown>;
  sourceAddress?: string;
}

interface Filters {
  actor: string;
  action: string;
  target: string;
  since: string;
  until: string;
}

const NONE: Filters = { actor: '', action: '', target: '', since: '', until: '' };

/** The query string of the filters that are set; `since`/`until` from the browser's local time to ISO. */
export function auditQuery(f: Filters, limit = 500): string {
  const q = new URLSearchParams();
  if (f.actor.trim()) q.set('actor', f.actor.trim());
  if (f.action.trim()) q.set('action', f.action.trim());
  if (f.target.trim()) q.set('target', f.target.trim());
  if (f.since) q.set('since', new Date(f.since).toISOString());
  if (f.until) q.set('until', new Date(f.until).toISOString());
  q.set('limit', String(limit));
  return q.toString();
}

export function AuditPage() {
  const { t, formatTime } = useI18n();
  const { api } = useSession();
  const [draft, setDraft] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const log = useApiData(useCallback(() => api.get<AuditEntry[]>(`/api/v1/audit?${auditQuery(filters)}`), [api, filters]));
  const field = (k: keyof Filters, placeholder: string, type = 'text') => (
    <Input
      type={type}
      value={draft[k]}
      placeholder={placeholder}
      aria-label={placeholder}
      data-testid={`audit-${k}`}
      style={{ width: type === 'text' ? 160 : 210 }}
      onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
      onPressEnter={() => setFilters(draft)}
    />
  );

  return (
    <>
      <PageBar title={t('nav.audit')} loading={log.loading} loadedAt={log.loadedAt} error={log.error} onRefresh={log.reload} />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          {field('actor', t('audit.actor'))}
          {field('action', t('audit.actionHint'))}
          {field('target', t('audit.target'))}
          <Typography.Text type="secondary">{t('audit.since')}</Typography.Text>
          {field('since', t('audit.since'), 'datetime-local')}
          <Typography.Text type="secondary">{t('audit.until')}</Typography.Text>
          {field('until', t('audit.until'), 'datetime-local')}
          <Button type="primary" data-testid="audit-apply" onClick={() => setFilters(draft)}>
            {t('audit.apply')}
          </Button>
          <Button
            onClick={() => {
              setDraft(NONE);
              setFilters(NONE);
            }}
          >
            {t('audit.clear')}
          </Button>
        </Space>
        <Table<AuditEntry>
          rowKey={(e, i) => `${e.at} ${e.actor} ${e.action} ${i ?? 0}`}
          size="small"
          dataSource={log.data ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(e) => ({ 'data-testid': 'audit-row', 'data-action': e.action, 'data-actor': e.actor }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', render: (iso: string) => formatTime(iso), width: 170 },
            { title: t('audit.actor'), key: 'actor', render: (_, e) => (e.role ? `${e.actor} (${e.role})` : e.actor) },
            { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{a}</Typography.Text> },
            { title: t('audit.target'), dataIndex: 'target' },
            { title: t('audit.outcome'), dataIndex: 'outcome', render: (o: string, e) => <Tag color={o === 'ok' ? 'green' : 'red'}>{o === 'ok' ? t('audit.ok') : `${o}${e.status ? ` (${e.status})` : ''}`}</Tag> },
            { title: t('audit.source'), dataIndex: 'sourceAddress' },
            { title: t('audit.detail'), dataIndex: 'detail', ellipsis: true, render: (d?: Record<string, unknown>) => (d ? <Typography.Text type="secondary" title={JSON.stringify(d, null, 1)}>{JSON.stringify(d)}</Typography.Text> : null) },
          ]}
        />
      </Card>
    </>
  );
}
