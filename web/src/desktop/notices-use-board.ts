/**
 * Tasks and notices for a page (SUP-4): loaded from the API, then kept
 * current by the event stream's board events without a reload; while the
 * stream is not live they are reloaded every 30 s instead.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useEventStream } from '../api/use-event-stream.ts';
import type { StreamFrame, StreamLink } from '../api/event-stream-client.ts';
import { useSession } from '../session/session-context.tsx';
import { applyBoardFrame, BOARD_EVENT_TYPES, type BoardNotice, type BoardState, type BoardTask } from './notices-model.ts';

export interface Board extends BoardState {
  link: StreamLink;
  error: string | undefined;
  reload(): void;
}

export function useBoard(): Board {
  const { api } = useSession();
  const [state, setState] = useState<BoardState>({ tasks: [], notices: [] });
  const [error, setError] = useState<string>();
  // Board frames that arrive while a reload is in flight are applied again on its answer, which may predate them.
  const inFlight = useRef(new Set<StreamFrame[]>());
  const reload = useCallback(() => {
    const frames: StreamFrame[] = [];
    inFlight.current.add(frames);
    Promise.all([api.get<BoardTask[]>('/api/v1/tasks'), api.get<BoardNotice[]>('/api/v1/notices')])
      .then(([tasks, notices]) => {
        setState(frames.reduce((s, f) => applyBoardFrame(s, f), { tasks, notices } as BoardState));
        setError(undefined);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => inFlight.current.delete(frames));
  }, [api]);
  const link = useEventStream(
    useCallback((f) => {
      if (!BOARD_EVENT_TYPES.has(f.type)) return;
      for (const pending of inFlight.current) pending.push(f);
      setState((s) => applyBoardFrame(s, f));
    }, []),
  );
  useEffect(() => {
    reload();
  }, [reload, link]);
  useEffect(() => {
    if (link === 'live') return undefined;
    const timer = window.setInterval(reload, 30_000);
    return () => window.clearInterval(timer);
  }, [reload, link]);
  return { ...state, link, error, reload };
}
