// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../auth/session';
import { stubBrowserApis } from '../../lib/happy-dom-stubs';
import { RegisterPage } from './register';
import { registerEntry, TEST_TEACHER, testRegister } from './test-registers';

// The API client keeps the fetch it finds when it is created, so the stand-in goes in before any import runs.
const server = vi.hoisted(() => {
  let register: unknown = null;
  const handlers: { put: (body: unknown) => Promise<Response> } = { put: async () => new Response(null, { status: 500 }) };
  function json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }
  // GET answers the register; PUT whatever the test has put in `handlers`.
  globalThis.fetch = (async (request: Request) => (request.method === 'PUT' ? handlers.put(await request.json()) : json(200, register))) as typeof fetch;
  return { handlers, json, setRegister: (value: unknown) => (register = value) };
});

const ME = { ...TEST_TEACHER, role: 'teacher' };
const untaken = testRegister([registerEntry('s1', 'Amy Able'), registerEntry('s2', 'Ben Brown', { status: 'excused', knownAbsence: { id: 'k1', reason: 'Dentist' } })]);

beforeAll(() => {
  stubBrowserApis();
  localStorage.setItem('crm.session', JSON.stringify({ token: 'token', user: ME, institution: { id: 'i', name: 'School', code: 'SCH' } }));
});
afterEach(cleanup);

function renderRegister() {
  server.setRegister(untaken);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter([{ path: '/register/lessons/:lessonId', element: <RegisterPage /> }], {
    initialEntries: ['/register/lessons/lesson-1?date=2026-11-23'],
  });
  render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const row = (name: string) => screen.getByRole('button', { name: new RegExp(`^${name}\\b`) });
const takenLine = () => screen.getByTestId('register-taken').textContent;

describe('the register page', () => {
  it('starts with everyone present and known absences excused, and moves a mark on with each tap', async () => {
    renderRegister();
    expect((await screen.findByRole('button', { name: /^Amy Able\b/ })).textContent).toBe('Amy Able, Present');
    expect(row('Ben Brown').textContent).toBe('Ben Brown, Excused');
    expect(screen.getByText('Known absence: Dentist')).toBeTruthy();

    fireEvent.click(row('Amy Able'));
    expect(row('Amy Able').textContent).toBe('Amy Able, Absent');
    fireEvent.click(row('Amy Able'));
    expect(row('Amy Able').textContent).toBe('Amy Able, Late');
    expect(screen.getByRole('textbox', { name: 'Minutes late for Amy Able' })).toBeTruthy();
    fireEvent.click(row('Amy Able'));
    expect(row('Amy Able').textContent).toBe('Amy Able, Present');
    expect(screen.getByTestId('register-counts').textContent).toBe('1 Present · 0 Absent · 0 Late · 1 Excused');
  });

  it('shows the register taken while the save is on its way, and the saved one once it is answered', async () => {
    renderRegister();
    fireEvent.click(await screen.findByRole('button', { name: /^Amy Able\b/ }));
    let answer: (response: Response) => void = () => {};
    const sent: unknown[] = [];
    server.handlers.put = (body) => {
      sent.push(body);
      return new Promise((resolve) => (answer = resolve));
    };
    fireEvent.click(screen.getByRole('button', { name: 'Save register' }));
    expect(await screen.findByText('Saving…')).toBeTruthy();
    expect(takenLine()).toContain('Taken by Tess Teacher');
    expect(sent).toEqual([[{ studentId: 's1', status: 'absent' }, { studentId: 's2', status: 'excused' }]]);

    const saved = testRegister(
      [registerEntry('s1', 'Amy Able', { status: 'absent', marked: true }), registerEntry('s2', 'Ben Brown', { status: 'excused', marked: true, knownAbsence: { id: 'k1', reason: 'Dentist' } })],
      true,
    );
    answer(server.json(200, saved));
    expect(await screen.findByText('The register is saved.')).toBeTruthy();
    expect(screen.queryByText('Saving…')).toBeNull();
    expect(row('Amy Able').textContent).toBe('Amy Able, Absent');
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeTruthy();
  });

  it('puts the register back when a save fails, keeping the taps so that saving again is one press', async () => {
    renderRegister();
    fireEvent.click(await screen.findByRole('button', { name: /^Amy Able\b/ }));
    server.handlers.put = async () => server.json(500, { code: 'INTERNAL_ERROR', message: 'boom' });
    fireEvent.click(screen.getByRole('button', { name: 'Save register' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Something went wrong on our side. Try again in a moment.');
    expect(takenLine()).toContain('Not taken yet');
    expect(row('Amy Able').textContent).toBe('Amy Able, Absent');
    expect(within(screen.getByRole('list', { name: 'Students' })).getAllByRole('listitem')).toHaveLength(2);
  });
});
