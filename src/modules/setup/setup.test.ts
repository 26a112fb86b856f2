import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PASSWORD, startTestApp, type TestApp, unique } from '../../../test/helpers.js';
import { loadMigrations, type Migration } from '../../db/migrator.js';
import { registerInstitution } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function institutionCount() {
  const row = await t.app.db.selectFrom('registry.institutions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function tenantSchemaCount() {
  const result = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname like 'tenant\\_%'`.execute(t.app.db);
  return result.rows[0]!.n;
}

describe('POST /api/setup/admin', () => {
  it('creates the institution with a short code, its admin and its schema', async () => {
    const username = unique('founder_');
    const response = await call(t.app, 'POST', '/api/setup/admin', {
      body: { username, password: PASSWORD, name: 'Grace Hopper', institutionName: 'Hopper Academy', email: 'grace@hopper.example' },
    });
    expect(response.statusCode).toBe(201);
    const { institution, admin } = response.data;
    expect(institution).toEqual({ id: expect.any(String), name: 'Hopper Academy', code: expect.stringMatching(/^[A-Z2-9]{6}$/) });
    expect(admin).toEqual({ id: expect.any(String), username, name: 'Grace Hopper', email: 'grace@hopper.example', role: 'admin' });
    expect(response.body).not.toContain('password');
    expect(response.body).not.toContain('schemaName');

    // Every tenant migration ran in the new schema; the tables each module declares come with them.
    const schema = `tenant_${institution.id.replaceAll('-', '')}`;
    const applied = await sql<{ name: string }>`select name from ${sql.id(schema, 'schemaMigrations')} order by name`.execute(t.app.db);
    expect(applied.rows.map((r) => r.name)).toEqual((await loadMigrations('tenant')).map((m) => m.name).sort());
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = ${schema}
    `.execute(t.app.db);
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['activityLogs', 'users', 'classes', 'lessons', 'assignments', 'files', 'messages', 'events', 'calendarEvents']),
    );

    const master = await t.app.db
      .selectFrom('registry.masterActivityLogs')
      .selectAll()
      .where('institutionId', '=', institution.id)
      .execute();
    expect(master).toMatchObject([{ action: 'create', username, adminId: admin.id, institutionName: 'Hopper Academy' }]);
  });

  it('refuses an admin username already used by any institution, ignoring case, and changes nothing', async () => {
    const username = unique('taken_');
    const body = { username, password: PASSWORD, name: 'First', institutionName: 'First School' };
    expect((await call(t.app, 'POST', '/api/setup/admin', { body })).statusCode).toBe(201);
    const before = [await institutionCount(), await tenantSchemaCount()];

    const clash = await call(t.app, 'POST', '/api/setup/admin', {
      body: { ...body, username: username.toUpperCase(), institutionName: 'Second School' },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.data).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already taken') });
    expect([await institutionCount(), await tenantSchemaCount()]).toEqual(before);
  });

  it('rejects invalid input with field details', async () => {
    const response = await call(t.app, 'POST', '/api/setup/admin', {
      body: { username: 'a b', password: 'short', name: '', institutionName: 'X', email: 'not-an-email', plan: 'gold' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('VALIDATION_ERROR');
    const fields = (response.data.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password', 'name', 'institutionName', 'email', 'plan']));
  });

  it('leaves no registry row, admin or schema behind when creating the tenant schema fails', async () => {
    const failing: Migration = {
      name: '9999_fails',
      up: async (db) => {
        await sql`create table will_be_rolled_back (id int)`.execute(db);
        throw new Error('disk full');
      },
    };
    const before = [await institutionCount(), await tenantSchemaCount()];
    const username = unique('doomed_');
    await expect(
      registerInstitution(t.app.db, [...(await loadMigrations('tenant')), failing], {
        username,
        password: PASSWORD,
        name: 'Doomed',
        institutionName: 'Doomed School',
      }),
    ).rejects.toThrow('disk full');
    expect([await institutionCount(), await tenantSchemaCount()]).toEqual(before);
    const admin = await t.app.db.selectFrom('registry.admins').select('id').where('username', '=', username).executeTakeFirst();
    expect(admin).toBeUndefined();
  });

  it('lets one IP create only SIGNUP_RATE_LIMIT_PER_IP institutions per window; invalid sign-ups do not count', async () => {
    const limited = await startTestApp({ SIGNUP_RATE_LIMIT_PER_IP: '2' });
    try {
      const signUp = (ip: string, body: Record<string, unknown> = {}) =>
        call(limited.app, 'POST', '/api/setup/admin', {
          remoteAddress: ip,
          body: { username: unique('founder_'), password: PASSWORD, name: 'Founder', institutionName: 'Limited School', ...body },
        });
      expect((await signUp('10.30.0.1', { password: 'short' })).statusCode).toBe(400);
      expect((await signUp('10.30.0.1')).statusCode).toBe(201);
      expect((await signUp('10.30.0.1')).statusCode).toBe(201);
      const before = await limited.app.db.selectFrom('registry.institutions').select('id').execute();
      const refused = await signUp('10.30.0.1');
      expect(refused.statusCode).toBe(429);
      expect(refused.data).toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
      expect(await limited.app.db.selectFrom('registry.institutions').select('id').execute()).toEqual(before);
      expect((await signUp('10.30.0.2')).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});
