import { type Expression, expressionBuilder, sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { notFound } from '../../lib/errors.js';
import { definePolicy } from '../../lib/policy.js';
import type { Principal } from '../auth/queries.js';

/** Builds the subqueries below; the tenant schema is applied by the query they end up in. */
const q = expressionBuilder<Database, never>();

/**
 * The teacher teaches the class: a curriculum row or a lesson of theirs there, or they are its
 * homeroom teacher. Whoever teaches a class may set work for it.
 */
export function teachesClass(teacherId: string | Expression<string>, classId: string | Expression<string>) {
  return q.or([
    q.exists(q.selectFrom('curriculum').select('curriculum.classId').where('curriculum.classId', '=', classId).where('curriculum.teacherId', '=', teacherId)),
    q.exists(q.selectFrom('lessons').select('lessons.id').where('lessons.classId', '=', classId).where('lessons.teacherId', '=', teacherId)),
    q.exists(q.selectFrom('classes').select('classes.id').where('classes.id', '=', classId).where('classes.homeroomTeacherId', '=', teacherId)),
  ]);
}

/** The student is enrolled in one of the assignment's classes. */
export function enrolledFor(studentId: string, assignmentId: Expression<string>) {
  return q.exists(
    q
      .selectFrom('assignmentClasses as ac')
      .innerJoin('enrollments as e', 'e.classId', 'ac.classId')
      .select('ac.classId')
      .where('ac.assignmentId', '=', assignmentId)
      .where('e.studentId', '=', studentId),
  );
}

/** The teacher teaches one of the assignment's classes. */
function teachesOneOf(teacherId: string, assignmentId: Expression<string>) {
  return q.exists(
    q
      .selectFrom('assignmentClasses as ac')
      .select('ac.classId')
      .where('ac.assignmentId', '=', assignmentId)
      .where((inner) => teachesClass(teacherId, inner.ref('ac.classId'))),
  );
}

/** How the caller stands to one assignment. */
export interface AssignmentRelation {
  teacherId: string;
  /** A student enrolled in one of its classes. */
  enrolled: boolean;
  /** A teacher of one of its classes. */
  teaches: boolean;
}

/**
 * Who may do what with an assignment:
 * - admins: everything but submitting;
 * - teachers: read every assignment of the institution; change or delete their own while they
 *   teach one of its classes; see, grade and hand back the submissions to their own;
 * - students: read and submit to the assignments of their class. Any other assignment does not
 *   exist for them (404, see `findAssignmentFor`).
 */
export const assignmentPolicy = definePolicy({
  read: (principal, relation: AssignmentRelation) => principal.role === 'admin' || principal.role === 'teacher' || relation.enrolled,
  change: (principal, relation: AssignmentRelation) =>
    principal.role === 'admin' || (principal.role === 'teacher' && relation.teacherId === principal.id && relation.teaches),
  submit: (principal, relation: AssignmentRelation) => principal.role === 'student' && relation.enrolled,
  review: (principal, relation: AssignmentRelation) => principal.role === 'admin' || relation.teacherId === principal.id,
});

/** A teacher may set work for a class they teach; an admin for any. */
export const classWorkPolicy = definePolicy({
  assign: (principal, classRelation: { teaches: boolean }) => principal.role === 'admin' || classRelation.teaches,
  /** The gradebook: admins, its teachers, and teachers who set work for it. */
  gradebook: (principal, classRelation: { teaches: boolean; setWork: boolean }) =>
    principal.role === 'admin' || classRelation.teaches || classRelation.setWork,
});

/** How the caller stands to one submission. */
export interface SubmissionRelation {
  studentId: string;
  assignmentTeacherId: string;
}

/**
 * A submission is read by its student, the assignment's teacher and admins, and graded or handed
 * back by the assignment's teacher and admins. Another student's submission does not exist for a
 * student (404).
 */
export const submissionPolicy = definePolicy({
  read: (principal, relation: SubmissionRelation) =>
    principal.role === 'admin' || principal.id === relation.studentId || principal.id === relation.assignmentTeacherId,
  grade: (principal, relation: SubmissionRelation) => principal.role === 'admin' || principal.id === relation.assignmentTeacherId,
});

/**
 * The assignment as the caller stands to it, after `assignmentPolicy` allowed `action`: 404 when
 * the institution has none with this id, or when it is not for the calling student's class; 403
 * when the policy says no. `lock` takes the row for the rest of the transaction.
 */
export async function authorizeAssignment(
  db: TenantDb,
  principal: Principal,
  action: 'read' | 'change' | 'submit' | 'review',
  id: string,
  lock?: 'update' | 'share',
) {
  let query = db
    .selectFrom('assignments as a')
    .select((eb) => [
      'a.id',
      'a.title',
      'a.teacherId',
      'a.maxPoints',
      'a.allowLate',
      sql<boolean>`${eb.ref('a.dueAt')} <= now()`.as('pastDue'),
      (principal.role === 'student' ? enrolledFor(principal.id, eb.ref('a.id')) : eb.lit(false)).as(
        'enrolled',
      ),
      (principal.role === 'teacher' ? teachesOneOf(principal.id, eb.ref('a.id')) : eb.lit(false)).as(
        'teaches',
      ),
    ])
    .where('a.id', '=', id);
  if (lock === 'update') query = query.forUpdate();
  if (lock === 'share') query = query.forShare();
  const row = await query.executeTakeFirst();
  const found = row && { ...row, enrolled: row.enrolled === true, teaches: row.teaches === true };
  if (!found || !assignmentPolicy.can(principal, 'read', found)) throw notFound('Assignment');
  assignmentPolicy.authorize(principal, action, found);
  return found;
}

/**
 * The submission, after `submissionPolicy` allowed `action`: 404 when there is none with this id
 * or it is another student's; 403 when the policy says no.
 */
export async function authorizeSubmission(db: TenantDb, principal: Principal, action: 'read' | 'grade', id: string) {
  const found = await db
    .selectFrom('submissions as s')
    .innerJoin('assignments as a', 'a.id', 's.assignmentId')
    .select(['s.id', 's.studentId', 's.assignmentId', 'a.teacherId as assignmentTeacherId'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!found || (principal.role === 'student' && found.studentId !== principal.id)) throw notFound('Submission');
  submissionPolicy.authorize(principal, action, found);
  return found;
}

/**
 * File access (registered with the files module): an assignment's files are read by its teacher,
 * the teachers of its classes and the students enrolled in them; a submission's files by its
 * student, the assignment's teacher and the teachers of its classes. Admins and the uploader are
 * let through by the files module itself.
 */
export async function mayReadAssignmentFile(db: TenantDb, principal: Principal, fileId: string): Promise<boolean> {
  if (principal.role === 'admin') return true;
  const row = await db
    .selectFrom('assignmentFiles as af')
    .innerJoin('assignments as a', 'a.id', 'af.assignmentId')
    .select('af.assignmentId')
    .where('af.fileId', '=', fileId)
    .where((eb) =>
      principal.role === 'student'
        ? enrolledFor(principal.id, eb.ref('a.id'))
        : eb.or([eb('a.teacherId', '=', principal.id), teachesOneOf(principal.id, eb.ref('a.id'))]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function mayReadSubmissionFile(db: TenantDb, principal: Principal, fileId: string): Promise<boolean> {
  if (principal.role === 'admin') return true;
  const row = await db
    .selectFrom('submissionVersionFiles as vf')
    .innerJoin('submissionVersions as v', 'v.id', 'vf.versionId')
    .innerJoin('submissions as s', 's.id', 'v.submissionId')
    .innerJoin('assignments as a', 'a.id', 's.assignmentId')
    .select('s.id')
    .where('vf.fileId', '=', fileId)
    .where((eb) =>
      principal.role === 'student'
        ? eb('s.studentId', '=', principal.id)
        : eb.or([eb('a.teacherId', '=', principal.id), teachesOneOf(principal.id, eb.ref('a.id'))]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
