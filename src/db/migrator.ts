import { readdir } from 'node:fs/promises';
import { type Kysely, sql, type Transaction } from 'kysely';
import { quoteTenantSchema } from './tenant-schema.js';
import type { Database } from './types.js';

/**
 * A migration runs inside its schema's transaction with search_path set to that schema, so its
 * SQL names tables without a schema and the same file serves every tenant.
 */
export interface Migration {
  name: string;
  up(db: Kysely<Database>): Promise<void>;
}

export type MigrationSet = 'registry' | 'tenant';

const MIGRATION_FILE = /^\d{4}_[\w-]+\.(ts|js)$/;

/** Every file in db/migrations/<set>/ named NNNN_description, in name order. */
export async function loadMigrations(set: MigrationSet): Promise<Migration[]> {
  const dir = new URL(`./migrations/${set}/`, import.meta.url);
  const files = (await readdir(dir)).filter((file) => MIGRATION_FILE.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const module = (await import(new URL(file, dir).href)) as { up: Migration['up'] };
      return { name: file.replace(/\.(ts|js)$/, ''), up: module.up };
    }),
  );
}

/**
 * Applies the migrations this schema has not recorded yet, inside the caller's transaction.
 * The advisory lock serialises API instances that start at the same time.
 */
export async function migrateSchema(
  trx: Transaction<Database>,
  quotedSchema: string,
  migrations: Migration[],
): Promise<string[]> {
  await sql`select pg_advisory_xact_lock(hashtext(${quotedSchema}))`.execute(trx);
  await sql.raw(`create schema if not exists ${quotedSchema}`).execute(trx);
  await sql.raw(`set local search_path to ${quotedSchema}`).execute(trx);
  await sql`create table if not exists "schemaMigrations" (
    name text primary key,
    "appliedAt" timestamptz not null default now()
  )`.execute(trx);
  const done = await sql<{ name: string }>`select name from "schemaMigrations"`.execute(trx);
  const applied = new Set(done.rows.map((row) => row.name));
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    await migration.up(trx);
    await sql`insert into "schemaMigrations" (name) values (${migration.name})`.execute(trx);
    newlyApplied.push(migration.name);
  }
  return newlyApplied;
}

export async function migrateRegistry(db: Kysely<Database>, migrations: Migration[]): Promise<string[]> {
  return db.transaction().execute((trx) => migrateSchema(trx, '"registry"', migrations));
}

/** Creates or updates one institution's schema and records its version, inside the caller's transaction. */
export async function migrateTenantSchema(
  trx: Transaction<Database>,
  institutionId: string,
  schemaName: string,
  migrations: Migration[],
): Promise<void> {
  await migrateSchema(trx, quoteTenantSchema(schemaName), migrations);
  await recordTenantVersion(trx, institutionId, migrations);
}

async function recordTenantVersion(trx: Transaction<Database>, institutionId: string, migrations: Migration[]) {
  await trx
    .updateTable('registry.institutions')
    .set({ schemaVersion: migrations.at(-1)?.name ?? null })
    .where('id', '=', institutionId)
    .execute();
}

export interface TenantMigrationFailure {
  institutionId: string;
  schemaName: string;
  error: Error;
}

export interface TenantMigrationReport {
  migrated: number;
  upToDate: number;
  failed: TenantMigrationFailure[];
}

/**
 * Brings every institution behind the newest tenant migration up to date, each in its own
 * transaction: one tenant that fails is reported and rolled back, and the others go on.
 * The registry's schemaVersion lets start-up skip tenants that are current without touching them.
 */
export async function migrateTenants(db: Kysely<Database>, migrations: Migration[]): Promise<TenantMigrationReport> {
  const latest = migrations.at(-1)?.name ?? null;
  const [{ total } = { total: 0 }] = await db
    .selectFrom('registry.institutions')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .execute();
  const behind = await db
    .selectFrom('registry.institutions')
    .select(['id', 'schemaName'])
    .where((eb) => (latest === null ? eb.val(false) : eb('schemaVersion', 'is distinct from', latest)))
    .orderBy('createdAt')
    .execute();
  const report: TenantMigrationReport = { migrated: 0, upToDate: Number(total) - behind.length, failed: [] };
  for (const tenant of behind) {
    try {
      await db.transaction().execute((trx) => migrateTenantSchema(trx, tenant.id, tenant.schemaName, migrations));
      report.migrated += 1;
    } catch (error) {
      report.failed.push({ institutionId: tenant.id, schemaName: tenant.schemaName, error: error as Error });
    }
  }
  return report;
}
