import { Alert, Button, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';

/** A page's title row: title, extra controls, refresh, last update time, and the load error if any. */
export function PageBar(props: { title: string; loading: boolean; loadedAt: Date | undefined; error: { message: string } | undefined; onRefresh(): void; extra?: ReactNode }) {
  const { t, formatTime } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {props.title}
        </Typography.Title>
        <Space wrap>
          {props.loadedAt && <Typography.Text type="secondary">{t('common.updatedAt', { time: formatTime(props.loadedAt.toISOString()) })}</Typography.Text>}
          {props.extra}
          <Button onClick={props.onRefresh} loading={props.loading} data-testid="refresh">
            {t('common.refresh')}
          </Button>
        </Space>
      </Space>
      {props.error && <Alert type="error" showIcon title={t('common.loadFailed', { message: props.error.message })} />}
    </Space>
  );
}
