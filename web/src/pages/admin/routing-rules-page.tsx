/**
 * Routing rules (ACD-9, ADM-2): translation, pre-routing and post-routing as
 * one JSON document. The editor checks the JSON locally; the server
 * validates the set whole (unknown queues refused) and applies it at once as
 * the next version; its refusal is shown under the editor. The history lists
 * every version; rolling back applies an old one again as a new version.
 * Over /api/v1/routing-rules, /history and /rollback (supervisors and admins).
 */
import { Alert, App, Button, Card, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useState } from 'react';
import { ApiRequestError } from '../../api/client.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { PageBar } from '../../shell/page-bar.tsx';

export interface RuleSetVersion {
  version: number;
  rules: unknown;
  author: string;
  appliedAt: string;
  note?: string;
}

/** The editor's text as JSON, or why not. */
export function parseRulesText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: '{ "translation": [], "pre": [], "post": [] }' };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export function RoutingRulesPage() {
  const { t, formatTime } = useI18n();
  const { api } = useSession();
  const { message } = App.useApp();
  const current = useApiData(useCallback(() => api.get<RuleSetVersion>('/api/v1/routing-rules'), [api]));
  const history = useApiData(useCallback(() => api.get<RuleSetVersion[]>('/api/v1/routing-rules/history'), [api]));
  const [text, setText] = useState('');
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (current.data && !dirty) setText(JSON.stringify(current.data.rules, null, 2));
  }, [current.data, dirty]);

  const reload = () => {
    current.reload();
    history.reload();
  };

  const apply = async () => {
    const parsed = parseRulesText(text);
    if (!parsed.ok) {
      setProblem(t('adminRules.badJson', { message: parsed.error }));
      return;
    }
    setSaving(true);
    try {
      const v = await api.request<RuleSetVersion>('PUT', '/api/v1/routing-rules', parsed.value);
      setProblem(undefined);
      setDirty(false);
      void message.success(t('adminRules.applied', { version: v.version }));
      reload();
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 400) setProblem(err.message);
      else void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setSaving(false);
    }
  };

  const rollback = async (version: number) => {
    try {
      const v = await api.post<RuleSetVersion>('/api/v1/routing-rules/rollback', { version });
      setDirty(false);
      setProblem(undefined);
      void message.success(t('adminRules.rolledBack', { from: version, version: v.version }));
      reload();
    } catch (err) {
      void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };

  const versions = [...(history.data ?? [])].reverse();

  return (
    <>
      <PageBar title={t('adminRules.title')} loading={current.loading || history.loading} loadedAt={current.loadedAt} error={current.error ?? history.error} onRefresh={reload} />
      <Card
        size="small"
        title={current.data ? t('adminRules.current', { version: current.data.version, author: current.data.author, time: formatTime(current.data.appliedAt) }) : t('adminRules.title')}
        extra={
          <Space>
            <Button
              disabled={!dirty}
              onClick={() => {
                setDirty(false);
                setProblem(undefined);
                if (current.data) setText(JSON.stringify(current.data.rules, null, 2));
              }}
            >
              {t('adminRules.discard')}
            </Button>
            <Button type="primary" loading={saving} disabled={!dirty} onClick={() => void apply()} data-testid="rules-apply">
              {t('adminRules.apply')}
            </Button>
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        <Typography.Paragraph type="secondary">{t('adminRules.help')}</Typography.Paragraph>
        <Input.TextArea
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setDirty(true);
            const p = parseRulesText(e.target.value);
            setProblem(p.ok ? undefined : t('adminRules.badJson', { message: p.error }));
          }}
          autoSize={{ minRows: 10, maxRows: 30 }}
          spellCheck={false}
          style={{ fontFamily: 'monospace' }}
          data-testid="rules-editor"
        />
        {problem && <Alert type="error" showIcon style={{ marginTop: 8 }} title={problem} data-testid="rules-problem" />}
      </Card>
      <Typography.Title level={4}>{t('adminRules.history')}</Typography.Title>
      <Table<RuleSetVersion>
        rowKey="version"
        size="small"
        dataSource={versions}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(v) => ({ 'data-testid': `rules-version-${v.version}` }) as HTMLAttributes<HTMLElement>}
        expandable={{ expandedRowRender: (v) => <pre style={{ margin: 0 }}>{JSON.stringify(v.rules, null, 2)}</pre> }}
        columns={[
          { title: t('adminRules.version'), dataIndex: 'version' },
          { title: t('adminRules.author'), dataIndex: 'author' },
          { title: t('adminRules.appliedAt'), dataIndex: 'appliedAt', render: (s: string) => formatTime(s) },
          { title: t('adminRules.note'), dataIndex: 'note' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, v) =>
              v.version === current.data?.version ? (
                <Typography.Text type="secondary">{t('adminRules.inForce')}</Typography.Text>
              ) : (
                <Popconfirm title={t('adminRules.rollbackConfirm', { version: v.version })} onConfirm={() => void rollback(v.version)} okText={t('common.yes')} cancelText={t('common.no')}>
                  <Button size="small" data-testid={`rollback-${v.version}`}>
                    {t('adminRules.rollback')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </>
  );
}
