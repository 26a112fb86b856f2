import { type Insertable, type Kysely, sql } from 'kysely';
import { compiledStatement } from '../../db/compiled-statements.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { teachesClass } from '../assignments/policy.js';
import type { GuardianLinkTable } from './tables.js';

/** Whether the guardian is linked to the student (whatever either account's state). */
export async function isGuardianOf(db: TenantDb, guardianId: string, studentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('guardianLinks')
    .select('studentId')
    .where('guardianId', '=', guardianId)
    .where('studentId', '=', studentId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The active guardians of each of these students, one row per link. */
export async function guardiansOf(
  db: TenantDb,
  studentIds: readonly string[],
): Promise<{ studentId: string; guardianId: string }[]> {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('guardianLinks')
    .innerJoin('users', 'users.id', 'guardianLinks.guardianId')
    .select(['guardianLinks.studentId', 'guardianLinks.guardianId'])
    .where('guardianLinks.studentId', 'in', studentIds)
    .where('users.isActive', '=', true)
    .orderBy('guardianLinks.studentId')
    .orderBy('guardianLinks.guardianId')
    .execute();
}

/** The student ids of the guardian's children. */
export async function childrenOf(db: TenantDb, guardianId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('guardianLinks')
    .select('studentId')
    .where('guardianId', '=', guardianId)
    .orderBy('studentId')
    .execute();
  return rows.map((row) => row.studentId);
}

/**
 * Whether the teacher teaches a class of one of the guardian's children (of `studentId` only, when
 * it is given): the two then share a child, and may write to each other about them.
 */
export async function sharesChild(db: TenantDb, guardianId: string, teacherId: string, studentId?: string): Promise<boolean> {
  let query = db
    .selectFrom('guardianLinks as gl')
    .innerJoin('enrollments as e', 'e.studentId', 'gl.studentId')
    .select('gl.studentId')
    .where('gl.guardianId', '=', guardianId)
    .where((eb) => teachesClass(teacherId, eb.ref('e.classId')));
  if (studentId !== undefined) query = query.where('gl.studentId', '=', studentId);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/** The student's guardians, the primary one first, then by name. */
export function guardianLinks(db: TenantDb, studentId: string) {
  return db
    .selectFrom('guardianLinks as gl')
    .innerJoin('users as g', 'g.id', 'gl.guardianId')
    .select(['gl.guardianId', 'g.name', 'g.username', 'g.email', 'g.phone', 'g.isActive', 'gl.relationship', 'gl.primary', 'gl.createdAt'])
    .where('gl.studentId', '=', studentId)
    .orderBy('gl.primary', 'desc')
    .orderBy(sql`lower(g.name)`)
    .orderBy('gl.guardianId')
    .execute();
}

export async function guardianLink(db: TenantDb, studentId: string, guardianId: string) {
  const links = await guardianLinks(db, studentId);
  return links.find((link) => link.guardianId === guardianId);
}

/** Locks the student's row: link changes of one student run one after another (one primary). */
export async function lockStudent(db: TenantDb, studentId: string): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', studentId).forUpdate().execute();
}

/** Clears the student's primary guardian; the guardian it was, if any. */
export async function clearPrimary(db: TenantDb, studentId: string): Promise<string | undefined> {
  const row = await db
    .updateTable('guardianLinks')
    .set({ primary: false })
    .where('studentId', '=', studentId)
    .where('primary', '=', true)
    .returning('guardianId')
    .executeTakeFirst();
  return row?.guardianId;
}

export async function insertLinks(db: TenantDb, links: Insertable<GuardianLinkTable>[]): Promise<void> {
  if (links.length > 0) await db.insertInto('guardianLinks').values(links).execute();
}

export async function deleteLink(db: TenantDb, studentId: string, guardianId: string) {
  return db.deleteFrom('guardianLinks').where('studentId', '=', studentId).where('guardianId', '=', guardianId).returning(['relationship', 'primary']).executeTakeFirst();
}

/** The user's role, or undefined when the institution has no user with this id. */
export async function roleOf(db: TenantDb, id: string) {
  const row = await db.selectFrom('users').select(['role', 'isActive']).where('id', '=', id).executeTakeFirst();
  return row;
}

/**
 * The guardian's children with their class and homeroom teacher (`ChildList`), written as JSON by
 * PostgreSQL in one statement: a guardian's start page. Deactivated children are left out of the
 * list but not out of `tags`, the cache tags of what the answer shows (modules/guardians/cache.ts):
 * each linked child, their classes and homeroom teachers.
 */
const childrenStatement = compiledStatement((db: Kysely<Database>, params: { guardianId: string }) => {
  const child = sql`json_build_object(
    'id', s.id, 'name', s.name, 'username', s.username, 'dateOfBirth', s."dateOfBirth",
    'relationship', gl.relationship, 'primary', gl."primary",
    'class', case when c.id is null then null else json_build_object('id', c.id, 'name', c.name, 'grade', c.grade, 'section', c.section) end,
    'homeroomTeacher', case when t.id is null then null else json_build_object('id', t.id, 'name', t.name) end)`;
  return db
    .selectFrom('guardianLinks as gl')
    .innerJoin('users as s', 's.id', 'gl.studentId')
    .leftJoin('enrollments as e', 'e.studentId', 's.id')
    .leftJoin('classes as c', 'c.id', 'e.classId')
    .leftJoin('users as t', 't.id', 'c.homeroomTeacherId')
    .select([
      sql<string>`coalesce(json_agg(${child} order by lower(s.name), s.id) filter (where s."isActive"), '[]'::json)::text`.as('json'),
      sql<string>`concat_ws(' ', string_agg('user:' || s.id, ' '), string_agg(distinct 'class:' || c.id, ' '), string_agg(distinct 'user:' || t.id, ' '))`.as('tags'),
    ])
    .where('gl.guardianId', '=', params.guardianId);
});

export async function childrenJson(db: TenantDb, guardianId: string): Promise<{ json: string; tags: string[] }> {
  const [row] = await childrenStatement(db, { guardianId });
  return { json: row!.json, tags: row!.tags ? row!.tags.split(' ') : [] };
}
