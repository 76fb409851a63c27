/**
 * The agent's reminder on the desktop (SUP-4): a banner while notices are
 * unread or tasks are open, each notice with "Acknowledge", each task with
 * its one next step (Start, Done). Kept live by the event stream.
 */
import { Alert, App, Badge, Button, Card, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { nextStatus, openTasksFor, unreadFor, type TaskStatus } from './notices-model.ts';
import { useBoard } from './notices-use-board.ts';

export const TASK_STATUS_COLOR: Record<TaskStatus, string> = { assigned: 'blue', 'in-progress': 'orange', done: 'green' };

export function NoticesPanel({ agentId }: { agentId: string }) {
  const { t, formatTime } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const board = useBoard();
  const [busy, setBusy] = useState<string>();
  const unread = unreadFor(board.notices, agentId);
  const open = openTasksFor(board.tasks, agentId);

  const act = async (key: string, run: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await run();
    } catch (err) {
      void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(undefined);
      board.reload();
    }
  };

  if (!unread.length && !open.length) return null;
  return (
    <Card size="small" data-testid="desk-reminder" data-unread={unread.length} data-open-tasks={open.length}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert
          type="warning"
          showIcon
          title={
            <Space>
              <Badge count={unread.length + open.length} />
              {t('board.reminder', { notices: unread.length, tasks: open.length })}
            </Space>
          }
        />
        {unread.length > 0 && (
          <List
            size="small"
            header={<Typography.Text strong>{t('board.unreadNotices')}</Typography.Text>}
            dataSource={unread}
            renderItem={(n) => (
              <List.Item
                data-testid="desk-notice"
                data-notice={n.id}
                actions={[
                  <Button key="ack" size="small" type="primary" data-testid="notice-ack" loading={busy === n.id} onClick={() => act(n.id, () => api.post(`/api/v1/notices/${encodeURIComponent(n.id)}/ack`, {}))}>
                    {t('board.acknowledge')}
                  </Button>,
                ]}
              >
                <List.Item.Meta title={n.title} description={[n.body, t('board.from', { sender: n.sender, time: formatTime(n.at) })].filter(Boolean).join(' · ')} />
              </List.Item>
            )}
          />
        )}
        {open.length > 0 && (
          <List
            size="small"
            header={<Typography.Text strong>{t('board.openTasks')}</Typography.Text>}
            dataSource={open}
            renderItem={(task) => {
              const next = nextStatus(task.status);
              return (
                <List.Item
                  data-testid="desk-task"
                  data-task={task.id}
                  data-status={task.status}
                  actions={
                    next
                      ? [
                          <Button key="move" size="small" data-testid={next === 'in-progress' ? 'task-start' : 'task-done'} loading={busy === task.id} onClick={() => act(task.id, () => api.post(`/api/v1/tasks/${encodeURIComponent(task.id)}/status`, { status: next }))}>
                            {next === 'in-progress' ? t('board.start') : t('board.finish')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={
                      <Space>
                        {task.title}
                        <Tag color={TASK_STATUS_COLOR[task.status]}>{t(`board.status.${task.status}`)}</Tag>
                      </Space>
                    }
                    description={[task.detail, task.due && t('board.dueAt', { time: formatTime(task.due) }), t('board.from', { sender: task.createdBy, time: formatTime(task.createdAt) })].filter(Boolean).join(' · ')}
                  />
                </List.Item>
              );
            }}
          />
        )}
      </Space>
    </Card>
  );
}
