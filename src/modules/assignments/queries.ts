import { type Expression, expressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from 'kysely/helpers/postgres';
import { compiledStatement } from '../../db/compiled-statements.js';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { enrolledFor } from './policy.js';
import type { ListAssignmentsQuery } from './schemas.js';

/** Builds subqueries and expressions; the tenant schema is applied by the query they end up in. */
const q = expressionBuilder<Database, never>();

/** Files as `FileRef` shows them, through an attachment table, by name. */
export function filesThrough(link: 'assignmentFiles' | 'submissionVersionFiles', owner: Expression<string>) {
  const files = q
    .selectFrom('files as f')
    .select(['f.id', 'f.name', 'f.size', 'f.contentType'])
    .orderBy((eb) => eb.fn('lower', ['f.name']))
    .orderBy('f.id');
  return link === 'assignmentFiles'
    ? jsonArrayFrom(files.innerJoin('assignmentFiles as l', 'l.fileId', 'f.id').where('l.assignmentId', '=', owner))
    : jsonArrayFrom(files.innerJoin('submissionVersionFiles as l', 'l.fileId', 'f.id').where('l.versionId', '=', owner));
}

/** An assignment's classes as `NamedRef`s, by name. */
function classesOf(assignmentId: Expression<string>) {
  return jsonArrayFrom(
    q
      .selectFrom('assignmentClasses as ac')
      .innerJoin('classes as c', 'c.id', 'ac.classId')
      .select(['c.id', 'c.name'])
      .where('ac.assignmentId', '=', assignmentId)
      .orderBy((eb) => eb.fn('lower', ['c.name']))
      .orderBy('c.id'),
  );
}

/** The assignment `a`'s subject as a `NamedRef`, or null. */
const subject = () => jsonObjectFrom(q.selectFrom('subjects as sj').select(['sj.id', 'sj.name']).where('sj.id', '=', sql.ref<string>('a.subjectId')));

const named = (alias: string) => jsonBuildObject({ id: sql.ref<string>(`${alias}.id`), name: sql.ref<string>(`${alias}.name`) });

/** The columns of `AssignmentSummary`, in its order, for a query of `assignments as a` with its teacher `t`. */
function summaryColumns() {
  return [
    'a.id',
    'a.title',
    subject().as('subject'),
    classesOf(sql.ref('a.id')).as('classes'),
    named('t').as('teacher'),
    'a.dueAt',
    'a.maxPoints',
    'a.allowLate',
    'a.createdAt',
    'a.updatedAt',
  ] as const;
}

function withTeacher(db: Kysely<Database>) {
  return db.selectFrom('assignments as a').innerJoin('users as t', 't.id', 'a.teacherId');
}

/** The assignment as `AssignmentDetail` shows it (the response schema orders its fields). */
export function findAssignment(db: TenantDb, id: string) {
  return withTeacher(db)
    .select([...summaryColumns(), 'a.description', filesThrough('assignmentFiles', sql.ref('a.id')).as('files')])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

interface AssignmentFilters extends Record<string, unknown> {
  classId?: string | undefined;
  subjectId?: string | undefined;
  teacherId?: string | undefined;
  /** Only the assignments of this student's class. */
  studentId?: string | undefined;
  dueAfter?: string | undefined;
  dueUntil?: string | undefined;
}

const assignmentPages = jsonPages((db, filters: AssignmentFilters) => {
  let filtered = withTeacher(db);
  const { classId, studentId } = filters;
  if (classId !== undefined) {
    filtered = filtered.where((eb) =>
      eb.exists(eb.selectFrom('assignmentClasses as ac').select('ac.classId').whereRef('ac.assignmentId', '=', 'a.id').where('ac.classId', '=', classId)),
    );
  }
  if (studentId !== undefined) {
    filtered = filtered.where(enrolledFor(studentId, sql.ref('a.id')));
  }
  if (filters.subjectId !== undefined) filtered = filtered.where('a.subjectId', '=', filters.subjectId);
  if (filters.teacherId !== undefined) filtered = filtered.where('a.teacherId', '=', filters.teacherId);
  if (filters.dueAfter !== undefined) filtered = filtered.where('a.dueAt', '>', filters.dueAfter);
  if (filters.dueUntil !== undefined) filtered = filtered.where('a.dueAt', '<=', filters.dueUntil);
  return filtered.select(summaryColumns()).orderBy('a.dueAt').orderBy('a.id');
});

/** A page of assignments, sorted by due date; `studentId` limits it to that student's class. */
export function listAssignments(db: TenantDb, query: ListAssignmentsQuery, studentId: string | undefined) {
  const now = new Date().toISOString();
  return assignmentPages(
    db,
    {
      classId: query.classId,
      subjectId: query.subjectId,
      teacherId: query.teacherId,
      studentId,
      dueAfter: query.due === 'upcoming' ? now : undefined,
      dueUntil: query.due === 'past' ? now : undefined,
    },
    query,
  );
}

/**
 * Where a student stands with an assignment (`StudentStatus`), from their submission row `sub`
 * (null when they have none) and the assignment `a`.
 */
function studentStatus(): RawBuilder<string> {
  return sql<string>`case when ${sql.ref('sub.id')} is null then (case when ${sql.ref('a.dueAt')} <= now() then 'missing' else 'pending' end) else ${sql.ref('sub.status')} end`;
}

/** Points are shown once graded, never while a submission waits or was handed back. */
const gradedPoints = () => sql<number | null>`case when ${sql.ref('sub.status')} = 'graded' then ${sql.ref('sub.points')} end`;

const lateFlag = () => sql<boolean>`coalesce(${sql.ref('sub.late')}, false)`;

/**
 * The students an assignment is for: those enrolled in its classes now, and any who submitted to it
 * and have left its classes since (their work is still there to grade).
 */
function assignmentStudents(assignmentId: Expression<string> | string) {
  return q
    .selectFrom('enrollments as e')
    .innerJoin('assignmentClasses as ac', 'ac.classId', 'e.classId')
    .select('e.studentId')
    .where('ac.assignmentId', '=', assignmentId)
    .union(q.selectFrom('submissions as s0').select('s0.studentId').where('s0.assignmentId', '=', assignmentId));
}

/** What a my-assignments statement answers: the JSON array, and what a cached copy of it depends on. */
export interface MyAssignmentsRow {
  items: string;
  /** The earliest due date still ahead (ms since the epoch): a status or count changes then. */
  validUntil: number | null;
  /** The classes whose changes can change it, comma-separated. */
  classIds: string | null;
}

/**
 * A JSON array of the rows of `build` in their order, written by PostgreSQL: the list's whole
 * answer in one statement (see db/json-page.ts for why, and for the key order), with, read in the
 * same snapshot, the earliest due date still ahead among its rows and the classes `classIdsOf`
 * names (the cache in cache.ts stores the answer until then, evicted by changes to those classes).
 */
function myAssignmentsStatement<P extends Record<string, unknown>>(
  build: (db: Kysely<Database>, params: P) => SelectQueryBuilder<any, any, unknown>,
  classIdsOf: (params: P) => SelectQueryBuilder<any, any, { classId: string }>,
) {
  const statement = compiledStatement((db: Kysely<Database>, params: P) => {
    const rows = build(db, params);
    const array = sql<MyAssignmentsRow>`select coalesce('[' || string_agg(row_to_json("row")::text, ',') || ']', '[]') as "items",
      (extract(epoch from min("row"."dueAt") filter (where "row"."dueAt" > now())) * 1000)::float8 as "validUntil",
      (select string_agg("classId"::text, ',') from (${classIdsOf(params)}) as "c") as "classIds"
      from (${rows}) as "row"`;
    return { compile: () => array.compile(db) };
  });
  return async (db: TenantDb, params: P): Promise<MyAssignmentsRow> => (await statement(db, params))[0]!;
}

/** A student's assignments with where they stand on each (`MyAssignmentAsStudent`), by due date; the classes they are in. */
export const studentAssignmentsJson = myAssignmentsStatement(
  (db, params: { studentId: string }) =>
    withTeacher(db)
      .leftJoin('submissions as sub', (join) => join.onRef('sub.assignmentId', '=', 'a.id').on('sub.studentId', '=', params.studentId))
      .select([
        'a.id',
        'a.title',
        subject().as('subject'),
        named('t').as('teacher'),
        'a.dueAt',
        'a.maxPoints',
        'a.allowLate',
        studentStatus().as('status'),
        lateFlag().as('late'),
        'sub.id as submissionId',
        'sub.submittedAt',
        gradedPoints().as('points'),
        'sub.feedback',
        'sub.gradedAt',
      ])
      .where(enrolledFor(params.studentId, sql.ref('a.id')))
      .orderBy('a.dueAt')
      .orderBy('a.id'),
  (params) => q.selectFrom('enrollments as e').select('e.classId').where('e.studentId', '=', params.studentId),
);

/** A teacher's own assignments with how their students stand (`MyAssignmentAsTeacher`), by due date; the classes they are for. */
export const teacherAssignmentsJson = myAssignmentsStatement(
  (db, params: { teacherId: string }) =>
    db
      .selectFrom('assignments as a')
      .select((eb) => [
        'a.id',
        'a.title',
        subject().as('subject'),
        classesOf(sql.ref('a.id')).as('classes'),
        'a.dueAt',
        'a.maxPoints',
        'a.allowLate',
        eb
          .selectFrom(assignmentStudents(sql.ref('a.id')).as('st'))
          .leftJoin('submissions as sub', (join) => join.onRef('sub.studentId', '=', 'st.studentId').onRef('sub.assignmentId', '=', 'a.id'))
          .select(
            sql<string>`json_build_object(
              'students', count(*)::int,
              'submitted', count(*) filter (where ${sql.ref('sub.status')} in ('submitted', 'graded'))::int,
              'graded', count(*) filter (where ${sql.ref('sub.status')} = 'graded')::int,
              'late', count(*) filter (where ${sql.ref('sub.status')} in ('submitted', 'graded') and ${sql.ref('sub.late')})::int,
              'missing', count(*) filter (where ${sql.ref('sub.id')} is null and ${sql.ref('a.dueAt')} <= now())::int)`.as('counts'),
          )
          .$asScalar()
          .as('counts'),
      ])
      .where('a.teacherId', '=', params.teacherId)
      .orderBy('a.dueAt')
      .orderBy('a.id'),
  (params) =>
    q
      .selectFrom('assignmentClasses as ac')
      .innerJoin('assignments as own', 'own.id', 'ac.assignmentId')
      .select('ac.classId')
      .distinct()
      .where('own.teacherId', '=', params.teacherId),
);

interface RosterFilters extends Record<string, unknown> {
  assignmentId: string;
}

/** One row per student the assignment is for (`RosterRow`), with their submission if any, by name. */
export const rosterPages = jsonPages((db, filters: RosterFilters) =>
  db
    .selectFrom(assignmentStudents(filters.assignmentId).as('st'))
    .innerJoin('users as u', 'u.id', 'st.studentId')
    .innerJoin('assignments as a', (join) => join.on('a.id', '=', filters.assignmentId))
    .leftJoin('submissions as sub', (join) => join.onRef('sub.studentId', '=', 'st.studentId').onRef('sub.assignmentId', '=', 'a.id'))
    .select((eb) => [
      named('u').as('student'),
      jsonObjectFrom(
        eb
          .selectFrom('enrollments as e')
          .innerJoin('classes as c', 'c.id', 'e.classId')
          .select(['c.id', 'c.name'])
          .whereRef('e.studentId', '=', 'u.id'),
      ).as('class'),
      studentStatus().as('status'),
      lateFlag().as('late'),
      'sub.id as submissionId',
      'sub.version',
      'sub.submittedAt',
      gradedPoints().as('points'),
      'sub.feedback',
    ])
    .orderBy((eb) => eb.fn('lower', ['u.name']))
    .orderBy('u.id'),
);

/** The submission as `SubmissionView` shows it: its latest version's text and files, and its grade. */
export function findSubmission(db: TenantDb, id: string) {
  return db
    .selectFrom('submissions as sub')
    .innerJoin('assignments as a', 'a.id', 'sub.assignmentId')
    .innerJoin('users as u', 'u.id', 'sub.studentId')
    .innerJoin('submissionVersions as v', (join) => join.onRef('v.submissionId', '=', 'sub.id').onRef('v.version', '=', 'sub.version'))
    .select((eb) => [
      'sub.id',
      jsonBuildObject({ id: eb.ref('a.id'), title: eb.ref('a.title'), maxPoints: eb.ref('a.maxPoints') }).as('assignment'),
      named('u').as('student'),
      'sub.status',
      'sub.late',
      'sub.version',
      'v.text',
      filesThrough('submissionVersionFiles', sql.ref('v.id')).as('files'),
      'sub.submittedAt',
      gradedPoints().as('points'),
      'sub.feedback',
      'sub.accepted',
      'sub.gradedAt',
    ])
    .where('sub.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Every version handed in, oldest first. */
export function submissionVersions(db: TenantDb, submissionId: string) {
  return db
    .selectFrom('submissionVersions as v')
    .select([
      'v.version',
      'v.text',
      filesThrough('submissionVersionFiles', sql.ref('v.id')).as('files'),
      'v.late',
      'v.submittedAt',
    ])
    .where('v.submissionId', '=', submissionId)
    .orderBy('v.version')
    .execute();
}

/** Every file attached to the assignment or to any version of its submissions. */
export async function filesOfAssignment(db: TenantDb, assignmentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('assignmentFiles')
    .select('fileId')
    .where('assignmentId', '=', assignmentId)
    .union(
      db
        .selectFrom('submissionVersionFiles as vf')
        .innerJoin('submissionVersions as v', 'v.id', 'vf.versionId')
        .innerJoin('submissions as s', 's.id', 'v.submissionId')
        .select('vf.fileId')
        .where('s.assignmentId', '=', assignmentId),
    )
    .execute();
  return rows.map((row) => row.fileId);
}

/** The files attached to the assignment itself. */
export async function attachedFiles(db: TenantDb, assignmentId: string): Promise<string[]> {
  const rows = await db.selectFrom('assignmentFiles').select('fileId').where('assignmentId', '=', assignmentId).execute();
  return rows.map((row) => row.fileId);
}
