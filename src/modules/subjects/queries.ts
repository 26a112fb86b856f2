import type { Insertable, Updateable } from 'kysely';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import { containsPattern } from '../../lib/record-fields.js';
import type { ListSubjectsQuery } from './schemas.js';
import type { SubjectTable } from './tables.js';

/** The columns of `SubjectView`, in its order: list pages are written as JSON from exactly these. */
const SUBJECT_COLUMNS = ['id', 'name', 'code', 'color', 'createdAt', 'updatedAt'] as const;

interface SubjectFilters extends Record<string, unknown> {
  /** An ILIKE pattern matched against name and code. */
  pattern?: string | undefined;
}

const subjectPages = jsonPages((db, filters: SubjectFilters) => {
  let filtered = db.selectFrom('subjects');
  const { pattern } = filters;
  if (pattern !== undefined) filtered = filtered.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('code', 'ilike', pattern)]));
  // Names are unique ignoring case, so this order is total (and served by the unique index).
  return filtered.select(SUBJECT_COLUMNS).orderBy((eb) => eb.fn('lower', ['name']));
});

export function listSubjects(db: TenantDb, query: ListSubjectsQuery) {
  return subjectPages(db, { pattern: containsPattern(query.q) }, query);
}

/** With `lock`, the row stays as read until the transaction ends, and nothing new can point at it. */
export function findSubject(db: TenantDb, id: string, lock = false) {
  return db
    .selectFrom('subjects')
    .select(SUBJECT_COLUMNS)
    .where('id', '=', id)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
}

export function insertSubject(db: TenantDb, subject: Insertable<SubjectTable>) {
  return db.insertInto('subjects').values(subject).returning(SUBJECT_COLUMNS).executeTakeFirstOrThrow();
}

export function updateSubject(db: TenantDb, id: string, changes: Updateable<SubjectTable>) {
  return db
    .updateTable('subjects')
    .set({ ...changes, updatedAt: new Date() })
    .where('id', '=', id)
    .returning(SUBJECT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function deleteSubject(db: TenantDb, id: string) {
  return db.deleteFrom('subjects').where('id', '=', id).execute();
}
