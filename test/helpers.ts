import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { openPGlite } from './global-setup.js';

/** Set when the suite runs against a PostgreSQL server; otherwise every test file uses PGlite. */
export const DATABASE_URL = process.env.DATABASE_URL || undefined;

/**
 * The answer matches the schema and carries nothing it does not declare. Lists whose JSON the
 * database writes (db/json-page.ts) skip the response serializer that would otherwise drop
 * undeclared fields, so their tests check this.
 */
export function expectExactShape(schema: TSchema, value: unknown): void {
  expect(Value.Errors(schema, value)).toEqual([]);
  expect(Value.Clean(schema, structuredClone(value))).toEqual(value);
}

/** Fields that only Fastify's or Node's own error answers carry, never the project's. */
const FOREIGN_ERROR_FIELDS = ['error', 'statusCode'];

/**
 * An error answer has the one error shape: `{ code, message }`, `details` as a list when present,
 * and whatever facts its code documents (`references`, `conflicts`, ...), never Fastify's fields.
 */
export function expectErrorShape(response: { statusCode: number; body: string }): void {
  const data = JSON.parse(response.body) as Record<string, unknown>;
  expect(Object.keys(data).filter((key) => FOREIGN_ERROR_FIELDS.includes(key)), response.body).toEqual([]);
  expect(typeof data.code === 'string' && /^[A-Z][A-Z_]+$/.test(data.code), response.body).toBe(true);
  expect(typeof data.message, response.body).toBe('string');
  if ('details' in data) expect(Array.isArray(data.details), response.body).toBe(true);
}

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'crm-test-')),
    // Tests sign in far more often than people do; the rate-limit suite sets its own limits.
    RATE_LIMIT_MAX: '100000',
    AUTH_RATE_LIMIT_PER_IP: '100000',
    AUTH_RATE_LIMIT_PER_USERNAME: '100000',
    SIGNUP_RATE_LIMIT_PER_IP: '100000',
    ...env,
  });
}

/**
 * A database of this test file's own, a copy of the run's migrated template: in-memory PGlite, or a
 * database on the PostgreSQL server named by DATABASE_URL, dropped again by `close()`. Files never
 * see each other's data.
 */
export async function openTestDatabase(): Promise<DatabaseHandle & { close(): Promise<void>; url?: string }> {
  if (!DATABASE_URL) {
    // In a fresh test process this took 1.3-1.9 s, against 4-7 s for initdb and the migrations,
    // measured on the 2-CPU machine; initdb is most of that, so the gap stays as migrations grow.
    const handle = await openPGlite(new Blob([await readFile(inject('pgliteTemplate'))]));
    return { ...handle, close: () => handle.db.destroy() };
  }
  const name = unique('crm_test_');
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  await admin.end();
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.href, poolSize: 5 });
  return {
    ...handle,
    url: url.href,
    async close() {
      await handle.db.destroy();
      const dropper = new pg.Client({ connectionString: DATABASE_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: Awaited<ReturnType<typeof openTestDatabase>>;
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const app = await buildApp({ config: testConfig(env), database });
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export const PASSWORD = 'correct-horse-battery';

type Body = Record<string, unknown>;

/** app.inject with a bearer token and a parsed JSON body. */
export async function call(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; remoteAddress?: string } = {},
): Promise<LightMyRequestResponse & { body: string; data: Body & Record<string, any> }> {
  const response = await app.inject({
    method,
    url,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(options.body !== undefined ? { payload: options.body as InjectOptions['payload'] } : {}),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
  let data: Body = {};
  try {
    data = response.body ? (JSON.parse(response.body) as Body) : {};
  } catch {
    data = {};
  }
  return Object.assign(response, { data });
}

export interface TestInstitution {
  id: string;
  name: string;
  code: string;
  schemaName: string;
  admin: { id: string; username: string; name: string };
  adminToken: string;
}

export async function registerInstitution(app: FastifyInstance, name = unique('School ')): Promise<TestInstitution> {
  const username = unique('admin_');
  const setup = await call(app, 'POST', '/api/setup/admin', {
    body: { username, password: PASSWORD, name: 'Ada Admin', institutionName: name },
  });
  if (setup.statusCode !== 201) throw new Error(`setup failed: ${setup.statusCode} ${setup.body}`);
  const login = await call(app, 'POST', '/api/auth/login', { body: { username, password: PASSWORD } });
  const institution = setup.data.institution as { id: string; name: string; code: string };
  return {
    ...institution,
    schemaName: tenantSchemaName(institution.id),
    admin: setup.data.admin,
    adminToken: login.data.token,
  };
}

export interface TestUser {
  id: string;
  username: string;
  name: string;
  role: 'teacher' | 'student';
  token: string;
}

export async function createMember(
  app: FastifyInstance,
  institution: TestInstitution,
  role: 'teacher' | 'student' | 'guardian',
  fields: Body = {},
): Promise<TestUser> {
  const username = unique(`${role}_`);
  const created = await call(app, 'POST', '/api/users', {
    token: institution.adminToken,
    body: { username, password: PASSWORD, role, name: `${role} ${username}`, ...fields },
  });
  if (created.statusCode !== 201) throw new Error(`create user failed: ${created.statusCode} ${created.body}`);
  const login = await call(app, 'POST', '/api/auth/login', {
    body: { username, password: PASSWORD, institutionCode: institution.code },
  });
  return { ...(created.data as Omit<TestUser, 'token'>), token: login.data.token };
}

/**
 * The usual test-file fixture: one app on its own database, with one registered institution.
 * Read its fields inside tests (they are filled in by beforeAll).
 */
export function useSchool(env: Record<string, string> = {}) {
  const fixture = {} as { app: FastifyInstance; test: TestApp; school: TestInstitution };
  beforeAll(async () => {
    fixture.test = await startTestApp(env);
    fixture.app = fixture.test.app;
    fixture.school = await registerInstitution(fixture.app);
  });
  afterAll(() => fixture.test.close());
  return fixture;
}
