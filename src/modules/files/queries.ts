import type { Insertable, Kysely } from 'kysely';
import { unreferenced } from '../../db/references.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import type { FileTable } from './tables.js';

export const FILE_COLUMNS = ['id', 'name', 'size', 'contentType', 'sha256'] as const;

export function findFile(db: TenantDb, id: string) {
  return db.selectFrom('files').select([...FILE_COLUMNS, 'uploadedBy']).where('id', '=', id).executeTakeFirst();
}

export function findUploaders(db: TenantDb, ids: readonly string[]) {
  return db.selectFrom('files').select(['id', 'uploadedBy']).where('id', 'in', ids).execute();
}

/** Those of `ids` that have a row. */
export async function existingIds(db: TenantDb, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db.selectFrom('files').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

export function insertFiles(db: TenantDb, rows: Insertable<FileTable>[]) {
  return db.insertInto('files').values(rows).returning(FILE_COLUMNS).execute();
}

/**
 * Deletes those of `ids` that nothing refers to, returning their ids. A reference written at the
 * same moment either waits for this delete (and then fails on its foreign key) or makes it fail.
 */
export async function deleteUnreferenced(db: TenantDb, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const free = await unreferenced(db, 'files', 'files');
  const rows = await db.deleteFrom('files').where('id', 'in', ids).where(free).returning('id').execute();
  return rows.map((row) => row.id);
}

/**
 * Deletes a batch of files older than `before` that nothing refers to. Rows another instance's
 * sweep holds are skipped (`skip locked`), so several instances sweep side by side.
 */
export async function deleteOrphans(db: TenantDb, before: Date, limit: number): Promise<string[]> {
  const free = await unreferenced(db, 'files', 'files');
  const rows = await db
    .deleteFrom('files')
    .where('id', 'in', (eb) =>
      eb.selectFrom('files').select('id').where('createdAt', '<', before.toISOString()).where(free).orderBy('createdAt').limit(limit).forUpdate().skipLocked(),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export function institutionIds(db: Kysely<Database>) {
  return db.selectFrom('registry.institutions').select(['id', 'schemaName']).execute();
}
