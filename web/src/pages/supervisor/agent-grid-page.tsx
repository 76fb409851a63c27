/**
 * The supervisor's live agent grid (SUP-1) and queue panel (RPT-1) over
 * GET /api/v1/agents and /api/v1/queues: state and time in state, reason,
 * today's counters; manual refresh and auto refresh at a chosen interval
 * (kept in localStorage). Lock and unlock an agent (SUP-3); monitor,
 * whisper, barge in, intercept or force-release a talking agent's call
 * through the supervisor's own phone (SUP-2, call API of the switch): the
 * browser phone on this page, or a desk phone on the same extension.
 * The event stream (/api/v1/events) keeps the grid current: an agent's
 * state change patches its row as it happens and every event reloads the
 * grid (grid-live.ts); while the stream is down and auto refresh is off,
 * the grid polls every FALLBACK_S seconds.
 */
import { App, Button, Card, Dropdown, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StreamFrame } from '../../api/event-stream-client.ts';
import type { AgentStatus, QueueStatus } from '../../api/types.ts';
import { useApiData } from '../../api/use-api-data.ts';
import { useEventStream } from '../../api/use-event-stream.ts';
import { AgentSoftphone } from '../../phone/agent-softphone.tsx';
import { applyAgentState, Coalescer, gridRefreshMs } from './grid-live.ts';
import { AGENT_STATE_COLOR, reasonKey } from '../../desktop/desk-state.ts';
import { superviseOpsFor, supervisePath, type SuperviseOp } from './supervise.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../../session/session-context.tsx';
import { formatDuration, formatPercent } from '../../shell/format.ts';
import { PageBar } from '../../shell/page-bar.tsx';

export const REFRESH_CHOICES_S = [0, 1, 2, 5, 10, 30, 60] as const;
const STORAGE_KEY = 'hotline.grid.refresh';
/** Polling while the event stream is down and auto refresh is off. */
export const FALLBACK_S = 5;
/** Events within this window fold into one more reload. */
const COALESCE_MS = 250;

function savedInterval(): number {
  const n = Number(window.localStorage.getItem(STORAGE_KEY) ?? '5');
  return (REFRESH_CHOICES_S as readonly number[]).includes(n) ? n : 5;
}

export function AgentGridPage() {
  const { t } = useI18n();
  const { api, user } = useSession();
  const { message } = App.useApp();
  const [every, setEvery] = useState<number>(savedInterval);
  // Rows as patched by agent-state events since the last load (`basedOn` is that load's time).
  const [patch, setPatch] = useState<{ rows: readonly AgentStatus[]; basedOn: number | undefined; at: number }>();
  const shown = useRef<{ rows: readonly AgentStatus[] | undefined; loadedAt: number | undefined }>({ rows: undefined, loadedAt: undefined });
  const reloader = useRef<Coalescer | undefined>(undefined);
  const onFrame = useCallback((f: StreamFrame) => {
    const base = shown.current.rows;
    if (base) {
      const rows = applyAgentState(base, f);
      if (rows !== base) {
        shown.current = { ...shown.current, rows };
        setPatch({ rows, basedOn: shown.current.loadedAt, at: Date.now() });
        // A newer request: useApiData drops the answers to requests made before the change.
        reloader.current?.now();
        return;
      }
    }
    reloader.current?.poke();
  }, []);
  const link = useEventStream(onFrame);
  const refreshMs = gridRefreshMs(every, link, FALLBACK_S);
  const agents = useApiData(useCallback(() => api.get<AgentStatus[]>('/api/v1/agents'), [api]), refreshMs);
  const queues = useApiData(useCallback(() => api.get<QueueStatus[]>('/api/v1/queues'), [api]), refreshMs);
  const { reload: reloadAgents } = agents;
  const { reload: reloadQueues } = queues;
  useEffect(() => {
    const c = new Coalescer(() => {
      reloadAgents();
      reloadQueues();
    }, COALESCE_MS);
    reloader.current = c;
    return () => c.stop();
  }, [reloadAgents, reloadQueues]);
  const loadedAt = agents.loadedAt?.getTime();
  const rows = patch && patch.basedOn === loadedAt ? patch.rows : agents.data;
  useEffect(() => {
    shown.current = { rows, loadedAt };
  }, [rows, loadedAt]);
  const now = Math.max(loadedAt ?? Date.now(), patch?.at ?? 0);

  const choose = (n: number) => {
    setEvery(n);
    window.localStorage.setItem(STORAGE_KEY, String(n));
  };
  const refresh = () => {
    agents.reload();
    queues.reload();
  };
  const act = async (a: AgentStatus, action: 'lock' | 'unlock') => {
    try {
      await api.post(`/api/v1/agents/${encodeURIComponent(a.id)}/${action}`, {});
    } catch (err) {
      void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
    refresh();
  };
  const supervise = async (a: AgentStatus, op: SuperviseOp) => {
    try {
      await api.post(supervisePath(a.id, op, a.interactionId), {});
      void message.success(t('sup.done', { op: t(`sup.${op}`), agent: a.name ?? a.id }));
    } catch (err) {
      void message.error(t('common.actionFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
    refresh();
  };

  return (
    <>
      <PageBar
        title={t('grid.title')}
        loading={agents.loading}
        loadedAt={agents.loadedAt}
        error={agents.error && { message: t('grid.unavailable', { message: agents.error.message }) }}
        onRefresh={refresh}
        extra={
          <Space>
            <Tag color={link === 'live' ? 'green' : undefined} data-testid="grid-live" data-link={link}>
              {t(link === 'live' ? 'grid.live' : 'grid.polling')}
            </Tag>
            {t('grid.autoRefresh')}
            <Select<number>
              data-testid="grid-refresh"
              value={every}
              onChange={choose}
              style={{ width: 120 }}
              options={REFRESH_CHOICES_S.map((n) => ({ value: n, label: n === 0 ? t('grid.off') : t('grid.every', { n }) }))}
            />
          </Space>
        }
      />
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        {/* Supervisors join calls with their own extension; an admin has none here (supervise.ts). */}
        {user?.role !== 'admin' && <AgentSoftphone />}
        <Table<AgentStatus>
          rowKey="id"
          size="small"
          data-testid="agent-grid"
          dataSource={rows ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('grid.agent'), key: 'agent', render: (_, a) => a.name ?? a.id, sorter: (a, b) => a.id.localeCompare(b.id), fixed: 'left' },
            { title: t('grid.extension'), dataIndex: 'extension' },
            {
              title: t('grid.state'),
              dataIndex: 'state',
              render: (s: AgentStatus['state'], a) => (
                <Tag color={AGENT_STATE_COLOR[s]} data-testid={`grid-state-${a.extension}`} data-state={s}>
                  {t(`desk.state.${s}`)}
                </Tag>
              ),
            },
            { title: t('grid.inState'), key: 'in', render: (_, a) => formatDuration(Math.max(0, now - Date.parse(a.since))) },
            {
              title: t('grid.reason'),
              key: 'reason',
              render: (_, a) => {
                const r = a.reason ?? a.pendingNotReady;
                const key = r === undefined ? undefined : reasonKey(r);
                return key ? t(key) : (r ?? '');
              },
            },
            { title: t('grid.offered'), key: 'offered', render: (_, a) => a.counters.offered },
            { title: t('grid.answered'), key: 'answered', render: (_, a) => a.counters.answered },
            { title: t('grid.rona'), key: 'rona', render: (_, a) => a.counters.ronaCount },
            { title: t('grid.notReady'), key: 'nr', render: (_, a) => `${a.counters.notReadyCount} / ${formatDuration(a.counters.notReadyMs)}` },
            { title: t('grid.online'), key: 'online', render: (_, a) => formatDuration(a.counters.onlineMs) },
            { title: t('grid.talk'), key: 'talk', render: (_, a) => formatDuration(a.counters.talkMs) },
            { title: t('grid.transfers'), key: 'transfers', render: (_, a) => a.counters.transfers },
            { title: t('grid.consults'), key: 'consults', render: (_, a) => a.counters.consults },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_, a) => {
                const ops = user ? superviseOpsFor(a.state, user.role, a.interactionId) : [];
                return (
                  <Space>
                    <Dropdown
                      disabled={ops.length === 0}
                      menu={{ items: ops.map((op) => ({ key: op, label: t(`sup.${op}`), danger: op === 'force-release' })), onClick: (e) => void supervise(a, e.key as SuperviseOp) }}
                    >
                      <Button size="small" data-testid={`supervise-${a.extension}`}>
                        {t('sup.menu')}
                      </Button>
                    </Dropdown>
                    {a.state === 'locked' ? (
                      <Button size="small" onClick={() => void act(a, 'unlock')}>
                        {t('grid.unlock')}
                      </Button>
                    ) : (
                      <Popconfirm title={t('grid.lockConfirm', { agent: a.name ?? a.id })} okText={t('grid.lock')} cancelText={t('common.cancel')} onConfirm={() => act(a, 'lock')}>
                        <Button size="small" danger disabled={a.state === 'talking'}>
                          {t('grid.lock')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
        <Card title={t('grid.queues')} size="small">
          <Table<QueueStatus>
            rowKey="id"
            size="small"
            dataSource={queues.data ?? []}
            pagination={false}
            columns={[
              { title: t('grid.queue'), key: 'q', render: (_, q) => q.name ?? q.id },
              { title: t('grid.waiting'), dataIndex: 'waiting' },
              { title: t('grid.longestWait'), dataIndex: 'longestWaitSec', render: (s: number) => formatDuration(s * 1000) },
              { title: t('grid.serviceLevel'), dataIndex: 'serviceLevel', render: (v: number | null) => formatPercent(v) },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
