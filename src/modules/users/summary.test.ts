import { describe, expect, it } from 'vitest';
import { call, createMember, expectExactShape, registerInstitution, type TestInstitution, useSchool } from '../../../test/helpers.js';
import { AdminSummary } from './schemas.js';

const ctx = useSchool();

const summaryOf = (institution: TestInstitution) => call(ctx.app, 'GET', '/api/users/summary', { token: institution.adminToken });

describe('GET /api/users/summary', () => {
  it('counts nothing in a new institution', async () => {
    const school = await registerInstitution(ctx.app);
    const response = await summaryOf(school);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ activeUsers: { teacher: 0, student: 0, guardian: 0 }, classes: 0, unscheduled: { periods: 0, classes: 0 } });
  });

  it('counts active users per role, classes, and the periods the curriculum asks for and the timetable lacks, as the class pages show them', async () => {
    const school = await registerInstitution(ctx.app);
    const admin = (method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown) => call(ctx.app, method, url, { token: school.adminToken, body });
    const [teacher, otherTeacher] = [await createMember(ctx.app, school, 'teacher'), await createMember(ctx.app, school, 'teacher')];
    await createMember(ctx.app, school, 'student');
    const gone = await createMember(ctx.app, school, 'student');
    await admin('PATCH', `/api/users/${gone.id}`, { isActive: false });
    await createMember(ctx.app, school, 'guardian');
    const tenant = ctx.app.db.withSchema(school.schemaName);
    const [math, art] = await tenant.insertInto('subjects').values([{ name: 'Maths' }, { name: 'Art' }]).returning('id').execute();
    const classIds: string[] = [];
    for (const name of ['7A', '7B', '7C']) classIds.push((await admin('POST', '/api/classes', { name, grade: 7, section: name.slice(1) })).data.id);
    const [sevenA, sevenB, sevenC] = classIds as [string, string, string];
    // 7A: maths 4 a week with 1 lesson (3 missing), art 1 with 2 lessons (over, counts 0); 7B: art 2 with none (2 missing); 7C: no curriculum.
    await admin('PUT', `/api/classes/${sevenA}/subjects`, [
      { subjectId: math!.id, teacherId: teacher.id, periodsPerWeek: 4 },
      { subjectId: art!.id, teacherId: otherTeacher.id, periodsPerWeek: 1 },
    ]);
    await admin('PUT', `/api/classes/${sevenB}/subjects`, [{ subjectId: art!.id, teacherId: otherTeacher.id, periodsPerWeek: 2 }]);
    await tenant
      .insertInto('lessons')
      .values([
        { classId: sevenA, subjectId: math!.id, teacherId: teacher.id, day: 'monday', period: 1 },
        { classId: sevenA, subjectId: art!.id, teacherId: otherTeacher.id, day: 'monday', period: 2 },
        { classId: sevenA, subjectId: art!.id, teacherId: otherTeacher.id, day: 'tuesday', period: 2 },
        // A lesson of a subject outside the class's curriculum is no curriculum period.
        { classId: sevenC, subjectId: math!.id, teacherId: teacher.id, day: 'monday', period: 3 },
      ])
      .execute();

    const response = await summaryOf(school);
    expect(response.statusCode).toBe(200);
    expectExactShape(AdminSummary, response.data);
    expect(response.data).toEqual({ activeUsers: { teacher: 2, student: 1, guardian: 1 }, classes: 3, unscheduled: { periods: 5, classes: 2 } });

    // The same figure as adding up every class's curriculum rows on GET /api/classes/:id/subjects.
    let missing = 0;
    for (const id of classIds) {
      const rows = (await call(ctx.app, 'GET', `/api/classes/${id}/subjects`, { token: school.adminToken })).data as unknown as { periodsPerWeek: number; scheduled: number }[];
      missing += rows.reduce((sum, row) => sum + Math.max(row.periodsPerWeek - row.scheduled, 0), 0);
    }
    expect(missing).toBe(5);
  });

  it('counts only the caller institution, for admins only', async () => {
    const school = await registerInstitution(ctx.app);
    const other = await registerInstitution(ctx.app);
    await createMember(ctx.app, other, 'teacher');
    expect((await summaryOf(school)).data.activeUsers).toEqual({ teacher: 0, student: 0, guardian: 0 });
    const teacher = await createMember(ctx.app, school, 'teacher');
    expect((await call(ctx.app, 'GET', '/api/users/summary', { token: teacher.token })).statusCode).toBe(403);
  });
});
