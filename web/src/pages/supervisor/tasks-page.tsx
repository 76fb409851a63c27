/**
 * Tasks and notices for supervisors (SUP-4): give an agent a task and
 * follow its status live; send a notice to one agent, a group or everyone
 * and see who has acknowledged it.
 */
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Table, Tag } from 'antd';
import { useCallback, useState } from 'react';
import type { AgentStatus } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { readCount, type BoardNotice, type BoardTask, type NoticeAudience, type TaskStatus } from '../../desktop/notices-model.ts';
import { TASK_STATUS_COLOR } from '../../desktop/notices-panel.tsx';
import { useBoard } from '../../desktop/notices-use-board.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';

interface TaskForm {
  assignee: string;
  title: string;
  detail?: string;
  due?: string;
}

interface NoticeForm {
  to: 'agent' | 'group' | 'all';
  agent?: string;
  group?: string;
  title: string;
  body?: string;
}

export function TasksPage() {
  const { t, formatTime } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const board = useBoard();
  const agents = useApiData(useCallback(() => api.get<AgentStatus[]>('/api/v1/agents'), [api]));
  const groups = useApiData(useCallback(() => api.get<{ group: string; agents: string[] }[]>('/api/v1/agent-groups'), [api]));
  const [taskForm] = Form.useForm<TaskForm>();
  const [noticeForm] = Form.useForm<NoticeForm>();
  const [to, setTo] = useState<NoticeForm['to']>('agent');
  const [sending, setSending] = useState<'task' | 'notice'>();
  const agentOptions = (agents.data ?? []).map((a) => ({ value: a.id, label: a.name ? `${a.extension} ${a.name}` : a.extension }));

  const fail = (err: unknown) => void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));

  const assign = async (v: TaskForm) => {
    setSending('task');
    try {
      await api.post('/api/v1/tasks', { assignee: v.assignee, title: v.title, ...(v.detail ? { detail: v.detail } : {}), ...(v.due ? { due: new Date(v.due).toISOString() } : {}) });
      void message.success(t('board.assigned', { agent: v.assignee }));
      taskForm.resetFields(['title', 'detail', 'due']);
      board.reload();
    } catch (err) {
      fail(err);
    } finally {
      setSending(undefined);
    }
  };

  const send = async (v: NoticeForm) => {
    const audience: NoticeAudience = v.to === 'all' ? 'all' : v.to === 'agent' ? { agent: v.agent ?? '' } : { group: v.group ?? '' };
    setSending('notice');
    try {
      await api.post('/api/v1/notices', { audience, title: v.title, ...(v.body ? { body: v.body } : {}) });
      void message.success(t('board.sent'));
      noticeForm.resetFields(['title', 'body']);
      board.reload();
    } catch (err) {
      fail(err);
    } finally {
      setSending(undefined);
    }
  };

  const audienceText = (a: NoticeAudience) => (a === 'all' ? t('board.toAll') : 'agent' in a ? t('board.toAgent', { agent: a.agent }) : t('board.toGroup', { group: a.group }));

  return (
    <>
      <PageBar title={t('nav.tasks')} loading={false} loadedAt={undefined} error={board.error !== undefined ? { message: board.error } : undefined} onRefresh={board.reload} />
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card title={t('board.assignTask')}>
              <Form<TaskForm> name="task" form={taskForm} layout="vertical" onFinish={assign} data-testid="task-form">
                <Form.Item name="assignee" label={t('board.assignee')} rules={[{ required: true }]}>
                  <Select showSearch options={agentOptions} data-testid="task-assignee" optionFilterProp="label" />
                </Form.Item>
                <Form.Item name="title" label={t('board.title')} rules={[{ required: true, max: 200 }]}>
                  <Input data-testid="task-title" />
                </Form.Item>
                <Form.Item name="detail" label={t('board.detail')}>
                  <Input.TextArea rows={2} data-testid="task-detail" />
                </Form.Item>
                <Form.Item name="due" label={t('board.due')}>
                  <Input type="datetime-local" data-testid="task-due" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={sending === 'task'} data-testid="task-submit">
                  {t('board.assign')}
                </Button>
              </Form>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('board.sendNotice')}>
              <Form<NoticeForm> name="notice" form={noticeForm} layout="vertical" onFinish={send} initialValues={{ to: 'agent' }} data-testid="notice-form">
                <Form.Item name="to" label={t('board.to')}>
                  <Select
                    onChange={(v: NoticeForm['to']) => setTo(v)}
                    data-testid="notice-to"
                    options={[
                      { value: 'agent', label: t('board.oneAgent') },
                      { value: 'group', label: t('board.aGroup') },
                      { value: 'all', label: t('board.toAll') },
                    ]}
                  />
                </Form.Item>
                {to === 'agent' && (
                  <Form.Item name="agent" label={t('board.assignee')} rules={[{ required: true }]}>
                    <Select showSearch options={agentOptions} data-testid="notice-agent" optionFilterProp="label" />
                  </Form.Item>
                )}
                {to === 'group' && (
                  <Form.Item name="group" label={t('board.group')} rules={[{ required: true }]}>
                    <Select data-testid="notice-group" options={(groups.data ?? []).map((g) => ({ value: g.group, label: `${g.group} (${g.agents.length})` }))} />
                  </Form.Item>
                )}
                <Form.Item name="title" label={t('board.title')} rules={[{ required: true, max: 200 }]}>
                  <Input data-testid="notice-title" />
                </Form.Item>
                <Form.Item name="body" label={t('board.body')}>
                  <Input.TextArea rows={2} data-testid="notice-body" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={sending === 'notice'} data-testid="notice-submit">
                  {t('board.send')}
                </Button>
              </Form>
            </Card>
          </Col>
        </Row>
        <Card title={t('board.tasks')}>
          <Table<BoardTask>
            rowKey="id"
            size="small"
            dataSource={board.tasks}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            onRow={(task) => ({ 'data-testid': 'task-row', 'data-task': task.id, 'data-status': task.status }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('board.title'), dataIndex: 'title' },
              { title: t('board.assignee'), dataIndex: 'assignee' },
              { title: t('board.status'), dataIndex: 'status', render: (s: TaskStatus) => <Tag color={TASK_STATUS_COLOR[s]}>{t(`board.status.${s}`)}</Tag> },
              { title: t('board.due'), dataIndex: 'due', render: (iso?: string) => (iso ? formatTime(iso) : '—') },
              { title: t('board.createdBy'), dataIndex: 'createdBy' },
              { title: t('board.updated'), dataIndex: 'updatedAt', render: (iso: string) => formatTime(iso) },
            ]}
          />
        </Card>
        <Card title={t('board.notices')}>
          <Table<BoardNotice>
            rowKey="id"
            size="small"
            dataSource={board.notices}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            onRow={(n) => ({ 'data-testid': 'notice-row', 'data-notice': n.id, 'data-read': readCount(n).read }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('board.sentAt'), dataIndex: 'at', render: (iso: string) => formatTime(iso) },
              { title: t('board.title'), dataIndex: 'title' },
              { title: t('board.to'), dataIndex: 'audience', render: (a: NoticeAudience) => audienceText(a) },
              { title: t('board.sender'), dataIndex: 'sender' },
              {
                title: t('board.readBy'),
                key: 'read',
                render: (_, n) => {
                  const c = readCount(n);
                  return <Tag color={c.read === c.of ? 'green' : 'default'}>{`${c.read}/${c.of}`}</Tag>;
                },
              },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
