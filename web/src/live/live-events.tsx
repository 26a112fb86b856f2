import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { useSession } from '../auth/session';

/** TanStack Query keys the pages use for what live events change. */
export const liveKeys = {
  conversations: ['conversations'] as const,
  messages: ['messages'] as const,
  unreadMessages: ['messages-unread'] as const,
  announcements: ['announcements'] as const,
};

const MESSAGE_KEYS = [liveKeys.conversations, liveKeys.messages, liveKeys.unreadMessages];

/** Which queries an event makes stale: events carry ids, never text, so the pages fetch again. */
const STALE_BY_EVENT: Record<string, readonly (readonly string[])[]> = {
  'message.created': MESSAGE_KEYS,
  'message.read': MESSAGE_KEYS,
  'message.deleted': MESSAGE_KEYS,
  'announcement.created': [liveKeys.announcements],
  // A changed event, and a holiday also the weeks it takes lessons out of.
  'calendar.changed': [['calendar']],
  'timetable.changed': [['timetable']],
  // An absence alert arrives as a message (message.created); the child's attendance changed too.
  'attendance.absent': [['attendance']],
};

function invalidate(queryClient: QueryClient, keys: readonly (readonly string[])[]) {
  for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
}

/** Waits before the next attempt: 1 s, 2 s, 4 s … up to 30 s, with jitter so a restarted server is not hit all at once. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** attempt);
  return Math.round(base * (0.5 + Math.random() / 2));
}

/**
 * How the socket stands: `connecting` before the first open, `connected`, `reconnecting` after a
 * drop (the pages say so: what arrives meanwhile shows once the socket is back), `closed` once the
 * server ended the session.
 */
export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

let liveStatus: LiveStatus = 'connecting';
const statusListeners = new Set<() => void>();

function setLiveStatus(next: LiveStatus) {
  if (next === liveStatus) return;
  liveStatus = next;
  for (const listener of statusListeners) listener();
}

function subscribeToStatus(listener: () => void) {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribeToStatus, () => liveStatus);
}

interface Frame {
  type: string;
  cursor?: number;
}

/**
 * One WebSocket per signed-in session (GET /api/ws, the token offered as the `bearer` subprotocol).
 * Keeps the highest cursor seen and reconnects with `?since=` after a drop, so no event is lost;
 * 4401 means the session is over on the server. The browser's offline event ends the socket at
 * once (a dead connection can look open for a long time) and its online event reconnects without
 * waiting for the backoff; nothing is tried while the browser says it is offline.
 */
export function LiveEvents() {
  const { session } = useSession();
  const queryClient = useQueryClient();
  const token = session?.token;

  useEffect(() => {
    if (!token) return;
    let socket: WebSocket | null = null;
    let cursor: number | null = null;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    setLiveStatus('connecting');

    const connect = () => {
      clearTimeout(timer);
      if (stopped || socket) return;
      if (!navigator.onLine) {
        setLiveStatus('reconnecting');
        return;
      }
      const url = new URL('/api/ws', window.location.origin);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const resuming = cursor !== null;
      if (resuming) url.searchParams.set('since', String(cursor));
      const current = new WebSocket(url, ['bearer', token]);
      socket = current;
      current.onopen = () => {
        attempt = 0;
        setLiveStatus('connected');
        // Anything fetched while the socket was down may be stale (the open conversation above
        // all); the replay brings the events, this brings what they point at.
        if (resuming) invalidate(queryClient, [...MESSAGE_KEYS, liveKeys.announcements]);
      };
      current.onmessage = (event: MessageEvent<string>) => {
        let frame: Frame;
        try {
          frame = JSON.parse(event.data) as Frame;
        } catch {
          return;
        }
        if (typeof frame.cursor === 'number' && (cursor === null || frame.cursor > cursor)) cursor = frame.cursor;
        const stale = STALE_BY_EVENT[frame.type];
        if (stale) invalidate(queryClient, stale);
      };
      current.onclose = (event) => {
        if (socket !== current) return;
        socket = null;
        if (stopped) return;
        // 4401: the server ended this session (sign-out, password change, deactivation). No
        // reconnect with this token; the next API call answers 401, which ends the session here
        // through the client's usual path (ending it from the socket raced this device's own sign-out).
        if (event.code === 4401) {
          setLiveStatus('closed');
          return;
        }
        setLiveStatus('reconnecting');
        if (navigator.onLine) timer = setTimeout(connect, reconnectDelay(attempt++));
      };
    };

    const dropped = () => {
      const current = socket;
      socket = null;
      clearTimeout(timer);
      setLiveStatus('reconnecting');
      current?.close();
    };
    const backOnline = () => {
      attempt = 0;
      connect();
    };
    window.addEventListener('offline', dropped);
    window.addEventListener('online', backOnline);
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('offline', dropped);
      window.removeEventListener('online', backOnline);
      socket?.close(1000);
    };
  }, [token, queryClient]);

  return null;
}
