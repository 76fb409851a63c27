/** Current SIP registrations (GET /api/v1/registrations), refreshed every 15 s. */
import { Table } from 'antd';
import { useCallback } from 'react';
import type { Registration } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';

export function RegistrationsPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const regs = useApiData(useCallback(() => api.get<Registration[]>('/api/v1/registrations'), [api]), 15_000);
  return (
    <>
      <PageBar title={t('reg.title')} loading={regs.loading} loadedAt={regs.loadedAt} error={regs.error} onRefresh={regs.reload} />
      <Table<Registration>
        rowKey={(r) => `${r.aor} ${r.contact}`}
        size="middle"
        loading={regs.loading && !regs.data}
        dataSource={regs.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('reg.aor'), dataIndex: 'aor', sorter: (a, b) => a.aor.localeCompare(b.aor) },
          { title: t('reg.contact'), dataIndex: 'contact', ellipsis: true },
          { title: t('reg.transport'), dataIndex: 'transport' },
          { title: t('reg.source'), dataIndex: 'source' },
          { title: t('reg.userAgent'), dataIndex: 'userAgent', ellipsis: true },
          { title: t('reg.expiresIn'), dataIndex: 'expiresInSec', render: (n: number) => t('reg.seconds', { n }) },
        ]}
      />
    </>
  );
}
