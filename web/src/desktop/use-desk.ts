/**
 * The agent desktop's live link to the server. It loads once (the agent's
 * ACD state GET /api/v1/agents/:me, their calls GET /api/v1/calls, the
 * queues, the agent list and the dialling rules GET /api/v1/dialling) and
 * then follows the event stream (/api/v1/events, desk-live.ts): agent
 * state, offers, call changes, waiting calls, the CTI-7 service timer and
 * the ACD-7 blacklist flag (the ACD's offer, or `blacklisted` in the call
 * data) come from events. While the stream is not live
 * it polls every DESK_FALLBACK_MS (and loads again once it is back). Toolbar
 * actions (desk-commands.ts) take the agent's state from the answer; calls
 * follow from events. Each part reports its own problem (the server's
 * message, e.g. "the ACD is not running"); nothing is guessed.
 */
import { App } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiRequestError } from '../api/client.ts';
import type { StreamFrame, StreamLink } from '../api/event-stream-client.ts';
import type { AgentStatus, DiallingRules, Interaction, QueueStatus } from '../api/types.ts';
import { useEventStream } from '../api/use-event-stream.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useSession } from '../session/session-context.tsx';
import type { ActionId } from './actions.ts';
import { deskCallOf, type DeskCall } from './desk-call.ts';
import { commandFor, hasRequest, isAgentStateAction, targetAllowed, type ActionRequest } from './desk-commands.ts';
import { applyAgentFrame, applyBlacklistFrame, applyCallFrame, applyDirectoryFrame, applyQueueFrame, applyServiceFrame, deskPollMs, serviceTimerFromSnapshot, type ServiceTimer } from './desk-live.ts';

export { DESK_FALLBACK_MS } from './desk-live.ts';

export interface DeskView {
  agent?: AgentStatus;
  /** Why the agent state is unknown (ACD not running, not an agent...). */
  acdProblem?: string;
  call: DeskCall;
  /** Why calls cannot be seen or controlled. */
  callProblem?: string;
  /** Calls waiting in all queues, when the queues are known. */
  waiting?: number;
  /** The queues as last loaded (names for the screen pop). */
  queues: readonly QueueStatus[];
  /** The other agents with their live states: targets for consult and transfer (CTI-3, CTI-4). */
  directory: readonly AgentStatus[];
  /** The event stream: `live` when the desk follows events, otherwise it polls. */
  link: StreamLink;
  /** CTI-7: the service-time limit of the current call, when its queue has one. */
  serviceTimer?: ServiceTimer;
  /** ACD-7: the current call was offered with a blacklist warning. */
  blacklisted: boolean;
  /** ADM-1: false when the agent may not call outside numbers. */
  mayDialOut: boolean;
  /** Whether the toolbar may ask for this target (outside numbers need may-dial-out). */
  targetAllowed(target: string): boolean;
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
  const [calls, setCalls] = useState<Settled<readonly Interaction[]>>();
  const [queues, setQueues] = useState<readonly QueueStatus[]>();
  const [agentIds, setAgentIds] = useState<ReadonlySet<string>>(new Set());
  const [directory, setDirectory] = useState<readonly AgentStatus[]>([]);
  const [dialling, setDialling] = useState<DiallingRules>();
  const [timer, setTimer] = useState<ServiceTimer>();
  const [flagged, setFlagged] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  const agentId = agent?.ok ? agent.value.id : username;
  const me = useRef(agentId);
  me.current = agentId;

  /**
   * Frames that arrive while a load is in flight, per load: the server's
   * answer may predate them (an answer read before the call was answered,
   * arriving after the `talking` event), so they are applied again on top of
   * it instead of the answer winning.
   */
  const inFlight = useRef(new Set<StreamFrame[]>());
  const during = useCallback(async <T,>(load: () => Promise<T>): Promise<{ result: T; frames: readonly StreamFrame[] }> => {
    const frames: StreamFrame[] = [];
    inFlight.current.add(frames);
    try {
      return { result: await load(), frames };
    } finally {
      inFlight.current.delete(frames);
    }
  }, []);
  const callsAfter = (c: Settled<readonly Interaction[]>, frames: readonly StreamFrame[]): Settled<readonly Interaction[]> =>
    c.ok ? { ok: true, value: frames.reduce((calls, f) => applyCallFrame(calls, f).calls, c.value) } : c;

  const loadCalls = useCallback(async () => {
    const { result: c, frames } = await during(() => settle(api.get<Interaction[]>('/api/v1/calls')));
    if (live.current) setCalls(callsAfter(c, frames));
  }, [api, during]);

  /** The agent, their calls and the queues: at start, when the stream comes back, and as the fallback poll. */
  const load = useCallback(async () => {
    const { result: [a, c, q], frames } = await during(() =>
      Promise.all([
        settle(api.get<AgentStatus>(`/api/v1/agents/${encodeURIComponent(username)}`)),
        settle(api.get<Interaction[]>('/api/v1/calls')),
        settle(api.get<QueueStatus[]>('/api/v1/queues')),
      ]),
    );
    if (!live.current) return;
    setAgent(a.ok ? { ok: true, value: frames.reduce((x, f) => applyAgentFrame(x, f) ?? x, a.value) } : a);
    setCalls(callsAfter(c, frames));
    setQueues(q.ok ? q.value : undefined);
  }, [api, username, during]);

  // Once: who the agents are (a target naming one is an agent) and the dialling rules.
  useEffect(() => {
    let on = true;
    api.get<AgentStatus[]>('/api/v1/agents').then(
      (all) => {
        if (!on) return;
        setAgentIds(new Set(all.flatMap((x) => [x.id, x.extension])));
        setDirectory(all);
      },
      () => undefined,
    );
    api.get<DiallingRules>('/api/v1/dialling').then((d) => on && setDialling(d), () => undefined);
    return () => {
      on = false;
    };
  }, [api, username]);

  const reloadingCalls = useRef(false);
  const onFrame = useCallback(
    (f: StreamFrame) => {
      for (const pending of inFlight.current) pending.push(f);
      const id = me.current;
      setAgent((prev) => {
        if (!prev?.ok) return prev;
        const next = applyAgentFrame(prev.value, f);
        return next === prev.value || next === undefined ? prev : { ok: true, value: next };
      });
      setQueues((prev) => (prev ? (applyQueueFrame(prev, f) as QueueStatus[]) : prev));
      setDirectory((prev) => applyDirectoryFrame(prev, f));
      setTimer((prev) => applyServiceFrame(prev, f, id));
      setFlagged((prev) => applyBlacklistFrame(prev, f, id));
      setCalls((prev) => {
        if (!prev?.ok) return prev;
        const u = applyCallFrame(prev.value, f);
        if (u.stale && !reloadingCalls.current) {
          // A call the desk has not seen (one it made, or one it missed while loading): ask the server once.
          reloadingCalls.current = true;
          queueMicrotask(() => void loadCalls().finally(() => (reloadingCalls.current = false)));
        }
        return u.calls === prev.value ? prev : { ok: true, value: u.calls };
      });
    },
    [loadCalls],
  );
  const link = useEventStream(onFrame);
  const pollMs = deskPollMs(link);

  useEffect(() => {
    live.current = true;
    void load();
    if (pollMs === undefined) return () => void (live.current = false);
    const timerId = window.setInterval(() => void load(), pollMs);
    return () => {
      live.current = false;
      window.clearInterval(timerId);
    };
  }, [load, pollMs]);

  const call = useMemo<DeskCall>(() => (calls?.ok ? deskCallOf(calls.value, agentId) : { state: 'idle' }), [calls, agentId]);

  const available = useCallback(
    (id: ActionId) => hasRequest(id) && agent?.ok === true && (isAgentStateAction(id) || calls?.ok === true),
    [agent, calls],
  );
  const allowed = useCallback((target: string) => targetAllowed(target, dialling, agentIds), [dialling, agentIds]);

  const perform = useCallback(
    (req: ActionRequest) => {
      const cmd = commandFor(req, { agentId, agents: agentIds, ...(dialling ? { dialling } : {}), ...(call.interaction ? { interactionId: call.interaction.id } : {}) });
      if (typeof cmd === 'string') {
        void message.warning(t(`desk.problem.${cmd}`));
        return;
      }
      setBusy(true);
      api
        .post<unknown>(cmd.path, cmd.body)
        .then((answer) => {
          // Agent-state requests answer with the agent (a not-ready asked during a call shows as pending at once).
          if (isAgentStateAction(req.id) && answer && typeof answer === 'object' && (answer as AgentStatus).id === agentId) setAgent({ ok: true, value: answer as AgentStatus });
        })
        .catch((err: ApiRequestError) =>
          void message.error(err.code === 'dial-out-not-allowed' ? t('desk.problem.dial-out-not-allowed') : t('common.actionFailed', { message: `${err.message} (${err.code})` })),
        )
        .finally(() => {
          setBusy(false);
          if (link !== 'live') void load();
        });
    },
    [api, agentId, agentIds, dialling, call, message, load, link, t],
  );

  // From the events; a desktop loaded mid-call rebuilds it from the agent's state and the queue's limit.
  const serviceTimer = timer && call.interaction?.id === timer.interaction ? timer : serviceTimerFromSnapshot(agent?.ok ? agent.value : undefined, call.interaction, queues ?? []);
  return {
    ...(agent?.ok ? { agent: agent.value } : {}),
    ...(agent && !agent.ok ? { acdProblem: agent.error.message } : {}),
    call,
    ...(calls && !calls.ok ? { callProblem: calls.error.message } : {}),
    ...(queues ? { waiting: queues.reduce((n, q) => n + q.waiting, 0) } : {}),
    queues: queues ?? [],
    directory: directory.filter((a) => a.id !== agentId),
    link,
    ...(serviceTimer ? { serviceTimer } : {}),
    blacklisted: call.interaction !== undefined && (flagged.has(call.interaction.id) || call.interaction.callData['blacklisted'] === true),
    mayDialOut: dialling?.mayDialOut ?? true,
    targetAllowed: allowed,
    busy,
    available,
    perform,
  };
}
