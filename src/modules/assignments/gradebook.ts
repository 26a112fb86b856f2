import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import { csvText } from '../../lib/csv.js';
import { notFound } from '../../lib/errors.js';
import type { Principal } from '../auth/queries.js';
import { classWorkPolicy, teachesClass } from './policy.js';
import type { Gradebook } from './schemas.js';

/**
 * A class's students (by name) against the assignments set for it (by due date), with the points
 * of each graded submission. Admins, the class's teachers and teachers who set work for it; other
 * teachers 403, unknown classes 404.
 */
export async function gradebook(db: TenantDb, principal: Principal, classId: string): Promise<Gradebook> {
  const klass = await db
    .selectFrom('classes')
    .select((eb) => [
      'classes.id',
      'classes.name',
      sql<boolean>`(${principal.role === 'teacher' ? teachesClass(principal.id, eb.ref('classes.id')) : sql`false`})`.as('teaches'),
      eb
        .exists(
          eb
            .selectFrom('assignmentClasses as ac')
            .innerJoin('assignments as a', 'a.id', 'ac.assignmentId')
            .select('ac.classId')
            .whereRef('ac.classId', '=', 'classes.id')
            .where('a.teacherId', '=', principal.id),
        )
        .as('setWork'),
    ])
    .where('classes.id', '=', classId)
    .executeTakeFirst();
  if (!klass) throw notFound('Class');
  classWorkPolicy.authorize(principal, 'gradebook', { teaches: klass.teaches === true, setWork: klass.setWork === true });

  const assignments = await db
    .selectFrom('assignments as a')
    .innerJoin('assignmentClasses as ac', 'ac.assignmentId', 'a.id')
    .select(['a.id', 'a.title', 'a.dueAt', 'a.maxPoints'])
    .where('ac.classId', '=', classId)
    .orderBy('a.dueAt')
    .orderBy('a.id')
    .execute();
  const students = await db
    .selectFrom('enrollments as e')
    .innerJoin('users as u', 'u.id', 'e.studentId')
    .select(['u.id', 'u.name'])
    .where('e.classId', '=', classId)
    .orderBy((eb) => eb.fn('lower', ['u.name']))
    .orderBy('u.id')
    .execute();
  const graded =
    assignments.length === 0 || students.length === 0
      ? []
      : await db
          .selectFrom('submissions')
          .select(['assignmentId', 'studentId', 'points'])
          .where('status', '=', 'graded')
          .where('assignmentId', 'in', assignments.map((a) => a.id))
          .where('studentId', 'in', students.map((s) => s.id))
          .execute();
  const points = new Map(graded.map((row) => [`${row.studentId}:${row.assignmentId}`, row.points]));
  return {
    class: { id: klass.id, name: klass.name },
    assignments,
    students: students.map((student) => ({ ...student, points: assignments.map((a) => points.get(`${student.id}:${a.id}`) ?? null) })),
  };
}

/** The gradebook as CSV: a header row of assignment titles, then one row per student. */
export function gradebookCsv(book: Gradebook): string {
  const rows = [
    ['Student', ...book.assignments.map((a) => `${a.title} (/${a.maxPoints})`)],
    ...book.students.map((student) => [student.name, ...student.points]),
  ];
  return csvText(rows);
}
