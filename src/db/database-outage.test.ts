import { createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createMember,
  DATABASE_URL,
  registerInstitution,
  startTestApp,
  type TestApp,
  type TestInstitution,
  type TestUser,
} from '../../test/helpers.js';
import { isDatabaseUnavailable } from '../lib/errors.js';
import { openDatabase } from './database.js';

const CLIENTS = 16;
const TERMINATIONS = 6;
const TERMINATION_INTERVAL_MS = 150;

/** Ends every session on the test database but the caller's, as an administrator or a restart would. */
async function terminateBackends(killer: pg.Client): Promise<number> {
  const { rowCount } = await killer.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return rowCount ?? 0;
}

describe.skipIf(!DATABASE_URL)('PostgreSQL ending its connections under load', () => {
  let t: TestApp;
  let school: TestInstitution;
  let student: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    school = await registerInstitution(t.app);
    student = await createMember(t.app, school, 'student');
  });
  afterAll(() => t?.close());

  /** Reads and writes that each reach the database (the sign-in cache is off while LISTEN reconnects). */
  const requests = [
    () => call(t.app, 'GET', '/api/users?limit=50', { token: school.adminToken }),
    () => call(t.app, 'GET', `/api/users/${student.id}`, { token: school.adminToken }),
    () => call(t.app, 'PATCH', `/api/users/${student.id}`, { token: school.adminToken, body: { name: 'Renamed Student' } }),
    () => call(t.app, 'GET', '/api/activity-logs?limit=20', { token: school.adminToken }),
    () => call(t.app, 'GET', '/api/auth/me', { token: student.token }),
  ];

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After or succeeds, never 500, and then recovers', async () => {
    const killer = new pg.Client({ connectionString: t.database.url });
    await killer.connect();
    const answers: Awaited<ReturnType<typeof call>>[] = [];
    let running = true;
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let turn = client; running; turn++) answers.push(await requests[turn % requests.length]!());
    });
    let terminated = 0;
    for (let round = 0; round < TERMINATIONS; round++) {
      await sleep(TERMINATION_INTERVAL_MS);
      terminated += await terminateBackends(killer);
    }
    await sleep(TERMINATION_INTERVAL_MS);
    running = false;
    await Promise.all(clients);
    await killer.end();

    const unexpected = answers
      .filter((answer) => answer.statusCode >= 300 && answer.statusCode !== 503)
      .map((answer) => `${answer.statusCode} ${answer.body}`);
    expect(unexpected).toEqual([]);
    const unavailable = answers.filter((answer) => answer.statusCode === 503);
    for (const answer of unavailable) {
      expect(answer.data).toEqual({ code: 'DATABASE_UNAVAILABLE', message: expect.any(String) });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The outage was real: connections in use were ended under requests.
    expect(terminated).toBeGreaterThan(0);
    expect(unavailable.length).toBeGreaterThan(0);

    for (const answer of await Promise.all(requests.map((request) => request()))) expect(answer.statusCode).toBe(200);
    expect((await call(t.app, 'GET', '/api/health')).data).toMatchObject({ status: 'healthy', database: 'ok' });
  });
});

describe('a database server that accepts connections but never answers', () => {
  it('fails the query within the connect timeout, as unavailable, instead of hanging', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const handle = await openDatabase({ databaseUrl: `postgres://nobody@127.0.0.1:${port}/none`, connectTimeoutMs: 300 });
    try {
      const started = performance.now();
      const failure = await sql`select 1`.execute(handle.db).then(() => undefined, (error: unknown) => error);
      expect(isDatabaseUnavailable(failure)).toBe(true);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await handle.db.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
