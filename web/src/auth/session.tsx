import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setToken } from '../api/client';
import type { LoginResponse, Session } from '../api/types';

/** The signed-in account, kept across reloads: the token and who it belongs to. */
export interface StoredSession extends Session {
  token: string;
}

const STORAGE_KEY = 'crm.session';

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

/** Why there is no session: the guard sends a sign-out to plain sign-in, an ended session back here afterwards. */
export type SessionEnd = 'signed-out' | 'expired' | null;

interface SessionContextValue {
  session: StoredSession | null;
  ended: SessionEnd;
  signedIn(login: LoginResponse): void;
  /** A password change issues a new token and revokes the old one. */
  replaceToken(token: string): void;
  /** Forgets the session here (a sign-out tells the server first, when it is reachable). */
  forget(reason: Exclude<SessionEnd, null>): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<StoredSession | null>(() => {
    const stored = readStored();
    setToken(stored?.token ?? null);
    return stored;
  });
  const [ended, setEnded] = useState<SessionEnd>(null);

  const store = useCallback((next: StoredSession | null) => {
    setToken(next?.token ?? null);
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(STORAGE_KEY);
    setSession(next);
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      ended,
      signedIn: ({ token, user, institution }) => {
        queryClient.clear();
        setEnded(null);
        store({ token, user, institution });
      },
      replaceToken: (token) => {
        const current = readStored();
        if (current) store({ ...current, token });
      },
      forget: (reason) => {
        setEnded(reason);
        store(null);
        queryClient.clear();
      },
    }),
    [session, ended, store, queryClient],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in account, for pages behind the sign-in guard. */
export function useAccount(): StoredSession {
  const { session } = useSession();
  if (!session) throw new Error('useAccount without a session');
  return session;
}
