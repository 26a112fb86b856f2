import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { loadMigrations, migrateRegistry } from '../src/db/migrator.js';
import { PGlitePool } from '../src/db/pglite-pool.js';
import type { Database } from '../src/db/types.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated database each test file's database is created from. */
    templateDatabase: string;
    /** PGlite: the migrated template's files as a `dumpDataDir()` tarball, which each test file loads. */
    pgliteTemplate: string;
  }
}

/**
 * In-memory PGlite, started from a dump when given one. Built here because openDatabase has no
 * option to hand PGlite a dump, and the template needs the pool itself to make one.
 */
export async function openPGlite(loadDataDir?: Blob): Promise<DatabaseHandle & { pool: PGlitePool }> {
  const pool = await PGlitePool.open(undefined, { loadDataDir });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return { db, kind: 'pglite', listen: (channel, handlers) => pool.listen(channel, handlers), pool };
}

/** A template has no institutions, so there are no tenant schemas to migrate yet. */
async function migrate(db: Kysely<Database>): Promise<void> {
  await migrateRegistry(db, await loadMigrations('registry'));
}

/** One statement on a connection of its own: the run is long, and an idle connection may be cut. */
async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function postgresTemplate(project: TestProject, serverUrl: string) {
  const name = `crm_template_${randomBytes(6).toString('hex')}`;
  await runOnServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { db } = await openDatabase({ databaseUrl: url.href, poolSize: 1 });
  await migrate(db);
  // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template; it waits up to
  // 5 s for sessions that are ending, such as these after pool.end().
  await db.destroy();
  project.provide('templateDatabase', name);
  return () => runOnServer(serverUrl, `drop database if exists ${name} with (force)`);
}

async function pgliteTemplate(project: TestProject) {
  const { db, pool } = await openPGlite();
  await migrate(db);
  const dump = await pool.dumpDataDir();
  await db.destroy();
  const dir = await mkdtemp(path.join(tmpdir(), 'crm-template-'));
  const file = path.join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rm(dir, { recursive: true, force: true });
}

/**
 * Runs the migrations once per `npm test` instead of once per test file: every file starts from a
 * copy of the migrated template. Built anew each run, so it always has the current migrations.
 *
 * An institution a test registers still runs the tenant migrations in its new schema (0.2-0.3 s
 * with three migrations, next to 0.06-0.15 s of argon2). There is no template schema to copy:
 * PostgreSQL cannot copy a schema, and rebuilding one from the catalog would be a second way of
 * creating tenants that production never uses.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? postgresTemplate(project, serverUrl) : pgliteTemplate(project);
}
