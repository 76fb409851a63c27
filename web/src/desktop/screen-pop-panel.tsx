/**
 * The customer panel of the agent desktop (CTI-5, CTI-6): the screen pop of
 * screen-pop.ts, shown while a call is offered or in progress and kept,
 * marked ended, through wrap-up.
 */
import { Card, Descriptions, Empty, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/i18n-context.tsx';
import { formatDuration } from '../shell/format.ts';
import type { CallDataRow, ScreenPop } from './screen-pop.ts';

export interface ScreenPopPanelProps {
  pop: ScreenPop | undefined;
  /** The call is over (wrap-up): the panel stays, marked ended. */
  ended: boolean;
}

export function ScreenPopPanel({ pop, ended }: ScreenPopPanelProps) {
  const { t, formatTime } = useI18n();
  const label = (r: CallDataRow) => ('raw' in r.label ? r.label.raw : t(r.label.key, r.label.vars));
  const value = (r: CallDataRow) => (typeof r.value === 'boolean' ? t(r.value ? 'common.yes' : 'common.no') : r.valueKey ? t(r.valueKey) : r.value);

  if (!pop) {
    return (
      <Card size="small" title={t('pop.title')} data-testid="screen-pop" data-state="none">
        <Typography.Text type="secondary">{t('pop.none')}</Typography.Text>
      </Card>
    );
  }
  const summary = [
    { key: 'caller', label: t('pop.caller'), children: <Typography.Text strong style={{ fontSize: 22 }} data-testid="pop-caller">{pop.caller}</Typography.Text> },
    ...(pop.callerName ? [{ key: 'name', label: t('pop.callerName'), children: pop.callerName }] : []),
    ...(pop.entry ? [{ key: 'entry', label: t('pop.entry'), children: <span data-testid="pop-entry">{pop.entry}</span> }] : []),
    ...(pop.queue ? [{ key: 'queue', label: t('pop.queue'), children: <span data-testid="pop-queue">{pop.queue.name ?? pop.queue.id}</span> }] : []),
    ...(pop.waitedSec !== undefined ? [{ key: 'waited', label: t('pop.waited'), children: <span data-testid="pop-waited">{formatDuration(pop.waitedSec * 1000)}</span> }] : []),
    ...(pop.answeredAt !== undefined ? [{ key: 'answered', label: t('pop.answeredAt'), children: formatTime(new Date(pop.answeredAt).toISOString()) }] : []),
  ];
  return (
    <Card
      size="small"
      title={t('pop.title')}
      extra={ended ? <Tag color="purple">{t('pop.ended')}</Tag> : undefined}
      data-testid="screen-pop"
      data-state={ended ? 'ended' : 'live'}
      data-interaction={pop.interactionId}
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={summary} />
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('pop.callData')}
      </Typography.Title>
      {pop.rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pop.noCallData')} />
      ) : (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          data-testid="pop-call-data"
          items={pop.rows.map((r) => ({ key: r.path, label: label(r), children: <span data-testid={`pop-data-${r.path}`}>{value(r)}</span> }))}
        />
      )}
    </Card>
  );
}
