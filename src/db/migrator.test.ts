import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp, testConfig, unique } from '../../test/helpers.js';
import { buildApp } from '../app.js';
import { registerInstitution } from '../modules/setup/service.js';
import { loadMigrations, type Migration, migrateTenants } from './migrator.js';
import { tenantSchemaName } from './tenant-schema.js';

let t: TestApp;
let tenantMigrations: Migration[];
beforeAll(async () => {
  t = await startTestApp();
  tenantMigrations = await loadMigrations('tenant');
});
afterAll(() => t.close());

const newInstitution = () =>
  registerInstitution(t.app.db, tenantMigrations, {
    username: unique('mig_'),
    password: PASSWORD,
    name: 'Migrator',
    institutionName: unique('Migration School '),
  });

async function appliedIn(schema: string): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from ${sql.table(`${schema}.schemaMigrations`)} order by name`.execute(t.app.db);
  return result.rows.map((row) => row.name);
}

async function tableExists(schema: string, table: string): Promise<boolean> {
  const result = await sql`select 1 from information_schema.tables where table_schema = ${schema} and table_name = ${table}`.execute(t.app.db);
  return result.rows.length === 1;
}

async function schemaVersion(institutionId: string) {
  const row = await t.app.db.selectFrom('registry.institutions').select('schemaVersion').where('id', '=', institutionId).executeTakeFirstOrThrow();
  return row.schemaVersion;
}

const addNotes: Migration = {
  name: '9000_notes',
  up: async (db) => {
    await sql`create table notes (id uuid primary key default gen_random_uuid(), body text not null)`.execute(db);
  },
};

describe('migrations', () => {
  it('records what was applied in each schema: the registry and every tenant', async () => {
    expect(await appliedIn('registry')).toEqual((await loadMigrations('registry')).map((m) => m.name));
    const { institution } = await newInstitution();
    expect(await appliedIn(institution.schemaName)).toEqual(tenantMigrations.map((m) => m.name));
    expect(await schemaVersion(institution.id)).toBe(tenantMigrations.at(-1)!.name);
  });

  it('applies a new tenant migration to every existing tenant once; a failing tenant is reported, rolled back and does not stop the others', async () => {
    const a = (await newInstitution()).institution;
    const b = (await newInstitution()).institution;
    const broken = (await newInstitution()).institution;
    // This tenant already has a table of that name, so the new migration fails there.
    await sql.raw(`create table "${broken.schemaName}".notes (id int)`).execute(t.app.db);

    const report = await migrateTenants(t.app.db, [...tenantMigrations, addNotes]);
    expect(report.failed.map((f) => f.institutionId)).toEqual([broken.id]);
    expect(report.failed[0]!.error.message).toContain('notes');
    for (const ok of [a, b]) {
      expect(await tableExists(ok.schemaName, 'notes')).toBe(true);
      expect(await appliedIn(ok.schemaName)).toContain('9000_notes');
      expect(await schemaVersion(ok.id)).toBe('9000_notes');
    }
    expect(await appliedIn(broken.schemaName)).not.toContain('9000_notes');
    expect(await schemaVersion(broken.id)).toBe(tenantMigrations.at(-1)!.name);

    await sql.raw(`drop table "${broken.schemaName}".notes`).execute(t.app.db);
    const retry = await migrateTenants(t.app.db, [...tenantMigrations, addNotes]);
    expect(retry.failed).toEqual([]);
    expect(retry.migrated).toBe(1);
    expect(await tableExists(broken.schemaName, 'notes')).toBe(true);

    const again = await migrateTenants(t.app.db, [...tenantMigrations, addNotes]);
    expect(again).toMatchObject({ migrated: 0, failed: [] });
  });

  it('brings pending tenants up to date at start-up, and starts even when one tenant fails', async () => {
    async function registryOnlyTenant(prepare?: (schema: string) => Promise<void>) {
      const id = randomUUID();
      const schemaName = tenantSchemaName(id);
      await t.app.db.insertInto('registry.institutions').values({ id, name: 'Pending', code: unique('P').slice(0, 9).toUpperCase(), schemaName }).execute();
      await sql.raw(`create schema "${schemaName}"`).execute(t.app.db);
      await prepare?.(schemaName);
      return { id, schemaName };
    }
    const pending = await registryOnlyTenant();
    const failing = await registryOnlyTenant((schema) => sql.raw(`create table "${schema}".users (id int)`).execute(t.app.db).then(() => undefined));

    const restarted = await buildApp({ config: testConfig(), database: t.database });
    await restarted.ready();
    expect(await appliedIn(pending.schemaName)).toEqual(expect.arrayContaining(tenantMigrations.map((m) => m.name)));
    expect(await tableExists(pending.schemaName, 'activityLogs')).toBe(true);
    expect(await schemaVersion(failing.id)).toBeNull();
    expect(await tableExists(failing.schemaName, 'activityLogs')).toBe(false);
    const health = await restarted.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    await restarted.close();
  });
});
