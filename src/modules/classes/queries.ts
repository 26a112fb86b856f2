import { type ExpressionBuilder, type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import type { ListClassesQuery } from './schemas.js';
import type { ClassTable } from './tables.js';

type ClassScope = ExpressionBuilder<Database, 'classes'>;

/** How many students the class holds. */
function studentCount(eb: ClassScope) {
  return eb
    .selectFrom('enrollments')
    .select(sql<number>`count(*)::int`.as('count'))
    .whereRef('enrollments.classId', '=', 'classes.id')
    .$asScalar()
    .$notNull();
}

/** The columns of `ClassSummary`, in its order. */
function summaryColumns(eb: ClassScope) {
  return [
    'classes.id',
    'classes.name',
    'classes.grade',
    'classes.section',
    jsonObjectFrom(eb.selectFrom('users').select(['users.id', 'users.name']).whereRef('users.id', '=', 'classes.homeroomTeacherId')).as(
      'homeroomTeacher',
    ),
    studentCount(eb).as('studentCount'),
    'classes.maxStudents',
    'classes.compactDays',
  ] as const;
}

/** The teacher teaches in the class: per its curriculum or per its lessons. */
function taughtBy(eb: ClassScope, teacherId: string) {
  return eb.or([
    eb.exists(eb.selectFrom('curriculum').select('curriculum.classId').whereRef('curriculum.classId', '=', 'classes.id').where('curriculum.teacherId', '=', teacherId)),
    eb.exists(eb.selectFrom('lessons').select('lessons.id').whereRef('lessons.classId', '=', 'classes.id').where('lessons.teacherId', '=', teacherId)),
  ]);
}

interface ClassFilters extends Record<string, unknown> {
  grade?: number | undefined;
  teacherId?: string | undefined;
  /** An ILIKE pattern matched against the name. */
  pattern?: string | undefined;
}

const classPages = jsonPages((db: Kysely<Database>, filters: ClassFilters) => {
  let filtered = db.selectFrom('classes');
  if (filters.grade !== undefined) filtered = filtered.where('classes.grade', '=', filters.grade);
  const { teacherId, pattern } = filters;
  if (teacherId !== undefined) filtered = filtered.where((eb) => eb.or([eb('classes.homeroomTeacherId', '=', teacherId), taughtBy(eb, teacherId)]));
  if (pattern !== undefined) filtered = filtered.where('classes.name', 'ilike', pattern);
  return filtered
    .select(summaryColumns)
    .orderBy('classes.grade')
    .orderBy((eb) => eb.fn('lower', ['classes.name']))
    .orderBy('classes.id');
});

export function listClasses(db: TenantDb, query: ListClassesQuery) {
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return classPages(db, { grade: query.grade, teacherId: query.teacherId, pattern }, query);
}

export function findClass(db: TenantDb, id: string) {
  return db
    .selectFrom('classes')
    .select((eb) => [...summaryColumns(eb), 'classes.createdAt', 'classes.updatedAt'])
    .where('classes.id', '=', id)
    .executeTakeFirst();
}

/**
 * The classes a teacher leads or teaches in, each with the subjects they teach there; or, for a
 * student, their class with the subjects it is taught.
 */
export function myClasses(db: TenantDb, who: { teacherId: string } | { studentId: string }) {
  return db
    .selectFrom('classes')
    .select((eb) => {
      const taughtHere = (table: 'curriculum' | 'lessons') => {
        let rows = eb.selectFrom(table).select(`${table}.subjectId`).whereRef(`${table}.classId`, '=', 'classes.id');
        if ('teacherId' in who) rows = rows.where(`${table}.teacherId`, '=', who.teacherId);
        return rows;
      };
      return [
        ...summaryColumns(eb),
        jsonArrayFrom(
          eb
            .selectFrom('subjects')
            .select(['subjects.id', 'subjects.name'])
            .where((inner) => inner.or([inner('subjects.id', 'in', taughtHere('curriculum')), inner('subjects.id', 'in', taughtHere('lessons'))]))
            .orderBy((inner) => inner.fn('lower', ['subjects.name']))
            .orderBy('subjects.id'),
        ).as('subjects'),
      ];
    })
    .where((eb) =>
      'teacherId' in who
        ? eb.or([eb('classes.homeroomTeacherId', '=', who.teacherId), taughtBy(eb, who.teacherId)])
        : eb('classes.id', 'in', eb.selectFrom('enrollments').select('enrollments.classId').where('enrollments.studentId', '=', who.studentId)),
    )
    .orderBy('classes.grade')
    .orderBy((eb) => eb.fn('lower', ['classes.name']))
    .orderBy('classes.id')
    .execute();
}

export function insertClass(db: TenantDb, row: Insertable<ClassTable>) {
  return db.insertInto('classes').values(row).returning('id').executeTakeFirstOrThrow();
}

export function updateClass(db: TenantDb, id: string, changes: Updateable<ClassTable>) {
  return db
    .updateTable('classes')
    .set({ ...changes, updatedAt: new Date() })
    .where('id', '=', id)
    .returning(['id', 'name', 'maxStudents'])
    .executeTakeFirst();
}

/**
 * Locks the class row until the transaction ends: enrollments into one class are counted and
 * written one at a time, so concurrent requests cannot overfill it.
 */
export function lockClass(db: TenantDb, id: string) {
  return db.selectFrom('classes').select(['id', 'name', 'maxStudents']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function countStudents(db: TenantDb, classId: string): Promise<number> {
  const row = await db
    .selectFrom('enrollments')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('classId', '=', classId)
    .executeTakeFirstOrThrow();
  return row.count;
}

/**
 * The users behind these ids, locked against concurrent enrollments of the same student (and
 * against deactivation) until the transaction ends; locked in id order, so no two requests wait
 * on each other in a cycle.
 */
export function lockUsers(db: TenantDb, ids: string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'isActive'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** Where these students are enrolled now. */
export function enrollmentsOf(db: TenantDb, studentIds: string[]) {
  return db
    .selectFrom('enrollments')
    .innerJoin('classes', 'classes.id', 'enrollments.classId')
    .select(['enrollments.studentId', 'classes.id as classId', 'classes.name as className'])
    .where('enrollments.studentId', 'in', studentIds)
    .execute();
}

/** Enrolls the students in the class, moving any who are in another one. */
export function enroll(db: TenantDb, classId: string, studentIds: string[]) {
  return db
    .insertInto('enrollments')
    .values(studentIds.map((studentId) => ({ studentId, classId })))
    .onConflict((oc) => oc.column('studentId').doUpdateSet({ classId, enrolledAt: new Date() }))
    .execute();
}

export function unenroll(db: TenantDb, classId: string, studentId: string) {
  return db.deleteFrom('enrollments').where('classId', '=', classId).where('studentId', '=', studentId).returning('studentId').executeTakeFirst();
}

interface RosterFilters extends Record<string, unknown> {
  classId: string;
}

function roster(db: Kysely<Database>, filters: RosterFilters) {
  return db
    .selectFrom('enrollments')
    .innerJoin('users', 'users.id', 'enrollments.studentId')
    .where('enrollments.classId', '=', filters.classId)
    .orderBy((eb) => eb.fn('lower', ['users.name']))
    .orderBy('users.id');
}

/** The class's students as admins and teachers see them (`ClassStudent`). */
export const rosterPages = jsonPages((db, filters: RosterFilters) =>
  roster(db, filters).select(['users.id', 'users.username', 'users.name', 'users.email']),
);

/** The class's students as its students see them (`Classmate`). */
export const classmatePages = jsonPages((db, filters: RosterFilters) => roster(db, filters).select(['users.id', 'users.name']));

/** Removes the class with everything that hangs off it, and says how many of each went. */
export async function deleteClassCascade(db: TenantDb, id: string) {
  const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);
  const students = count(await db.deleteFrom('enrollments').where('classId', '=', id).executeTakeFirst());
  const curriculum = count(await db.deleteFrom('curriculum').where('classId', '=', id).executeTakeFirst());
  const lessons = count(await db.deleteFrom('lessons').where('classId', '=', id).executeTakeFirst());
  const deleted = await db.deleteFrom('classes').where('id', '=', id).returning(['id', 'name']).executeTakeFirst();
  return deleted && { ...deleted, removed: { students, curriculum, lessons } };
}
