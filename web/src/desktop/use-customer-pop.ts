/**
 * Loads the back-office screen pop of the agent's call (GET
 * /api/v1/interactions/:id/screen-pop) when the call or its call data
 * changes (`dataKey`, from the event stream: an IVR transfer brings an
 * authenticated customer), and the wrap-up categories once. Only while the
 * event stream is not live (`polling`) does it reload every
 * CUSTOMER_POLL_MS.
 */
import { useEffect, useState } from 'react';
import type { ApiRequestError } from '../api/client.ts';
import type { ScreenPopData, WrapupCategory } from '../api/crm-types.ts';
import { useSession } from '../session/session-context.tsx';

export const CUSTOMER_POLL_MS = 10_000;

export function useCustomerPop(interactionId: string | undefined, dataKey = '', polling = false): { data?: ScreenPopData; problem?: string; categories: WrapupCategory[] } {
  const { api } = useSession();
  const [data, setData] = useState<ScreenPopData>();
  const [problem, setProblem] = useState<string>();
  const [categories, setCategories] = useState<WrapupCategory[]>([]);

  useEffect(() => {
    let live = true;
    api.get<{ categories: WrapupCategory[] }>('/api/v1/wrap-up/categories').then((r) => live && setCategories(r.categories), () => undefined);
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    setData(undefined);
    setProblem(undefined);
  }, [interactionId]);

  useEffect(() => {
    if (!interactionId) return;
    let live = true;
    const load = () =>
      api
        .get<ScreenPopData>(`/api/v1/interactions/${encodeURIComponent(interactionId)}/screen-pop`)
        .then((d) => {
          if (!live) return;
          setData(d);
          setProblem(undefined);
        })
        .catch((e: ApiRequestError) => live && setProblem(e.message));
    void load();
    const timer = polling ? window.setInterval(() => void load(), CUSTOMER_POLL_MS) : undefined;
    return () => {
      live = false;
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [api, interactionId, dataKey, polling]);

  return { ...(data ? { data } : {}), ...(problem ? { problem } : {}), categories };
}
