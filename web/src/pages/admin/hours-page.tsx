/**
 * Business hours, holidays and special days per entry point (ACD-6, ADM-2):
 * open now or closed and why, the weekly ranges, holidays, special days and
 * what callers get while closed. A change holds for the next call, over
 * /api/v1/admin/hours.
 */
import { App, Button, Col, Form, Input, Modal, Row, Select, Switch, Table, Tag } from 'antd';
import { type HTMLAttributes, useCallback, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import { useApiData } from '../../api/use-api-data.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';
import { type AdminEntryPoint, formatRanges, hoursBody, type HoursFormValues, hoursFormValues, NIGHT_SERVICE_KINDS, parseDates, parseRanges, parseSpecialDays, WEEKDAYS } from './acd-admin-forms.ts';

export function HoursPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const list = useApiData(useCallback(() => api.get<AdminEntryPoint[]>('/api/v1/admin/hours'), [api]), 30_000);
  const [editing, setEditing] = useState<AdminEntryPoint>();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<HoursFormValues>();
  const alwaysOpen = Form.useWatch('alwaysOpen', form);
  const nightKind = Form.useWatch('nightKind', form);

  const save = async (v: HoursFormValues) => {
    if (!editing) return;
    const b = hoursBody(v);
    if (!b.ok) {
      form.setFields([{ name: b.field.startsWith('weekly.') ? ['weekly', b.field.slice(7)] : (b.field as keyof HoursFormValues), errors: [t('adminHours.bad', { item: b.bad })] }]);
      return;
    }
    setSaving(true);
    try {
      await api.request<AdminEntryPoint>('PUT', `/api/v1/admin/hours/${encodeURIComponent(editing.id)}`, b.body);
      void message.success(t('adminHours.saved', { id: editing.id }));
      setEditing(undefined);
      list.reload();
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 400) form.setFields([{ name: 'timeZone', errors: [err.message] }]);
      else void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setSaving(false);
    }
  };

  const rangesRule = {
    validator: async (_: unknown, v: string | undefined) => {
      const r = parseRanges(v ?? '');
      if (!r.ok) throw new Error(t('adminHours.bad', { item: r.bad }));
    },
  };
  const datesRule = {
    validator: async (_: unknown, v: string | undefined) => {
      const r = parseDates(v ?? '');
      if (!r.ok) throw new Error(t('adminHours.bad', { item: r.bad }));
    },
  };
  const specialRule = {
    validator: async (_: unknown, v: string | undefined) => {
      const r = parseSpecialDays(v ?? '');
      if (!r.ok) throw new Error(t('adminHours.bad', { item: r.bad }));
    },
  };

  const weekdayName = (d: string) => t(`adminHours.day.${d}` as MessageKey);
  const summary = (e: AdminEntryPoint) =>
    e.hours === null
      ? t('adminHours.alwaysOpen')
      : WEEKDAYS.filter((d) => (e.hours?.weekly[d] ?? []).length > 0)
          .map((d) => `${weekdayName(d)} ${formatRanges(e.hours?.weekly[d])}`)
          .join('; ') || t('adminHours.neverOpen');

  return (
    <>
      <PageBar title={t('adminHours.title')} loading={list.loading} loadedAt={list.loadedAt} error={list.error} onRefresh={list.reload} />
      <Table<AdminEntryPoint>
        rowKey="id"
        size="middle"
        loading={list.loading && !list.data}
        dataSource={list.data ?? []}
        pagination={false}
        onRow={(e) => ({ 'data-testid': `hours-row-${e.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('adminHours.entryPoint'), dataIndex: 'id' },
          { title: t('adminHours.numbers'), key: 'numbers', render: (_, e) => e.numbers.join(', ') },
          {
            title: t('adminHours.now'),
            key: 'now',
            render: (_, e) => (
              <Tag color={e.open ? 'green' : 'red'} data-testid={`open-${e.id}`}>
                {t(e.open ? 'adminHours.open' : 'adminHours.closed')} ({t(`adminHours.rule.${e.rule}` as MessageKey)})
              </Tag>
            ),
          },
          { title: t('adminHours.weekly'), key: 'weekly', render: (_, e) => summary(e) },
          { title: t('adminHours.holidays'), key: 'holidays', render: (_, e) => (e.hours?.holidays ?? []).join(', ') || '—' },
          { title: t('adminHours.nightService'), key: 'night', render: (_, e) => t(`adminHours.night.${e.nightService.kind}` as MessageKey) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, e) => (
              <Button
                size="small"
                data-testid={`edit-hours-${e.id}`}
                onClick={() => {
                  setEditing(e);
                  form.resetFields();
                  form.setFieldsValue(hoursFormValues(e));
                }}
              >
                {t('adminHours.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== undefined}
        width={720}
        title={editing ? t('adminHours.editTitle', { id: editing.id }) : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setEditing(undefined)}
        okButtonProps={{ 'data-testid': 'hours-save' }}
        forceRender
      >
        <Form<HoursFormValues> form={form} layout="vertical" onFinish={save}>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="alwaysOpen" label={t('adminHours.alwaysOpen')} valuePropName="checked">
                <Switch data-testid="hours-always-open" />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item name="timeZone" label={t('adminHours.timeZone')}>
                <Input disabled={alwaysOpen} />
              </Form.Item>
            </Col>
          </Row>
          {!alwaysOpen && (
            <>
              <Row gutter={16}>
                {WEEKDAYS.map((d) => (
                  <Col span={12} key={d}>
                    <Form.Item name={['weekly', d]} label={weekdayName(d)} rules={[rangesRule]}>
                      <Input placeholder="09:00-12:00, 13:00-18:00" data-testid={`hours-day-${d}`} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              <Form.Item name="holidays" label={t('adminHours.holidays')} extra={t('adminHours.holidaysHelp')} rules={[datesRule]}>
                <Input.TextArea rows={2} placeholder="2026-10-01" data-testid="hours-holidays" />
              </Form.Item>
              <Form.Item name="specialDays" label={t('adminHours.specialDays')} extra={t('adminHours.specialDaysHelp')} rules={[specialRule]}>
                <Input.TextArea rows={2} placeholder="2026-10-10 09:00-17:00" />
              </Form.Item>
            </>
          )}
          <Row gutter={16}>
            <Col span={10}>
              <Form.Item name="nightKind" label={t('adminHours.nightService')}>
                <Select options={NIGHT_SERVICE_KINDS.map((k) => ({ value: k, label: t(`adminHours.night.${k}` as MessageKey) }))} />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item name="nightValue" label={t(`adminHours.nightValue.${nightKind ?? 'voicemail'}` as MessageKey)} rules={[{ required: nightKind !== undefined && nightKind !== 'voicemail', message: t('login.required') }]}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </>
  );
}
