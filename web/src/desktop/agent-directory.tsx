/**
 * The agent desktop's directory of agents (CTI-3, CTI-4): every other agent
 * with its state as it changes (the event stream's agent-state), so the
 * agent picks a ready colleague to consult or transfer to; "Use" puts the
 * extension in the toolbar's number field.
 */
import { Button, Card, Table, Tag } from 'antd';
import type { AgentStatus } from '../api/types.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { AGENT_STATE_COLOR } from './desk-state.ts';

export function AgentDirectory({ agents, onPick }: { agents: readonly AgentStatus[]; onPick(extension: string): void }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('dir.title')} data-testid="agent-directory">
      <Table<AgentStatus>
        size="small"
        rowKey="id"
        pagination={agents.length > 8 ? { pageSize: 8, size: 'small' } : false}
        dataSource={[...agents]}
        columns={[
          { title: t('dir.agent'), key: 'who', render: (_, a) => `${a.name ?? a.id} (${a.extension})` },
          {
            title: t('dir.state'),
            dataIndex: 'state',
            render: (s: AgentStatus['state'], a) => (
              <Tag color={AGENT_STATE_COLOR[s]} data-testid={`dir-state-${a.extension}`} data-state={s}>
                {t(`desk.state.${s}`)}
              </Tag>
            ),
          },
          {
            title: '',
            key: 'use',
            render: (_, a) => (
              <Button size="small" data-testid={`dir-use-${a.extension}`} onClick={() => onPick(a.extension)}>
                {t('dir.use')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
