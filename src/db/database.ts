import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool.js';
import type { Database } from './types.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without it the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; undefined keeps it in memory. */
  pgliteDir?: string | undefined;
  poolSize?: number;
  /** Told when an idle pooled connection dies (say, the server restarted); the pool replaces it. */
  onIdleConnectionError?: (error: Error) => void;
}

const PG_DATE_OID = 1082;
// DATE stays 'YYYY-MM-DD': pg's default turns it into a Date at local midnight, which shifts days.
pg.types.setTypeParser(PG_DATE_OID, (value: string) => value);

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  let pool: pg.Pool | PGlitePool;
  let kind: DatabaseKind;
  if (options.databaseUrl) {
    const pgPool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // Without a listener, pg's 'error' event for an idle connection would end the process.
    pgPool.on('error', (error) => options.onIdleConnectionError?.(error));
    pool = pgPool;
    kind = 'postgres';
  } else {
    if (options.pgliteDir) mkdirSync(path.dirname(options.pgliteDir), { recursive: true });
    pool = await PGlitePool.open(options.pgliteDir);
    kind = 'pglite';
  }
  const db = new Kysely<Database>({
    // The PGlite pool implements the part of pg.Pool that the dialect uses.
    dialect: new PostgresDialect({ pool: pool as pg.Pool }),
    // JSON columns keep their keys as written; only column names are mapped.
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  return { db, kind };
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
