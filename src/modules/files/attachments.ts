import type { TenantDb } from '../../db/tenant-schema.js';
import { badRequest, type ErrorDetail } from '../../lib/errors.js';
import type { FileStorage } from '../../lib/storage/index.js';
import * as queries from './queries.js';

/**
 * What other modules (assignments, submissions) use to attach uploaded files. An attaching table
 * has `"fileId" uuid not null references files (id) on delete restrict`; nothing else is needed
 * for the files module to know the file is held (db/references.ts reads the catalog).
 */

/**
 * Every id names a file `uploaderId` uploaded, each once; otherwise 400 VALIDATION_ERROR with one
 * detail per bad entry, named as the validator names items (`fileIds.2`). Someone else's file
 * answers like an unknown one, so ids cannot be probed. Call it in the attaching transaction.
 */
export async function assertOwnUploads(db: TenantDb, uploaderId: string, fileIds: string[]): Promise<void> {
  if (fileIds.length === 0) return;
  const own = new Set((await queries.findUploaders(db, [...new Set(fileIds)])).filter((row) => row.uploadedBy === uploaderId).map((row) => row.id));
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  fileIds.forEach((id, index) => {
    const field = `fileIds.${index}`;
    if (seen.has(id)) details.push({ field, message: `lists the file ${id} a second time` });
    else if (!own.has(id)) details.push({ field, message: `the file ${id} does not exist or was not uploaded by you` });
    seen.add(id);
  });
  if (details.length) throw badRequest(`Some files cannot be attached: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
}

/**
 * Inside the caller's transaction, deletes the rows of those files nothing refers to any more
 * (the caller has just removed its own references) and returns their ids. After the commit the
 * caller removes their bytes: `app.fileStorage.remove(institutionId, ids)`, or `removeStoredFiles`
 * below, which also logs instead of failing the already committed request.
 */
export function deleteFilesIfUnreferenced(db: TenantDb, fileIds: string[]): Promise<string[]> {
  return queries.deleteUnreferenced(db, [...new Set(fileIds)]);
}

/**
 * Removes the bytes of files whose rows are gone. A failure is logged, not thrown: the change that
 * deleted the rows is committed, and bytes without a row are unreachable (they are only disk).
 */
export async function removeStoredFiles(
  storage: FileStorage,
  institutionId: string,
  fileIds: string[],
  log: { warn(details: object, message: string): void },
): Promise<void> {
  if (fileIds.length === 0) return;
  try {
    await storage.remove(institutionId, fileIds);
  } catch (error) {
    log.warn({ err: error, institutionId, fileIds }, 'could not remove the bytes of deleted files');
  }
}
