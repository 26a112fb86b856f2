import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { definePolicy } from '../../lib/policy.js';
import { teachesClass } from '../assignments/policy.js';
import type { Principal } from '../auth/queries.js';

/** How the caller stands to one student. */
export interface StudentRelation {
  /** The caller is the student. */
  self: boolean;
  /** The caller is one of the student's guardians. */
  guardian: boolean;
  /** The caller teaches the student's class (curriculum, lessons or homeroom, as for assignments). */
  teaches: boolean;
}

/**
 * Who may see what of one student (their timetable, assignments with grades, calendar and
 * attendance, and their guardians), named role by role so a new role gets nothing by default:
 * - admins: everything, and they alone link and unlink guardians;
 * - teachers: the records and the guardians of the students they teach;
 * - the student: their own records;
 * - guardians: their children's records, never the guardians list (other families' contacts).
 * Another student of the institution answers 403; an id the institution has no user with, 404.
 */
export const studentPolicy = definePolicy({
  read: (principal, student: StudentRelation) =>
    principal.role === 'admin' ||
    (principal.role === 'teacher' && student.teaches) ||
    (principal.role === 'student' && student.self) ||
    (principal.role === 'guardian' && student.guardian),
  readGuardians: (principal, student: StudentRelation) => principal.role === 'admin' || (principal.role === 'teacher' && student.teaches),
  linkGuardians: (principal, _student: StudentRelation) => principal.role === 'admin',
});

/**
 * The student with this id, after `studentPolicy` allowed `action`: 404 when the institution has
 * no user with it, 400 naming `field` when the user is not a student, 403 when the policy says no.
 * One query, whoever asks.
 */
export async function authorizeStudent(
  db: TenantDb,
  principal: Principal,
  action: 'read' | 'readGuardians' | 'linkGuardians',
  studentId: string,
  field = 'id',
): Promise<{ id: string; name: string; username: string; classId: string | null }> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('enrollments as e', 'e.studentId', 'u.id')
    .select((eb) => [
      'u.id',
      'u.name',
      'u.username',
      'u.role',
      'e.classId',
      (principal.role === 'guardian'
        ? eb.exists(eb.selectFrom('guardianLinks as gl').select('gl.studentId').where('gl.studentId', '=', eb.ref('u.id')).where('gl.guardianId', '=', principal.id))
        : eb.lit(false)
      ).as('guardian'),
      (principal.role === 'teacher' ? teachesClass(principal.id, sql.ref<string>('e.classId')) : eb.lit(false)).as('teaches'),
    ])
    .where('u.id', '=', studentId)
    .executeTakeFirst();
  if (!row) throw notFound('Student');
  if (row.role !== 'student') throw badRequest(`The user is not a student`, [{ field, message: `is a ${row.role}, not a student` }]);
  studentPolicy.authorize(principal, action, {
    self: principal.id === row.id,
    guardian: row.guardian === true,
    teaches: row.teaches === true,
  });
  return { id: row.id, name: row.name, username: row.username, classId: row.classId };
}
