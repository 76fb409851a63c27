/**
 * The back-office half of the screen pop (CTI-6, CRM-1, CRM-5): service
 * reminders in large type (shown above the toolbar), the authenticated customer's profile (class,
 * branch, account and card status, shareholder accounts, phone) and the
 * caller's past calls, from GET /api/v1/interactions/:id/screen-pop.
 */
import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { PastCall, ScreenPopData, WrapupCategory } from '../api/crm-types.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { formatDuration } from '../shell/format.ts';
import { categoryName, historyLine, latestNote, profileRows, reminderText, statusKey, type Text } from './customer-pop.ts';

export interface CustomerPanelProps {
  data: ScreenPopData | undefined;
  /** Why the data could not be read. */
  problem?: string;
  categories: readonly WrapupCategory[];
}

/** CRM-5: the service reminders of the identified customer, in large type (nothing when there are none). */
export function ServiceReminders({ data }: { data: ScreenPopData | undefined }) {
  const { t } = useI18n();
  const text = (x: Text) => ('raw' in x ? x.raw : t(x.key, x.vars));
  const c = data?.customer;
  if (!c || c.reminders.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="crm-reminders"
      title={<span style={{ fontSize: 18, fontWeight: 600 }}>{t('crm.reminders.title')}</span>}
      description={
        <ul style={{ margin: 0, paddingLeft: 20, fontSize: 16 }}>
          {c.reminders.map((r, i) => (
            <li key={i} data-testid={`crm-reminder-${r.kind}`}>{text(reminderText(r))}</li>
          ))}
        </ul>
      }
    />
  );
}

export function CustomerPanel({ data, problem, categories }: CustomerPanelProps) {
  const { t, formatTime, locale } = useI18n();
  const text = (x: Text) => ('raw' in x ? x.raw : t(x.key, x.vars));
  if (problem) return <Alert type="warning" showIcon title={t('common.loadFailed', { message: problem })} data-testid="crm-problem" />;
  if (!data) return null;
  const c = data.customer;
  const o = c?.overview;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('crm.profile.title')} data-testid="crm-profile" data-account={c?.account ?? ''}>
        {!c && <Typography.Text type="secondary">{t('crm.profile.anonymous')}</Typography.Text>}
        {c && !o && (
          <Alert
            type="warning"
            showIcon
            data-testid="crm-profile-problem"
            title={c.error === 'unknown-account' ? t('crm.profile.unknown', { account: c.account }) : t('crm.profile.unavailable', { code: c.error ?? '?' })}
          />
        )}
        {o && (
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, md: 2 }}
            items={profileRows(o, c?.account).map((r) => {
              const key = r.status ? statusKey(r.status) : undefined;
              return {
                key: r.id,
                label: t(r.label),
                children: (
                  <span data-testid={`crm-${r.id}`}>
                    {text(r.value)}
                    {r.status && <Tag color={r.alert ? 'red' : 'green'} style={{ marginLeft: 8 }}>{key ? t(key) : r.status}</Tag>}
                  </span>
                ),
              };
            })}
          />
        )}
      </Card>
      <Card size="small" title={t('crm.history.title')} data-testid="crm-history" data-total={data.history.total}>
        <Typography.Paragraph strong style={{ fontSize: 16 }}>
          {text(historyLine(data.history))}
          {data.history.total > 0 && <span style={{ marginLeft: 16 }}>{t('crm.history.talk', { time: formatDuration(data.history.talkMs) })}</span>}
        </Typography.Paragraph>
        {data.history.items.length > 0 && (
          <Table<PastCall>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={data.history.items}
            columns={[
              { key: 'date', title: t('crm.history.date'), render: (_, r) => formatTime(r.startedAt) },
              { key: 'talk', title: t('crm.history.duration'), render: (_, r) => formatDuration(r.talkMs) },
              { key: 'disposition', title: t('crm.history.disposition'), render: (_, r) => r.disposition ?? r.status },
              { key: 'agent', title: t('crm.history.agent'), render: (_, r) => r.agents.join(', ') },
              {
                key: 'note',
                title: t('crm.history.note'),
                render: (_, r) => {
                  const n = latestNote(r);
                  return n ? `${categoryName(categories, n.category, locale)}: ${n.summary}` : '';
                },
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
