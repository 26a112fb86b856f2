import type { TenantDb } from '../../db/tenant-schema.js';
import { notFound } from '../../lib/errors.js';
import { definePolicy } from '../../lib/policy.js';
import { teachesClass } from '../assignments/policy.js';
import type { Principal } from '../auth/queries.js';
import { isGuardianOf } from '../guardians/queries.js';

/** How the caller stands to one lesson on one date. */
export interface LessonRelation {
  /** The lesson's own teacher. */
  teacherId: string;
  /** The teacher covering it that date, if any (modules/cover). */
  coverTeacherId: string | undefined;
}

/** How the caller stands to one student. */
export interface StudentRelation {
  self: boolean;
  guardian: boolean;
  /** A teacher of the student's class (curriculum, lessons or homeroom, as for assignments). */
  teaches: boolean;
}

/**
 * Who may do what with attendance:
 * - the register of a lesson on a date: its teacher, the teacher covering it that date, admins;
 * - known absences: admins and the student's guardians register and delete them; they, the student
 *   and the student's teachers read them;
 * - a student's attendance report: the student, their guardians, their teachers, admins;
 * - a class's report: its teachers and admins; the missing registers of a day: admins.
 * Every rule names the roles it lets in.
 */
export const attendancePolicy = definePolicy({
  takeRegister: (principal, lesson: LessonRelation) =>
    principal.role === 'admin' || (principal.role === 'teacher' && (lesson.teacherId === principal.id || lesson.coverTeacherId === principal.id)),
  readStudent: (principal, student: StudentRelation) =>
    principal.role === 'admin' ||
    (principal.role === 'teacher' && student.teaches) ||
    (principal.role === 'student' && student.self) ||
    (principal.role === 'guardian' && student.guardian),
  announceAbsence: (principal, student: StudentRelation) => principal.role === 'admin' || (principal.role === 'guardian' && student.guardian),
  readClass: (principal, klass: { teaches: boolean }) => principal.role === 'admin' || (principal.role === 'teacher' && klass.teaches),
});

async function teaches(db: TenantDb, teacherId: string, classId: string): Promise<boolean> {
  const row = await db
    .selectFrom('classes')
    .select('id')
    .where('id', '=', classId)
    .where((eb) => teachesClass(teacherId, eb.val(classId)))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Finds the student (404 NOT_FOUND when the institution has no student with this id, whoever asks)
 * and checks that the principal may do `action` for them (403 FORBIDDEN). Returns the student.
 */
export async function authorizeStudent(db: TenantDb, principal: Principal, action: 'readStudent' | 'announceAbsence', studentId: string) {
  const student = await db
    .selectFrom('users as u')
    .leftJoin('enrollments as e', 'e.studentId', 'u.id')
    .select(['u.id', 'u.name', 'e.classId'])
    .where('u.id', '=', studentId)
    .where('u.role', '=', 'student')
    .executeTakeFirst();
  if (!student) throw notFound('Student');
  const relation: StudentRelation = {
    self: principal.role === 'student' && principal.id === student.id,
    guardian: principal.role === 'guardian' && (await isGuardianOf(db, principal.id, student.id)),
    teaches: principal.role === 'teacher' && student.classId !== null && (await teaches(db, principal.id, student.classId)),
  };
  attendancePolicy.authorize(principal, action, relation);
  return { id: student.id, name: student.name, classId: student.classId };
}

/** Finds the class (404) and checks that the principal may read its attendance (403). */
export async function authorizeClassReport(db: TenantDb, principal: Principal, classId: string) {
  const klass = await db.selectFrom('classes').select(['id', 'name']).where('id', '=', classId).executeTakeFirst();
  if (!klass) throw notFound('Class');
  attendancePolicy.authorize(principal, 'readClass', { teaches: principal.role === 'teacher' && (await teaches(db, principal.id, klass.id)) });
  return klass;
}
