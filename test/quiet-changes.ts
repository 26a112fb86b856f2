import { type Kysely, sql } from 'kysely';
import { tenantDb } from '../src/db/tenant-schema.js';
import type { Database } from '../src/db/types.js';

/**
 * For the tests of per-instance caches kept in step by notifications (plugins/notified-cache.ts).
 * Changes rows of a tenant without firing triggers (replica mode): no instance hears of it, so an
 * instance that still answers the old value answered from its cache.
 */
export async function silently(db: Kysely<Database>, schemaName: string, change: (tenant: ReturnType<typeof tenantDb>) => Promise<unknown>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await change(tenantDb(trx, schemaName));
  });
}

/** Lets notifications of earlier changes land: one arriving after an answer is cached would evict it. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
