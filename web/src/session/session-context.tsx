/**
 * The signed-in user: sign in (POST /api/v1/session), sign out (DELETE),
 * and on load a saved token checked with GET /api/v1/me. The token lives in
 * localStorage so a reload keeps the session until it expires. Every page
 * gets its API client from here, so a 401 anywhere ends the session.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client.ts';
import type { Me, Session } from '../api/types.ts';

const STORAGE_KEY = 'hotline.session';

export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';

export interface SessionState {
  status: SessionStatus;
  user?: Me;
  expiresAt?: string;
  /** True when the last session ended by itself (expired or revoked), to tell the user. */
  ended: boolean;
  api: ApiClient;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

function loadSaved(): Session | undefined {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    const s = raw ? (JSON.parse(raw) as Session) : undefined;
    return s && typeof s.token === 'string' && Date.parse(s.expiresAt) > Date.now() ? s : undefined;
  } catch {
    return undefined;
  }
}

function save(s: Session | undefined): void {
  try {
    if (s) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage unavailable: the session lasts for this page only
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(loadSaved);
  const [status, setStatus] = useState<SessionStatus>(() => (session ? 'checking' : 'signed-out'));
  const [ended, setEnded] = useState(false);

  const drop = useCallback((byServer: boolean) => {
    save(undefined);
    setSession(undefined);
    setStatus('signed-out');
    setEnded(byServer);
  }, []);

  const api = useMemo(() => new ApiClient(session ? { token: session.token, onUnauthorized: () => drop(true) } : {}), [session, drop]);

  useEffect(() => {
    if (status !== 'checking' || !session) return;
    let live = true;
    api
      .get<Me>('/api/v1/me')
      .then((me) => {
        if (!live) return;
        const next = { ...session, user: me };
        save(next);
        setSession(next);
        setStatus('signed-in');
      })
      .catch(() => live && drop(true));
    return () => {
      live = false;
    };
  }, [status, session, api, drop]);

  const signIn = useCallback(async (username: string, password: string) => {
    const s = await new ApiClient().post<Session>('/api/v1/session', { username, password });
    save(s);
    setSession(s);
    setEnded(false);
    setStatus('signed-in');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.delete('/api/v1/session');
    } finally {
      drop(false);
    }
  }, [api, drop]);

  const value = useMemo<SessionState>(
    () => ({ status, ended, api, signIn, signOut, ...(session ? { user: session.user, expiresAt: session.expiresAt } : {}) }),
    [status, ended, api, signIn, signOut, session],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
