/**
 * The wrap-up form (CRM-3, 来电登记): business category from the configured
 * list, self-evaluation and summary, filed against the call with POST
 * /api/v1/interactions/:id/wrap-up, during wrap-up or after the call.
 * "Save and finish" also ends the agent's wrap-up in the ACD.
 */
import { Alert, App, Button, Card, Form, Input, Radio, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { ApiRequestError } from '../api/client.ts';
import type { SelfEvaluation, WrapupCategory, WrapupResult } from '../api/crm-types.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/catalogs.ts';
import { useSession } from '../session/session-context.tsx';
import { categoryName, SUMMARY_MAX, wrapupBody, wrapupProblems, type WrapupDraft } from './customer-pop.ts';

export interface WrapupFormProps {
  interactionId: string;
  categories: readonly WrapupCategory[];
  /** The agent is in wrap-up for this call: "save and finish" is offered. */
  inWrapup: boolean;
  /** After a note was filed (the desk refreshes). */
  onFiled?(done: boolean): void;
}

const EVALUATIONS: readonly SelfEvaluation[] = ['good', 'fair', 'poor'];

export function WrapupForm({ interactionId, categories, inWrapup, onFiled }: WrapupFormProps) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const [draft, setDraft] = useState<WrapupDraft>({ summary: '' });
  const [problems, setProblems] = useState<MessageKey[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setDraft({ summary: '' });
    setProblems([]);
    setSaved(false);
  }, [interactionId]);

  const file = (done: boolean) => {
    const p = wrapupProblems(draft, categories);
    setProblems(p);
    if (p.length > 0) return;
    setSaving(true);
    api
      .post<WrapupResult>(`/api/v1/interactions/${encodeURIComponent(interactionId)}/wrap-up`, wrapupBody(draft, done))
      .then(() => {
        setSaved(true);
        void message.success(t('crm.wrapup.saved'));
        onFiled?.(done);
      })
      .catch((err: ApiRequestError) => void message.error(t('common.actionFailed', { message: `${err.message} (${err.code})` })))
      .finally(() => setSaving(false));
  };

  return (
    <Card size="small" title={t('crm.wrapup.title')} data-testid="wrapup-form" data-saved={saved ? 'yes' : 'no'}>
      <Form layout="vertical">
        <Form.Item label={t('crm.wrapup.category')} required>
          <Select
            data-testid="wrapup-category"
            value={draft.category}
            onChange={(v: string) => setDraft({ ...draft, category: v })}
            options={categories.map((c) => ({ value: c.id, label: categoryName(categories, c.id, locale) }))}
            style={{ maxWidth: 360 }}
          />
        </Form.Item>
        <Form.Item label={t('crm.wrapup.selfEvaluation')} required>
          <Radio.Group
            optionType="button"
            value={draft.selfEvaluation}
            onChange={(e) => setDraft({ ...draft, selfEvaluation: e.target.value as SelfEvaluation })}
            options={EVALUATIONS.map((v) => ({ value: v, label: <span data-testid={`wrapup-eval-${v}`}>{t(`crm.wrapup.eval.${v}`)}</span> }))}
          />
        </Form.Item>
        <Form.Item label={t('crm.wrapup.summary')} required>
          <Input.TextArea data-testid="wrapup-summary" rows={3} maxLength={SUMMARY_MAX} showCount value={draft.summary} onChange={(e) => setDraft({ ...draft, summary: e.target.value })} />
        </Form.Item>
        {problems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="wrapup-problems" title={problems.map((k) => t(k)).join(' · ')} />}
        <Space>
          <Button data-testid="wrapup-save" loading={saving} onClick={() => file(false)}>
            {t('crm.wrapup.save')}
          </Button>
          {inWrapup && (
            <Button type="primary" data-testid="wrapup-save-done" loading={saving} onClick={() => file(true)}>
              {t('crm.wrapup.saveDone')}
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}
