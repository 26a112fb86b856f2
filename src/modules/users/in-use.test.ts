import { describe, expect, it } from 'vitest';
import { call, createMember, useSchool } from '../../../test/helpers.js';

/**
 * Deleting a user that classes, curricula or the timetable still point at is refused with the
 * counts; deactivating stays possible; a student's enrollment goes with the student. The rows
 * are written directly, so these tests do not depend on the routes that normally write them.
 */

const ctx = useSchool();

const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);
const asAdmin = (method: 'GET' | 'PATCH' | 'DELETE', url: string, body?: unknown) => call(ctx.app, method, url, { token: ctx.school.adminToken, body });

const userRow = (id: string) => tenant().selectFrom('users').select(['id', 'isActive']).where('id', '=', id).executeTakeFirst();
const deleteEntries = (id: string) =>
  tenant().selectFrom('activityLogs').select(['action', 'targetType', 'targetName', 'details']).where('targetId', '=', id).where('action', '=', 'delete').execute();

async function newClass(name: string, homeroomTeacherId: string | null = null) {
  return tenant().insertInto('classes').values({ name, grade: 3, section: name.slice(-1), homeroomTeacherId }).returning('id').executeTakeFirstOrThrow();
}

async function newSubject(name: string) {
  return tenant().insertInto('subjects').values({ name }).returning('id').executeTakeFirstOrThrow();
}

describe('deleting a user still referenced', () => {
  it('refuses a teacher who leads a class, is in curricula and teaches lessons: 409 IN_USE with the counts, nothing changed', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const homeroom = await newClass('3A', teacher.id);
    const other = await newClass('3B');
    const [maths, art] = [await newSubject('In-use maths'), await newSubject('In-use art')];
    await tenant()
      .insertInto('curriculum')
      .values([
        { classId: homeroom.id, subjectId: maths.id, teacherId: teacher.id, periodsPerWeek: 5 },
        { classId: other.id, subjectId: maths.id, teacherId: teacher.id, periodsPerWeek: 5 },
        { classId: other.id, subjectId: art.id, teacherId: teacher.id, periodsPerWeek: 1 },
      ])
      .execute();
    await tenant()
      .insertInto('lessons')
      .values([
        { classId: homeroom.id, subjectId: maths.id, teacherId: teacher.id, day: 'monday', period: 1 },
        { classId: other.id, subjectId: maths.id, teacherId: teacher.id, day: 'monday', period: 2 },
      ])
      .execute();

    const response = await asAdmin('DELETE', `/api/users/${teacher.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'IN_USE',
      message: 'This user is still in use (1 in classes, 3 in curriculum, 2 in lessons); remove those first',
      references: { classes: 1, curriculum: 3, lessons: 2 },
    });
    expect(await userRow(teacher.id)).toEqual({ id: teacher.id, isActive: true });
    expect(await tenant().selectFrom('classes').select('homeroomTeacherId').where('id', '=', homeroom.id).executeTakeFirst()).toEqual({
      homeroomTeacherId: teacher.id,
    });
    expect(await tenant().selectFrom('curriculum').select('classId').where('teacherId', '=', teacher.id).execute()).toHaveLength(3);
    expect(await tenant().selectFrom('lessons').select('id').where('teacherId', '=', teacher.id).execute()).toHaveLength(2);
    expect(await deleteEntries(teacher.id)).toEqual([]);
    // Still signed in: a refused delete does not end the teacher's sessions.
    expect((await call(ctx.app, 'GET', '/api/subjects', { token: teacher.token })).statusCode).toBe(200);
  });

  it('counts only what still refers to the user', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    await newClass('3C', teacher.id);
    const response = await asAdmin('DELETE', `/api/users/${teacher.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'IN_USE',
      message: 'This user is still in use (1 in classes); remove those first',
      references: { classes: 1 },
    });
  });

  it('still lets an admin deactivate such a teacher, which keeps the references and ends their sessions', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const klass = await newClass('3D', teacher.id);
    const subject = await newSubject('In-use music');
    await tenant().insertInto('lessons').values({ classId: klass.id, subjectId: subject.id, teacherId: teacher.id, day: 'friday', period: 8 }).execute();

    const response = await asAdmin('PATCH', `/api/users/${teacher.id}`, { isActive: false });
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: teacher.id, isActive: false });
    expect(await userRow(teacher.id)).toEqual({ id: teacher.id, isActive: false });
    expect(await tenant().selectFrom('lessons').select('teacherId').where('classId', '=', klass.id).execute()).toEqual([{ teacherId: teacher.id }]);
    expect((await call(ctx.app, 'GET', '/api/subjects', { token: teacher.token })).statusCode).toBe(401);
    expect((await asAdmin('DELETE', `/api/users/${teacher.id}`)).data.references).toEqual({ classes: 1, lessons: 1 });
  });
});

describe('deleting a student', () => {
  it('removes their enrollment with them, and leaves the class and its other students', async () => {
    const klass = await newClass('3E');
    const [leaving, staying] = [await createMember(ctx.app, ctx.school, 'student'), await createMember(ctx.app, ctx.school, 'student')];
    await tenant()
      .insertInto('enrollments')
      .values([leaving, staying].map((student) => ({ studentId: student.id, classId: klass.id })))
      .execute();

    const response = await asAdmin('DELETE', `/api/users/${leaving.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ message: 'User deleted' });
    expect(await userRow(leaving.id)).toBeUndefined();
    expect(await tenant().selectFrom('enrollments').select(['studentId', 'classId']).where('classId', '=', klass.id).execute()).toEqual([
      { studentId: staying.id, classId: klass.id },
    ]);
    expect(await tenant().selectFrom('classes').select('id').where('id', '=', klass.id).executeTakeFirst()).toEqual({ id: klass.id });
    expect(await deleteEntries(leaving.id)).toEqual([
      { action: 'delete', targetType: 'user', targetName: leaving.username, details: { role: 'student', name: leaving.name } },
    ]);
  });
});
