/**
 * Tasks and notices for a page (SUP-4): loaded from the API, then kept
 * current by the event stream's board events without a reload; while the
 * stream is not live they are reloaded every 30 s instead.
 */
import { useCallback, useEffect, useState } from 'react';
import { useEventStream } from '../api/use-event-stream.ts';
import type { StreamLink } from '../api/event-stream-client.ts';
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
  const reload = useCallback(() => {
    Promise.all([api.get<BoardTask[]>('/api/v1/tasks'), api.get<BoardNotice[]>('/api/v1/notices')])
      .then(([tasks, notices]) => {
        setState({ tasks, notices });
        setError(undefined);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [api]);
  const link = useEventStream(
    useCallback((f) => {
      if (BOARD_EVENT_TYPES.has(f.type)) setState((s) => applyBoardFrame(s, f));
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
