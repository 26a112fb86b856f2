// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../auth/session';
import { LiveEvents, liveKeys, useLiveStatus } from './live-events';

/** Stands in for the browser's WebSocket: the test opens, feeds and drops each one by hand. */
class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closed = false;
  readonly url: URL;
  constructor(url: URL | string) {
    this.url = new URL(url);
    FakeSocket.made.push(this);
  }
  close() {
    this.closed = true;
    this.onclose?.({ code: 1000 });
  }
  open() {
    act(() => this.onopen?.());
  }
  receive(frame: object) {
    act(() => this.onmessage?.({ data: JSON.stringify(frame) }));
  }
  drop(code = 1006) {
    act(() => this.onclose?.({ code }));
  }
}

const latest = () => FakeSocket.made.at(-1) as FakeSocket;

function Status() {
  return <output data-testid="status">{useLiveStatus()}</output>;
}

let online = true;
let queryClient: QueryClient;

function start() {
  queryClient = new QueryClient();
  const invalidated = vi.spyOn(queryClient, 'invalidateQueries');
  const view = render(
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <LiveEvents />
        <Status />
      </SessionProvider>
    </QueryClientProvider>,
  );
  return { invalidated, status: () => view.getByTestId('status').textContent };
}

function goOffline(value: boolean) {
  online = !value;
  act(() => {
    window.dispatchEvent(new Event(value ? 'offline' : 'online'));
  });
}

beforeEach(() => {
  FakeSocket.made = [];
  online = true;
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeSocket);
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
  localStorage.setItem('crm.session', JSON.stringify({ token: 'secret-token', user: { id: 'u1', role: 'student', name: 'Sam' }, institution: { id: 'i1' } }));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('LiveEvents', () => {
  it('refetches what an event names, and after a drop resumes from the highest cursor seen and refetches the messages', () => {
    const { invalidated, status } = start();
    expect(FakeSocket.made).toHaveLength(1);
    expect(latest().url.searchParams.has('since')).toBe(false);
    latest().open();
    expect(status()).toBe('connected');

    latest().receive({ type: 'hello', cursor: 5 });
    latest().receive({ id: 'e1', cursor: 7, type: 'message.created', data: {} });
    expect(invalidated).toHaveBeenCalledWith({ queryKey: liveKeys.messages });

    latest().drop();
    expect(status()).toBe('reconnecting');
    invalidated.mockClear();
    act(() => vi.advanceTimersByTime(1000));
    expect(FakeSocket.made).toHaveLength(2);
    expect(latest().url.searchParams.get('since')).toBe('7');
    latest().open();
    expect(status()).toBe('connected');
    // What the page shows may have changed while the socket was down: the open conversation too.
    expect(invalidated).toHaveBeenCalledWith({ queryKey: liveKeys.messages });
  });

  it('ends the socket when the browser goes offline and reconnects as soon as it is back', () => {
    const { status } = start();
    latest().open();
    latest().receive({ type: 'hello', cursor: 3 });
    const first = latest();

    goOffline(true);
    expect(first.closed).toBe(true);
    expect(status()).toBe('reconnecting');
    act(() => vi.advanceTimersByTime(60_000));
    expect(FakeSocket.made).toHaveLength(1);

    goOffline(false);
    expect(FakeSocket.made).toHaveLength(2);
    expect(latest().url.searchParams.get('since')).toBe('3');
  });

  it('does not reconnect after the server ended the session (4401)', () => {
    const { status } = start();
    latest().open();
    latest().drop(4401);
    act(() => vi.advanceTimersByTime(60_000));
    expect(FakeSocket.made).toHaveLength(1);
    expect(status()).toBe('closed');
  });
});
