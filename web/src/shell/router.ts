/**
 * A small history-API router: the current path and a navigate function.
 * The server answers index.html for every UI path (src/api/web-static.ts),
 * so deep links and reloads work.
 */
import { useCallback, useEffect, useState } from 'react';

export function useLocationPath(): [string, (path: string, replace?: boolean) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, replace = false) => {
    if (to === window.location.pathname) return;
    if (replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setPath(to);
  }, []);
  return [path, navigate];
}
