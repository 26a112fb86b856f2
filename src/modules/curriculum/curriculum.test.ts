import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, expectExactShape, type TestUser, unique, useSchool } from '../../../test/helpers.js';
import { CurriculumRows } from './schemas.js';

const ctx = useSchool();

type Method = 'GET' | 'PUT';
const asAdmin = (method: Method, url: string, body?: unknown) => call(ctx.app, method, url, { token: ctx.school.adminToken, body });
const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);

let teacher: TestUser;
let otherTeacher: TestUser;
let student: TestUser;
let classId: string;
let className: string;
let math: { id: string; name: string; color: string | null };
let art: { id: string; name: string; color: string | null };
let lab: { id: string; name: string };

beforeAll(async () => {
  teacher = await createMember(ctx.app, ctx.school, 'teacher', { name: 'Emmy Noether' });
  otherTeacher = await createMember(ctx.app, ctx.school, 'teacher', { name: 'Frida Kahlo' });
  student = await createMember(ctx.app, ctx.school, 'student');
  className = unique('6A ');
  const klass = await call(ctx.app, 'POST', '/api/classes', { token: ctx.school.adminToken, body: { name: className, grade: 6, section: 'A' } });
  classId = klass.data.id;
  await call(ctx.app, 'POST', `/api/classes/${classId}/students`, { token: ctx.school.adminToken, body: { studentIds: [student.id] } });
  math = await tenant().insertInto('subjects').values({ name: 'mathematics', color: '#112233' }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
  art = await tenant().insertInto('subjects').values({ name: 'Art' }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
  lab = await tenant().insertInto('rooms').values({ name: 'Lab 1' }).returning(['id', 'name']).executeTakeFirstOrThrow();
});

const rows = () =>
  tenant()
    .selectFrom('curriculum')
    .select(['subjectId', 'teacherId', 'periodsPerWeek', 'roomId'])
    .where('classId', '=', classId)
    .orderBy('periodsPerWeek')
    .execute();

describe('replacing a curriculum', () => {
  it('replaces the list, shows each row with what the timetable already holds, and logs it', async () => {
    await tenant()
      .insertInto('lessons')
      .values([
        { classId, subjectId: math.id, teacherId: teacher.id, day: 'monday', period: 1 },
        { classId, subjectId: math.id, teacherId: teacher.id, day: 'tuesday', period: 1 },
      ])
      .execute();
    const response = await asAdmin('PUT', `/api/classes/${classId}/subjects`, [
      { subjectId: math.id, teacherId: teacher.id, periodsPerWeek: 5, roomId: lab.id },
      { subjectId: art.id, teacherId: otherTeacher.id, periodsPerWeek: 2 },
    ]);
    expect(response.statusCode).toBe(200);
    const expected = [
      { subject: { id: art.id, name: 'Art', color: null }, teacher: { id: otherTeacher.id, name: 'Frida Kahlo' }, periodsPerWeek: 2, room: null, scheduled: 0, doublePeriods: 0, maxPerDay: 1 },
      {
        subject: { id: math.id, name: 'mathematics', color: '#112233' },
        teacher: { id: teacher.id, name: 'Emmy Noether' },
        periodsPerWeek: 5,
        room: { id: lab.id, name: 'Lab 1' },
        scheduled: 2,
        doublePeriods: 0,
        maxPerDay: 1,
      },
    ];
    expect(response.data).toEqual(expected);
    expect(await rows()).toEqual([
      { subjectId: art.id, teacherId: otherTeacher.id, periodsPerWeek: 2, roomId: null },
      { subjectId: math.id, teacherId: teacher.id, periodsPerWeek: 5, roomId: lab.id },
    ]);
    const get = await asAdmin('GET', `/api/classes/${classId}/subjects`);
    expect(get.data).toEqual(expected);
    expectExactShape(CurriculumRows, get.data);
    expect((await asAdmin('GET', `/api/classes/${classId}`)).data.curriculum).toEqual(expected);

    const log = await tenant()
      .selectFrom('activityLogs')
      .select(['action', 'targetType', 'targetId', 'targetName', 'details'])
      .where('targetType', '=', 'curriculum')
      .orderBy('createdAt', 'desc')
      .executeTakeFirstOrThrow();
    expect(log).toEqual({ action: 'update', targetType: 'curriculum', targetId: classId, targetName: className, details: { subjects: 2, periodsPerWeek: 7 } });

    const replaced = await asAdmin('PUT', `/api/classes/${classId}/subjects`, [{ subjectId: art.id, teacherId: teacher.id, periodsPerWeek: 1 }]);
    expect(replaced.data).toEqual([{ subject: { id: art.id, name: 'Art', color: null }, teacher: { id: teacher.id, name: 'Emmy Noether' }, periodsPerWeek: 1, room: null, scheduled: 0, doublePeriods: 0, maxPerDay: 1 }]);
    expect(await rows()).toEqual([{ subjectId: art.id, teacherId: teacher.id, periodsPerWeek: 1, roomId: null }]);

    const emptied = await asAdmin('PUT', `/api/classes/${classId}/subjects`, []);
    expect(emptied.statusCode).toBe(200);
    expect(emptied.data).toEqual([]);
    expect(await rows()).toEqual([]);
  });

  it('refuses a subject given twice, unknown subjects and rooms, and teachers who are not active teachers, naming each index', async () => {
    await asAdmin('PUT', `/api/classes/${classId}/subjects`, [{ subjectId: art.id, teacherId: teacher.id, periodsPerWeek: 1 }]);
    const inactive = await createMember(ctx.app, ctx.school, 'teacher');
    await call(ctx.app, 'PATCH', `/api/users/${inactive.id}`, { token: ctx.school.adminToken, body: { isActive: false } });
    const response = await asAdmin('PUT', `/api/classes/${classId}/subjects`, [
      { subjectId: math.id, teacherId: teacher.id, periodsPerWeek: 3 },
      { subjectId: math.id, teacherId: teacher.id, periodsPerWeek: 2 },
      { subjectId: randomUUID(), teacherId: teacher.id, periodsPerWeek: 2, roomId: randomUUID() },
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: expect.any(String),
      details: [
        { field: '1.subjectId', message: 'is already given at index 0: a subject at most once per class' },
        { field: '2.subjectId', message: 'is not a subject of this institution' },
        { field: '2.roomId', message: 'is not a room of this institution' },
      ],
    });

    const teachers = await asAdmin('PUT', `/api/classes/${classId}/subjects`, [
      { subjectId: math.id, teacherId: student.id, periodsPerWeek: 3 },
      { subjectId: art.id, teacherId: inactive.id, periodsPerWeek: 2 },
    ]);
    expect(teachers.statusCode).toBe(400);
    expect(teachers.data.details).toEqual([
      { field: '0.teacherId', message: 'must be an active teacher of this institution' },
      { field: '1.teacherId', message: 'must be an active teacher of this institution' },
    ]);
    expect(await rows()).toEqual([{ subjectId: art.id, teacherId: teacher.id, periodsPerWeek: 1, roomId: null }]);
  });

  it('validates the shape of each row', async () => {
    const response = await asAdmin('PUT', `/api/classes/${classId}/subjects`, [{ subjectId: math.id, teacherId: teacher.id, periodsPerWeek: 21 }]);
    expect(response.statusCode).toBe(400);
    expect(response.data.details).toEqual([{ field: '0.periodsPerWeek', message: expect.any(String) }]);
    const tooMany = Array.from({ length: 51 }, () => ({ subjectId: randomUUID(), teacherId: teacher.id, periodsPerWeek: 1 }));
    expect((await asAdmin('PUT', `/api/classes/${classId}/subjects`, tooMany)).statusCode).toBe(400);
    expect((await asAdmin('PUT', `/api/classes/${classId}/subjects`, { subjectId: math.id })).statusCode).toBe(400);
  });

  it('answers 404 for an unknown class and is for admins only', async () => {
    const body = [{ subjectId: math.id, teacherId: teacher.id, periodsPerWeek: 1 }];
    for (const method of ['GET', 'PUT'] as const) {
      const response = await asAdmin(method, `/api/classes/${randomUUID()}/subjects`, method === 'PUT' ? body : undefined);
      expect(response.statusCode).toBe(404);
      expect(response.data).toEqual({ code: 'NOT_FOUND', message: 'Class not found' });
    }
    expect((await call(ctx.app, 'PUT', `/api/classes/${classId}/subjects`, { token: teacher.token, body })).statusCode).toBe(403);
  });
});

describe('reading a curriculum', () => {
  it('teachers read every class, a student only their own', async () => {
    expect((await call(ctx.app, 'GET', `/api/classes/${classId}/subjects`, { token: teacher.token })).statusCode).toBe(200);
    expect((await call(ctx.app, 'GET', `/api/classes/${classId}/subjects`, { token: student.token })).statusCode).toBe(200);
    const outsider = await createMember(ctx.app, ctx.school, 'student');
    const response = await call(ctx.app, 'GET', `/api/classes/${classId}/subjects`, { token: outsider.token });
    expect(response.statusCode).toBe(403);
    expect(response.data.code).toBe('FORBIDDEN');
  });
});
