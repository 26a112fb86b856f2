import { assertUnreferenced } from '../../db/references.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, conflict, type ErrorDetail, forbidden, isUniqueViolation, notFound } from '../../lib/errors.js';
import type { ChangeRunner } from '../../plugins/activity-log.js';
import type { Principal } from '../auth/queries.js';
import { curriculumRows } from '../curriculum/queries.js';
import { authorizeClass } from './policy.js';
import * as queries from './queries.js';
import type { CreateClassBody, EnrollBody, UpdateClassBody } from './schemas.js';
import { assertActiveTeachers } from './teachers.js';

const nameTaken = (name: string) => conflict(`A class named "${name}" already exists`);

/** A unique violation anywhere in the change is the class name (its only unique column). */
async function claimingName<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (name !== undefined && isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

/** The class as `ClassDetail` shows it, read through `db` (inside a change: what it wrote). */
async function classDetail(db: TenantDb, id: string) {
  const found = await queries.findClass(db, id);
  if (!found) throw notFound('Class');
  return { ...found, curriculum: await curriculumRows(db, id) };
}

export async function getClass(db: TenantDb, principal: Principal, id: string) {
  await authorizeClass(db, principal, 'read', id);
  return classDetail(db, id);
}

export function createClass(context: ChangeRunner, input: CreateClassBody) {
  const name = input.name.trim();
  return claimingName(name, () =>
    context.change(async ({ db, log }) => {
      if (input.homeroomTeacherId) await assertActiveTeachers(db, [{ field: 'homeroomTeacherId', id: input.homeroomTeacherId }]);
      const { id } = await queries.insertClass(db, { ...input, name, section: input.section.trim() });
      const created = await classDetail(db, id);
      await log({
        action: 'create',
        targetType: 'class',
        targetId: id,
        targetName: name,
        details: { grade: created.grade, section: created.section, homeroomTeacherId: input.homeroomTeacherId ?? null, maxStudents: created.maxStudents },
      });
      return created;
    }),
  );
}

/** Applies an admin's changes; the class may not be made smaller than the students it holds. */
export function updateClass(context: ChangeRunner, id: string, input: UpdateClassBody) {
  const name = input.name?.trim();
  const changes = { ...input, ...(name !== undefined ? { name } : {}), ...(input.section !== undefined ? { section: input.section.trim() } : {}) };
  return claimingName(name, () =>
    context.change(async ({ db, log }) => {
      if (input.homeroomTeacherId) await assertActiveTeachers(db, [{ field: 'homeroomTeacherId', id: input.homeroomTeacherId }]);
      // The update locks the row, so no enrollment is counted against the old size meanwhile.
      const updated = await queries.updateClass(db, id, changes);
      if (!updated) throw notFound('Class');
      const students = await queries.countStudents(db, id);
      if (students > updated.maxStudents) {
        throw conflict(`The class has ${students} students; maxStudents cannot be lower than that`);
      }
      await log({ action: 'update', targetType: 'class', targetId: id, targetName: updated.name, details: { fields: Object.keys(input), ...changes } });
      return classDetail(db, id);
    }),
  );
}

/** Deletes the class with its enrollments, curriculum and lessons, and logs how many of each went. */
export function deleteClass(context: ChangeRunner, id: string) {
  return context.change(async ({ db, log }) => {
    if (!(await queries.lockClass(db, id))) throw notFound('Class');
    await assertUnreferenced(db, 'classes', id, 'This class');
    const deleted = await queries.deleteClassCascade(db, id);
    if (!deleted) throw notFound('Class');
    await log({ action: 'delete', targetType: 'class', targetId: id, targetName: deleted.name, details: deleted.removed });
  });
}

/** Why an id given to enroll cannot be. */
function unfitStudent(user: { role: string; isActive: boolean } | undefined): string | undefined {
  if (!user) return 'no such user';
  if (user.role !== 'student') return 'is not a student';
  if (!user.isActive) return 'is deactivated';
  return undefined;
}

/**
 * Enrolls students in a class, all or none. The class row is locked first, so enrollments into
 * one class run one after another and capacity holds however many requests race; a student in
 * another class is refused (409 ALREADY_ENROLLED) unless `move` is set.
 */
export function enrollStudents(context: ChangeRunner, classId: string, input: EnrollBody) {
  const ids = [...new Set(input.studentIds)];
  return context.change(async ({ db, log }) => {
    const klass = await queries.lockClass(db, classId);
    if (!klass) throw notFound('Class');

    const users = new Map((await queries.lockUsers(db, ids)).map((user) => [user.id, user]));
    const invalid: ErrorDetail[] = [];
    input.studentIds.forEach((id, index) => {
      const why = unfitStudent(users.get(id));
      if (why) invalid.push({ field: `studentIds.${index}`, message: `${id} ${why}` });
    });
    if (invalid.length > 0) throw badRequest('Only active students can be enrolled', invalid);

    const current = await queries.enrollmentsOf(db, ids);
    const elsewhere = current.filter((enrollment) => enrollment.classId !== classId);
    if (elsewhere.length > 0 && !input.move) {
      const other = elsewhere[0]!;
      const studentIds = elsewhere.filter((enrollment) => enrollment.classId === other.classId).map((enrollment) => enrollment.studentId);
      throw new AppError(
        409,
        'ALREADY_ENROLLED',
        `${elsewhere.length} of these students are already in another class (${studentIds.length} in ${other.className}); send move: true to move them`,
        undefined,
        { class: { id: other.classId, name: other.className }, studentIds },
      );
    }

    const here = new Set(current.filter((enrollment) => enrollment.classId === classId).map((enrollment) => enrollment.studentId));
    const newcomers = ids.filter((id) => !here.has(id));
    const count = await queries.countStudents(db, classId);
    if (count + newcomers.length > klass.maxStudents) {
      throw new AppError(
        409,
        'CLASS_FULL',
        `The class has ${klass.maxStudents - count} free seats; ${newcomers.length} students were to be added`,
        undefined,
        { maxStudents: klass.maxStudents, current: count, requested: newcomers.length },
      );
    }
    if (newcomers.length === 0) return { studentCount: count };

    await queries.enroll(db, classId, newcomers);
    await log({
      action: 'enroll',
      targetType: 'class',
      targetId: classId,
      targetName: klass.name,
      details: {
        studentIds: newcomers,
        moved: elsewhere.map((enrollment) => ({ studentId: enrollment.studentId, fromClassId: enrollment.classId })),
      },
    });
    return { studentCount: count + newcomers.length };
  });
}

export function removeStudent(context: ChangeRunner, classId: string, studentId: string) {
  return context.change(async ({ db, log }) => {
    const klass = await queries.lockClass(db, classId);
    if (!klass) throw notFound('Class');
    if (!(await queries.unenroll(db, classId, studentId))) throw notFound('Student in this class');
    await log({ action: 'unenroll', targetType: 'class', targetId: classId, targetName: klass.name, details: { studentId } });
    return { studentCount: await queries.countStudents(db, classId) };
  });
}

/** The caller's classes: where a teacher leads or teaches, or a student's own. Admins have none. */
export function myClasses(db: TenantDb, principal: Principal) {
  if (principal.role === 'admin') throw forbidden('Admins have no classes of their own; list /api/classes instead');
  return queries.myClasses(db, principal.role === 'teacher' ? { teacherId: principal.id } : { studentId: principal.id });
}

/** The class's students: admins and teachers see accounts, its own students their classmates' names. */
export async function classStudents(db: TenantDb, principal: Principal, classId: string, page: { page: number; limit: number }) {
  await authorizeClass(db, principal, 'read', classId);
  const pages = principal.role === 'student' ? queries.classmatePages : queries.rosterPages;
  return pages(db, { classId }, page);
}
