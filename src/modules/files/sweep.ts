import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { tenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import type { FileStorage } from '../../lib/storage/index.js';
import { removeStoredFiles } from './attachments.js';
import { deleteOrphans, institutionIds } from './queries.js';

const SWEEP_BATCH = 500;

export interface SweepOptions {
  /** Files created before `now - ttlMs` that nothing refers to are deleted. */
  ttlMs: number;
  now?: Date;
  log: FastifyBaseLogger;
}

/**
 * Deletes uploaded files nothing refers to once they are older than the TTL (an upload whose
 * assignment or submission was never saved), rows first and then their bytes, in every
 * institution. Returns how many were deleted. Safe to run on several instances at once.
 */
export async function sweepOrphanFiles(db: Kysely<Database>, storage: FileStorage, { ttlMs, now = new Date(), log }: SweepOptions): Promise<number> {
  const before = new Date(now.getTime() - ttlMs);
  let deleted = 0;
  for (const institution of await institutionIds(db)) {
    try {
      for (;;) {
        const ids = await db.transaction().execute((trx) => deleteOrphans(tenantDb(trx, institution.schemaName), before, SWEEP_BATCH));
        await removeStoredFiles(storage, institution.id, ids, log);
        deleted += ids.length;
        if (ids.length < SWEEP_BATCH) break;
      }
    } catch (error) {
      // The institution may have been deleted meanwhile; the next sweep tries the others again.
      log.warn({ err: error, institutionId: institution.id }, 'could not sweep the orphaned files of an institution');
    }
  }
  return deleted;
}
