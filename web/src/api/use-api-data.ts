/**
 * Loads one API resource for a page: data, loading flag, error and a reload
 * function; optionally reloads every `refreshMs`. A response that arrives
 * after a newer request has started is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError } from './client.ts';

export interface ApiData<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiRequestError | undefined;
  /** When the data last arrived. */
  loadedAt: Date | undefined;
  reload(): void;
}

export function useApiData<T>(load: () => Promise<T>, refreshMs?: number): ApiData<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiRequestError>();
  const [loadedAt, setLoadedAt] = useState<Date>();
  const seq = useRef(0);

  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    load()
      .then((d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(undefined);
        setLoadedAt(new Date());
      })
      .catch((err: unknown) => {
        if (mine !== seq.current) return;
        setError(err instanceof ApiRequestError ? err : new ApiRequestError(0, 'client', err instanceof Error ? err.message : String(err)));
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [load]);

  useEffect(() => {
    reload();
    if (!refreshMs) return;
    const timer = window.setInterval(reload, refreshMs);
    return () => window.clearInterval(timer);
  }, [reload, refreshMs]);

  return { data, loading, error, loadedAt, reload };
}
