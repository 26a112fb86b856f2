import type { TenantDb } from '../../db/tenant-schema.js';
import { notFound } from '../../lib/errors.js';
import { definePolicy } from '../../lib/policy.js';
import type { Principal } from '../auth/queries.js';

/** How the caller stands to one class. */
export interface ClassRelation {
  /** The caller is a student enrolled in it. */
  enrolled: boolean;
}

/** The class a student is enrolled in, if any (a student is in at most one). */
export async function enrolledClassId(db: TenantDb, studentId: string): Promise<string | undefined> {
  const row = await db.selectFrom('enrollments').select('classId').where('studentId', '=', studentId).executeTakeFirst();
  return row?.classId;
}

export async function relationTo(db: TenantDb, principal: Principal, classId: string): Promise<ClassRelation> {
  if (principal.role !== 'student') return { enrolled: false };
  return { enrolled: (await enrolledClassId(db, principal.id)) === classId };
}

/**
 * Who may do what with a class and what hangs off it (students, curriculum, timetable):
 * - admins: everything;
 * - teachers: read every class of the institution, change nothing;
 * - students: read their own class (its detail, curriculum, classmates' names, timetable), and no
 *   other: 403 FORBIDDEN;
 * - guardians: none (their children's class and homeroom teacher come with GET /api/guardians/me/children).
 */
export const classPolicy = definePolicy({
  read: (principal, relation: ClassRelation) => principal.role === 'admin' || principal.role === 'teacher' || relation.enrolled,
  change: (principal, _relation: ClassRelation) => principal.role === 'admin',
});

/**
 * Finds the class (404 NOT_FOUND when the institution has none with this id, whoever asks) and
 * checks that the principal may do `action` with it (403 FORBIDDEN).
 */
export async function authorizeClass(db: TenantDb, principal: Principal, action: 'read' | 'change', classId: string): Promise<void> {
  const found = await db.selectFrom('classes').select('id').where('id', '=', classId).executeTakeFirst();
  if (!found) throw notFound('Class');
  classPolicy.authorize(principal, action, await relationTo(db, principal, classId));
}
