import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import {
  call,
  createMember,
  DATABASE_URL,
  PASSWORD,
  registerInstitution,
  startTestApp,
  type TestApp,
  testConfig,
  type TestInstitution,
} from './helpers.js';

/** Two API instances on one database, as behind a load balancer. */
let t: TestApp;
let first: FastifyInstance;
let second: FastifyInstance;
let school: TestInstitution;

beforeAll(async () => {
  t = await startTestApp();
  first = t.app;
  second = await buildApp({ config: testConfig(), database: t.database });
  await second.ready();
  school = await registerInstitution(first);
});
afterAll(async () => {
  await second.close();
  await t.close();
});

const me = (app: FastifyInstance, token: string) => call(app, 'GET', '/api/auth/me', { token });

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('sign-in cache across API instances', () => {
  it('serves read requests from the cache once an account has been read', async () => {
    const teacher = await createMember(first, school, 'teacher');
    expect((await me(second, teacher.token)).statusCode).toBe(200);
    expect(second.principalCache.get(school.schemaName, teacher.id)?.username).toBe(teacher.username);
  });

  it('a logout on one instance ends the token on the other', async () => {
    const teacher = await createMember(first, school, 'teacher');
    expect((await me(second, teacher.token)).statusCode).toBe(200);
    expect((await call(first, 'POST', '/api/auth/logout', { token: teacher.token })).statusCode).toBe(200);
    expect((await me(first, teacher.token)).statusCode).toBe(401);
    expect(await eventually(async () => (await me(second, teacher.token)).statusCode === 401)).toBe(true);
  });

  it('deactivation, deletion and the institution being deleted reach the other instance', async () => {
    const other = await registerInstitution(first);
    const [deactivated, deleted, bystander] = [
      await createMember(first, other, 'student'),
      await createMember(first, other, 'student'),
      await createMember(first, other, 'teacher'),
    ];
    for (const member of [deactivated, deleted, bystander]) expect((await me(second, member.token)).statusCode).toBe(200);
    expect((await me(second, other.adminToken)).statusCode).toBe(200);

    await call(first, 'PATCH', `/api/users/${deactivated.id}`, { token: other.adminToken, body: { isActive: false } });
    await call(first, 'DELETE', `/api/users/${deleted.id}`, { token: other.adminToken });
    expect(await eventually(async () => (await me(second, deactivated.token)).statusCode === 401)).toBe(true);
    expect(await eventually(async () => (await me(second, deleted.token)).statusCode === 401)).toBe(true);
    expect((await me(second, bystander.token)).statusCode).toBe(200);

    await call(first, 'DELETE', '/api/auth/delete-account', { token: other.adminToken, body: { password: PASSWORD } });
    expect(await eventually(async () => (await me(second, bystander.token)).statusCode === 401)).toBe(true);
    expect(await eventually(async () => (await me(second, other.adminToken)).statusCode === 401)).toBe(true);
  });

  it('a change made by hand in the database evicts too, through the triggers', async () => {
    const student = await createMember(first, school, 'student');
    expect((await me(first, student.token)).statusCode).toBe(200);
    await sql`update ${sql.table(`${school.schemaName}.users`)} set "tokenVersion" = "tokenVersion" + 1 where id = ${student.id}`.execute(first.db);
    expect(await eventually(async () => (await me(first, student.token)).statusCode === 401)).toBe(true);
  });

  it('a revoked token can never change anything, even while a stale entry is still cached', async () => {
    const admin = await registerInstitution(first);
    const student = await createMember(first, admin, 'student');
    expect((await me(second, admin.adminToken)).statusCode).toBe(200);
    const cached = second.principalCache.get(admin.schemaName, admin.admin.id)!;
    await call(first, 'POST', '/api/auth/logout', { token: admin.adminToken });
    expect(await eventually(async () => second.principalCache.get(admin.schemaName, admin.admin.id) === undefined)).toBe(true);
    // Put the pre-logout entry back, as if the notification had not arrived yet.
    second.principalCache.store(second.principalCache.ticket(admin.schemaName), cached);
    expect((await me(second, admin.adminToken)).statusCode).toBe(200);
    const write = await call(second, 'PATCH', `/api/users/${student.id}`, { token: admin.adminToken, body: { name: 'Changed' } });
    expect(write.statusCode).toBe(401);
    const fetched = await t.app.db.withSchema(admin.schemaName).selectFrom('users').select('name').where('id', '=', student.id).executeTakeFirstOrThrow();
    expect(fetched.name).toBe(student.name);
  });
});

describe.skipIf(!DATABASE_URL)('on PostgreSQL', () => {
  it('turns the cache off while the notification listener is down, and back on once it reconnects', async () => {
    expect(second.principalCache.enabled).toBe(true);
    const killer = new pg.Client({ connectionString: t.database.url });
    await killer.connect();
    await killer.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`);
    await killer.end();
    expect(await eventually(async () => !second.principalCache.enabled, 2000)).toBe(true);
    expect(await eventually(async () => second.principalCache.enabled, 5000)).toBe(true);
    const teacher = await createMember(first, school, 'teacher');
    expect((await me(second, teacher.token)).statusCode).toBe(200);
  });
});
