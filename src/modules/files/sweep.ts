import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { tenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import type { FileStorage } from '../../lib/storage/index.js';
import { removeStoredFiles } from './attachments.js';
import { deleteOrphans, existingIds, institutionIds } from './queries.js';

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
 * institution; then stored bytes older than the TTL that have no row at all (a crash between
 * storing and inserting, a failed removal) and temporary files of interrupted writes. Returns how
 * many files were deleted. Safe to run on several instances at once: rows are claimed with
 * `skip locked`, and removing bytes that are already gone is a no-op.
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
      deleted += await sweepLeftovers(db, storage, institution, before, log);
    } catch (error) {
      // The institution may have been deleted meanwhile; the next sweep tries the others again.
      log.warn({ err: error, institutionId: institution.id }, 'could not sweep the orphaned files of an institution');
    }
  }
  return deleted;
}

/**
 * Bytes stored before `before` without a row. The TTL keeps uploads in flight safe: their row is
 * written right after their bytes, within the request.
 */
async function sweepLeftovers(
  db: Kysely<Database>,
  storage: FileStorage,
  institution: { id: string; schemaName: string },
  before: Date,
  log: FastifyBaseLogger,
): Promise<number> {
  let removed = 0;
  for await (const ids of storage.listStored(institution.id, before)) {
    const rows = await existingIds(tenantDb(db, institution.schemaName), ids);
    const leftovers = ids.filter((id) => !rows.has(id));
    if (leftovers.length === 0) continue;
    log.info({ institutionId: institution.id, fileIds: leftovers }, 'removing stored files that have no row');
    await removeStoredFiles(storage, institution.id, leftovers, log);
    removed += leftovers.length;
  }
  await storage.removeStaleTemporaries(institution.id, before);
  return removed;
}
