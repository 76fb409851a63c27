/**
 * The agent desktop's live link to the server: polls the agent's ACD state
 * (GET /api/v1/agents/:me), their calls (GET /api/v1/calls), the queues and
 * the agent list once a second, and runs toolbar actions (desk-commands.ts),
 * refreshing at once after each. Each part reports its own problem (the
 * server's message, e.g. "the ACD is not running"); nothing is guessed.
 * Polling stands in until the server has an event stream.
 */
import { App } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiRequestError } from '../api/client.ts';
import type { AgentStatus, Interaction, QueueStatus } from '../api/types.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useSession } from '../session/session-context.tsx';
import type { ActionId } from './actions.ts';
import { deskCallOf, type DeskCall } from './desk-call.ts';
import { commandFor, hasRequest, isAgentStateAction, type ActionRequest } from './desk-commands.ts';

export const DESK_POLL_MS = 1000;

export interface DeskView {
  agent?: AgentStatus;
  /** Why the agent state is unknown (ACD not running, not an agent...). */
  acdProblem?: string;
  call: DeskCall;
  /** Why calls cannot be seen or controlled. */
  callProblem?: string;
  /** Calls waiting in all queues, when the queues are known. */
  waiting?: number;
  /** The queues as last polled (names for the screen pop). */
  queues: readonly QueueStatus[];
  busy: boolean;
  available(id: ActionId): boolean;
  perform(req: ActionRequest): void;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: ApiRequestError };
const settle = <T,>(p: Promise<T>): Promise<Settled<T>> => p.then((value) => ({ ok: true as const, value }), (error: ApiRequestError) => ({ ok: false as const, error }));

export function useDesk(username: string): DeskView {
  const { api } = useSession();
  const { t } = useI18n();
  const { message } = App.useApp();
  const [agent, setAgent] = useState<Settled<AgentStatus>>();
  const [calls, setCalls] = useState<Settled<Interaction[]>>();
  const [queues, setQueues] = useState<QueueStatus[]>();
  const [agentIds, setAgentIds] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const live = useRef(true);

  const poll = useCallback(async () => {
    const [a, c, q, all] = await Promise.all([
      settle(api.get<AgentStatus>(`/api/v1/agents/${encodeURIComponent(username)}`)),
      settle(api.get<Interaction[]>('/api/v1/calls')),
      settle(api.get<QueueStatus[]>('/api/v1/queues')),
      settle(api.get<AgentStatus[]>('/api/v1/agents')),
    ]);
    if (!live.current) return;
    setAgent(a);
    setCalls(c);
    setQueues(q.ok ? q.value : undefined);
    if (all.ok) setAgentIds(new Set(all.value.flatMap((x) => [x.id, x.extension])));
  }, [api, username]);

  useEffect(() => {
    live.current = true;
    void poll();
    const timer = window.setInterval(() => void poll(), DESK_POLL_MS);
    return () => {
      live.current = false;
      window.clearInterval(timer);
    };
  }, [poll]);

  const agentId = agent?.ok ? agent.value.id : username;
  const call = useMemo<DeskCall>(() => (calls?.ok ? deskCallOf(calls.value, agentId) : { state: 'idle' }), [calls, agentId]);

  const available = useCallback(
    (id: ActionId) => hasRequest(id) && agent?.ok === true && (isAgentStateAction(id) || calls?.ok === true),
    [agent, calls],
  );

  const perform = useCallback(
    (req: ActionRequest) => {
      const cmd = commandFor(req, { agentId, agents: agentIds, ...(call.interaction ? { interactionId: call.interaction.id } : {}) });
      if (typeof cmd === 'string') {
        void message.warning(t(`desk.problem.${cmd}`));
        return;
      }
      setBusy(true);
      api
        .post(cmd.path, cmd.body)
        .catch((err: ApiRequestError) => void message.error(t('common.actionFailed', { message: `${err.message} (${err.code})` })))
        .finally(() => {
          setBusy(false);
          void poll();
        });
    },
    [api, agentId, agentIds, call, message, poll, t],
  );

  return {
    ...(agent?.ok ? { agent: agent.value } : {}),
    ...(agent && !agent.ok ? { acdProblem: agent.error.message } : {}),
    call,
    ...(calls && !calls.ok ? { callProblem: calls.error.message } : {}),
    ...(queues ? { waiting: queues.reduce((n, q) => n + q.waiting, 0) } : {}),
    queues: queues ?? [],
    busy,
    available,
    perform,
  };
}
