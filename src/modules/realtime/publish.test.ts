import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tenantDb } from '../../db/tenant-schema.js';
import { call, createMember, type TestUser, useSchool } from '../../../test/helpers.js';
import { publishEvent } from './publish.js';

const ctx = useSchool();

const tenant = () => tenantDb(ctx.app.db, ctx.school.schemaName);

/** Every event row, oldest first, without the generated columns. */
const events = async () =>
  (await tenant().selectFrom('events').select(['cursor', 'userId', 'type', 'data']).orderBy('cursor').execute()).map(
    ({ userId, type, data }) => ({ userId, type, data }),
  );

const who = (...users: { id: string }[]) => new Set(users.map((user) => user.id));
const recipientsOf = async (type: string) => new Set((await events()).filter((event) => event.type === type).map((event) => event.userId));

let teachers: TestUser[];
let students: TestUser[];
let classIds: string[];
let subjectId: string;

beforeAll(async () => {
  teachers = await Promise.all([1, 2].map(() => createMember(ctx.app, ctx.school, 'teacher')));
  students = await Promise.all([1, 2, 3].map(() => createMember(ctx.app, ctx.school, 'student')));
  classIds = (await tenant().insertInto('classes').values([{ name: '5A', grade: 5, section: 'A' }, { name: '5B', grade: 5, section: 'B' }]).returning('id').execute()).map((row) => row.id);
  subjectId = (await tenant().insertInto('subjects').values({ name: 'Art' }).returning('id').executeTakeFirstOrThrow()).id;
  await tenant()
    .insertInto('enrollments')
    .values([
      { studentId: students[0]!.id, classId: classIds[0]! },
      { studentId: students[1]!.id, classId: classIds[0]! },
      { studentId: students[2]!.id, classId: classIds[1]! },
    ])
    .execute();
});

beforeEach(async () => {
  await tenant().deleteFrom('lessons').execute();
  await tenant().deleteFrom('events').execute();
});

describe('publishEvent', () => {
  it('writes one row per distinct recipient, with the data, in the caller’s transaction', async () => {
    await ctx.app.db.transaction().execute((trx) => publishEvent(tenantDb(trx, ctx.school.schemaName), { type: 'message.created', recipients: [teachers[0]!.id, teachers[0]!.id, students[0]!.id], data: { messageId: 'm1' } }));
    expect(await events()).toEqual(
      expect.arrayContaining([
        { userId: teachers[0]!.id, type: 'message.created', data: { messageId: 'm1' } },
        { userId: students[0]!.id, type: 'message.created', data: { messageId: 'm1' } },
      ]),
    );
    expect(await events()).toHaveLength(2);
  });

  it('leaves nothing behind when the transaction rolls back', async () => {
    await expect(
      ctx.app.db
        .transaction()
        .execute(async (trx) => {
          await publishEvent(tenantDb(trx, ctx.school.schemaName), { type: 'message.created', recipients: [teachers[0]!.id], data: {} });
          throw new Error('rolled back');
        }),
    ).rejects.toThrow('rolled back');
    expect(await events()).toEqual([]);
  });
});

describe('timetable.changed', () => {
  const lesson = (classIndex: number, teacherIndex: number, period: number) => ({ classId: classIds[classIndex]!, subjectId, teacherId: teachers[teacherIndex]!.id, day: 'monday' as const, period });

  it('goes to the teacher and the class’s students when a lesson is added, once per person for a bulk insert', async () => {
    await tenant().insertInto('lessons').values([lesson(0, 0, 1), lesson(0, 0, 2)]).execute();
    expect(await events()).toHaveLength(3);
    expect(await recipientsOf('timetable.changed')).toEqual(who(teachers[0]!, students[0]!, students[1]!));
  });

  it('goes to both sides when a lesson moves to another class and teacher', async () => {
    const { id } = await tenant().insertInto('lessons').values(lesson(0, 0, 1)).returning('id').executeTakeFirstOrThrow();
    await tenant().deleteFrom('events').execute();
    await tenant().updateTable('lessons').set({ classId: classIds[1]!, teacherId: teachers[1]!.id }).where('id', '=', id).execute();
    expect(await recipientsOf('timetable.changed')).toEqual(who(...teachers, ...students));
  });

  it('is not sent for an update that changes nothing a week shows', async () => {
    const { id } = await tenant().insertInto('lessons').values(lesson(0, 0, 1)).returning('id').executeTakeFirstOrThrow();
    await tenant().deleteFrom('events').execute();
    await tenant().updateTable('lessons').set({ pinned: true }).where('id', '=', id).execute();
    expect(await events()).toEqual([]);
  });

  it('goes to the teacher and students when a lesson is deleted, and to a student who changes class', async () => {
    await tenant().insertInto('lessons').values(lesson(1, 1, 1)).execute();
    await tenant().deleteFrom('events').execute();
    await tenant().deleteFrom('lessons').execute();
    expect(await recipientsOf('timetable.changed')).toEqual(who(teachers[1]!, students[2]!));
    await tenant().deleteFrom('events').execute();
    await tenant().updateTable('enrollments').set({ classId: classIds[1]! }).where('studentId', '=', students[0]!.id).execute();
    expect(await recipientsOf('timetable.changed')).toEqual(who(students[0]!));
  });
});

describe('timetable.changed for a bell-schedule change', () => {
  const week = (end: string) => ({
    days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    periods: [
      { number: 1, start: '08:00', end },
      { number: 2, start: '09:00', end: '09:45' },
    ],
  });
  const putSchedule = async (body: unknown) => {
    const response = await call(ctx.app, 'PUT', '/api/bell-schedule', { token: ctx.school.adminToken, body });
    expect(response.statusCode, response.body).toBe(200);
  };

  it('goes to everyone with lessons, teachers and the students of their classes, once each; nobody else', async () => {
    // Class 0 (students 0 and 1) has lessons with both teachers; class 1 (student 2) has none.
    await tenant().updateTable('enrollments').set({ classId: classIds[0]! }).where('studentId', 'in', [students[0]!.id, students[1]!.id]).execute();
    await tenant()
      .insertInto('lessons')
      .values([
        { classId: classIds[0]!, subjectId, teacherId: teachers[0]!.id, day: 'monday', period: 1 },
        { classId: classIds[0]!, subjectId, teacherId: teachers[1]!.id, day: 'monday', period: 2 },
      ])
      .execute();
    await tenant().deleteFrom('events').execute();
    await putSchedule(week('08:40'));
    expect(await events()).toEqual(
      expect.arrayContaining([teachers[0]!, teachers[1]!, students[0]!, students[1]!].map((user) => ({ userId: user.id, type: 'timetable.changed', data: { bellSchedule: true } }))),
    );
    expect(await events()).toHaveLength(4);
  });

  it('is not sent when the days and periods stay as they were, nor when nobody has lessons', async () => {
    await putSchedule(week('08:30'));
    await tenant().insertInto('lessons').values({ classId: classIds[1]!, subjectId, teacherId: teachers[1]!.id, day: 'monday', period: 1 }).execute();
    await tenant().deleteFrom('events').execute();
    await putSchedule(week('08:30'));
    expect(await events()).toEqual([]);
    await tenant().deleteFrom('lessons').execute();
    await tenant().deleteFrom('events').execute();
    await putSchedule(week('08:35'));
    expect(await events()).toEqual([]);
  });
});
