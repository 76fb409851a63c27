/**
 * CTI-7: the service-time countdown of the current call, from the answer
 * against the queue's admin-set limit (desk-live.ts ServiceTimer): calm
 * until the reminder, warning (orange) from the reminder, red and counting
 * past zero once over. The second hand is a local clock, not a request.
 */
import { Card, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { formatCountdown, serviceClock, type ServiceTimer } from './desk-live.ts';

const COLOR = { ok: 'blue', warning: 'orange', over: 'red' } as const;

export function ServiceCountdown({ timer }: { timer: ServiceTimer }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(id);
  }, [timer]);
  const { remainingMs, phase } = serviceClock(timer, now);
  return (
    <Card size="small">
      <Typography.Text type="secondary">{t('desk.serviceTime', { limit: formatCountdown(timer.limitMs) })}</Typography.Text>
      <div style={{ marginTop: 8 }}>
        <Tag color={COLOR[phase]} style={{ fontSize: 20, padding: '6px 12px' }} data-testid="service-countdown" data-phase={phase}>
          {formatCountdown(remainingMs)}
        </Tag>
        {phase !== 'ok' && <Typography.Text type={phase === 'over' ? 'danger' : 'warning'}>{t(`desk.serviceTime.${phase}`)}</Typography.Text>}
      </div>
    </Card>
  );
}
