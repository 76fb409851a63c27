/**
 * Queues (ADM-1, ADM-2, ACD-2, ACD-4, ACD-5, CTI-7): list with calls waiting,
 * create, edit name, required skills, routing strategy, ring-no-answer and
 * wrap-up time, service level, the service-time limit and its reminder,
 * maximum wait and overflow. Every change is in force at once over
 * /api/v1/admin/queues: waiting calls keep their place, the next call
 * answered gets the new limit.
 */
import { App, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Table, Tag } from 'antd';
import { type HTMLAttributes, useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import { useApiData } from '../../api/use-api-data.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import { type AdminQueue, formatRequiredSkills, formatSeconds, MAX_WAIT_ACTIONS, parseRequiredSkills, QUEUE_ID, queueBody, type QueueFormValues, queueFormValues, STRATEGY_RULES } from './acd-admin-forms.ts';

/** Where a server refusal names its field (`serviceTimeReminderMs: ...`), the form shows it there. */
const FIELD_OF: Record<string, keyof QueueFormValues> = {
  serviceTimeReminderMs: 'serviceTimeReminderSec',
  serviceTimeLimitMs: 'serviceTimeLimitSec',
  'treatment.overflow.toQueue': 'overflowTo',
  requiredSkills: 'skills',
  id: 'id',
};

export function QueuesPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const queues = useApiData(useCallback(() => api.get<AdminQueue[]>('/api/v1/admin/queues'), [api]), 5000);
  const [editing, setEditing] = useState<AdminQueue | 'new'>();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<QueueFormValues>();

  const open = (q: AdminQueue | 'new') => {
    setEditing(q);
    form.resetFields();
    form.setFieldsValue(q === 'new' ? { skills: '', strategy: [], maxWaitAction: 'voicemail' } : queueFormValues(q));
  };

  const save = async (v: QueueFormValues) => {
    if (!editing) return;
    setSaving(true);
    try {
      if (editing === 'new') await api.post<AdminQueue>('/api/v1/admin/queues', queueBody(v));
      else await api.request<AdminQueue>('PATCH', `/api/v1/admin/queues/${encodeURIComponent(editing.id)}`, queueBody(v, editing));
      void message.success(t('adminQueues.saved', { id: editing === 'new' ? (v.id ?? '') : editing.id }));
      setEditing(undefined);
      queues.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 409)) {
        const m = /^([A-Za-z.]+): /.exec(err.message);
        const field = (m && FIELD_OF[m[1]!]) ?? (err.status === 409 ? 'id' : undefined);
        if (field) form.setFields([{ name: field, errors: [err.message] }]);
        else void message.error(t('common.actionFailed', { message: err.message }));
      } else void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setSaving(false);
    }
  };

  const skillsRule = {
    validator: async (_: unknown, v: string | undefined) => {
      const r = parseRequiredSkills(v ?? '');
      if (!r.ok) throw new Error(t('adminQueues.badSkill', { item: r.bad }));
    },
  };
  const reminderRule = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator: async (_: unknown, v: number | null | undefined) => {
      const limit = getFieldValue('serviceTimeLimitSec') as number | null | undefined;
      if (v === null || v === undefined || v === 0) return;
      if (limit === null || limit === undefined || v >= limit) throw new Error(t('adminQueues.reminderBeforeLimit'));
    },
  });
  const seconds = (name: keyof QueueFormValues, label: MessageKey, extra?: MessageKey, min = 0, rules: object[] = []) => (
    <Form.Item name={name} label={t(label)} extra={extra ? t(extra) : undefined} rules={rules} dependencies={name === 'serviceTimeReminderSec' ? ['serviceTimeLimitSec'] : []}>
      <InputNumber min={min} precision={0} style={{ width: '100%' }} addonAfter={t('adminQueues.sec')} data-testid={`queue-${name}`} />
    </Form.Item>
  );
  const otherQueues = (queues.data ?? []).filter((q) => editing === 'new' || q.id !== editing?.id).map((q) => ({ value: q.id, label: q.name ? `${q.id} (${q.name})` : q.id }));

  return (
    <>
      <PageBar
        title={t('adminQueues.title')}
        loading={queues.loading}
        loadedAt={queues.loadedAt}
        error={queues.error}
        onRefresh={queues.reload}
        extra={
          <Button type="primary" onClick={() => open('new')} data-testid="add-queue">
            {t('adminQueues.add')}
          </Button>
        }
      />
      <Table<AdminQueue>
        rowKey="id"
        size="middle"
        loading={queues.loading && !queues.data}
        dataSource={queues.data ?? []}
        pagination={false}
        onRow={(q) => ({ 'data-testid': `queue-row-${q.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('adminQueues.id'), dataIndex: 'id' },
          { title: t('adminQueues.name'), dataIndex: 'name' },
          { title: t('adminQueues.skills'), key: 'skills', render: (_, q) => formatRequiredSkills(q.requiredSkills) || '—' },
          { title: t('adminQueues.strategy'), key: 'strategy', render: (_, q) => (q.strategy ? q.strategy.rules.map((r) => <Tag key={r}>{t(`adminQueues.rule.${r}` as MessageKey)}</Tag>) : t('adminQueues.defaultStrategy')) },
          { title: t('adminQueues.serviceTimeLimit'), key: 'limit', render: (_, q) => <span data-testid={`limit-${q.id}`}>{formatSeconds(q.serviceTimeLimitMs)}</span> },
          { title: t('adminQueues.serviceTimeReminder'), key: 'reminder', render: (_, q) => formatSeconds(q.serviceTimeReminderMs) },
          { title: t('adminQueues.maxWait'), key: 'maxWait', render: (_, q) => (q.treatment?.maxWait ? `${formatSeconds(q.treatment.maxWait.afterMs)} → ${t(`adminQueues.maxWaitAction.${q.treatment.maxWait.action}` as MessageKey)}` : '—') },
          { title: t('adminQueues.overflow'), key: 'overflow', render: (_, q) => (q.treatment?.overflow ? `${q.treatment.overflow.toQueue} (${formatSeconds(q.treatment.overflow.afterMs)})` : '—') },
          { title: t('adminQueues.waiting'), dataIndex: 'waiting' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, q) => (
              <Button size="small" onClick={() => open(q)} data-testid={`edit-queue-${q.id}`}>
                {t('adminQueues.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== undefined}
        width={760}
        title={editing === 'new' ? t('adminQueues.add') : editing ? t('adminQueues.editTitle', { id: editing.id }) : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setEditing(undefined)}
        okButtonProps={{ 'data-testid': 'queue-save' }}
        forceRender
      >
        <Form<QueueFormValues> form={form} layout="vertical" onFinish={save}>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="id" label={t('adminQueues.id')} extra={editing === 'new' ? t('adminQueues.idHelp') : undefined} rules={[{ required: true, message: t('login.required') }, { pattern: QUEUE_ID, message: t('adminQueues.idHelp') }]}>
                <Input disabled={editing !== 'new'} data-testid="queue-id" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="name" label={t('adminQueues.name')}>
                <Input maxLength={100} data-testid="queue-name" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="skills" label={t('adminQueues.skills')} extra={t('adminQueues.skillsHelp')} rules={[skillsRule]}>
            <Input data-testid="queue-skills" />
          </Form.Item>
          <Form.Item name="strategy" label={t('adminQueues.strategy')} extra={t('adminQueues.strategyHelp')}>
            <Select mode="multiple" allowClear options={STRATEGY_RULES.map((r) => ({ value: r, label: t(`adminQueues.rule.${r}` as MessageKey) }))} data-testid="queue-strategy" />
          </Form.Item>
          <Row gutter={16}>
            <Col span={8}>{seconds('ringTimeoutSec', 'adminQueues.ringTimeout', 'adminQueues.ringTimeoutHelp', 1)}</Col>
            <Col span={8}>{seconds('wrapUpSec', 'adminQueues.wrapUp')}</Col>
            <Col span={8}>{seconds('serviceLevelSec', 'adminQueues.serviceLevel', 'adminQueues.serviceLevelHelp', 1)}</Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>{seconds('serviceTimeLimitSec', 'adminQueues.serviceTimeLimit', 'adminQueues.serviceTimeLimitHelp', 1)}</Col>
            <Col span={12}>{seconds('serviceTimeReminderSec', 'adminQueues.serviceTimeReminder', 'adminQueues.serviceTimeReminderHelp', 0, [reminderRule])}</Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>{seconds('maxWaitSec', 'adminQueues.maxWait', 'adminQueues.maxWaitHelp', 1)}</Col>
            <Col span={12}>
              <Form.Item name="maxWaitAction" label={t('adminQueues.maxWaitActionLabel')}>
                <Select options={MAX_WAIT_ACTIONS.map((a) => ({ value: a, label: t(`adminQueues.maxWaitAction.${a}` as MessageKey) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="overflowTo" label={t('adminQueues.overflow')} extra={t('adminQueues.overflowHelp')}>
                <Select allowClear options={otherQueues} data-testid="queue-overflow" />
              </Form.Item>
            </Col>
            <Col span={12}>{seconds('overflowAfterSec', 'adminQueues.overflowAfter')}</Col>
          </Row>
        </Form>
      </Modal>
    </>
  );
}
