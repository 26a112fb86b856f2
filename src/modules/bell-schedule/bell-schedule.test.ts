import { describe, expect, it } from 'vitest';
import { call, createMember, DATABASE_URL, useSchool } from '../../../test/helpers.js';

const ctx = useSchool();

const DEFAULT = {
  days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  periods: [
    { number: 1, start: '08:00', end: '08:45' },
    { number: 2, start: '08:50', end: '09:35' },
    { number: 3, start: '09:40', end: '10:25' },
    { number: 4, start: '10:30', end: '11:15' },
    { number: 5, start: '11:45', end: '12:30' },
    { number: 6, start: '12:35', end: '13:20' },
    { number: 7, start: '13:25', end: '14:10' },
    { number: 8, start: '14:15', end: '15:00' },
  ],
};

const put = (body: unknown, token = ctx.school.adminToken) => call(ctx.app, 'PUT', '/api/bell-schedule', { token, body });
const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);
const stored = () => tenant().selectFrom('bellSchedule').select(['days', 'periods']).executeTakeFirstOrThrow();
const logEntries = () =>
  tenant().selectFrom('activityLogs').select(['action', 'targetType', 'targetName', 'details']).where('targetType', '=', 'bellSchedule').execute();

async function insertLesson(day: string, period: number) {
  const db = tenant();
  const teacher = await createMember(ctx.app, ctx.school, 'teacher');
  const subject = await db.insertInto('subjects').values({ name: `Subject ${teacher.username}` }).returning('id').executeTakeFirstOrThrow();
  const klass = await db
    .insertInto('classes')
    .values({ name: `Class ${teacher.username}`, grade: 1, section: 'A' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return db
    .insertInto('lessons')
    .values({ classId: klass.id, subjectId: subject.id, teacherId: teacher.id, day: day as 'monday', period, roomId: null })
    .returning('id')
    .executeTakeFirstOrThrow();
}

describe('the bell schedule', () => {
  it('starts as Monday to Friday, 8 periods of 45 minutes from 08:00 with a lunch after period 4, for everyone to read', async () => {
    const student = await createMember(ctx.app, ctx.school, 'student');
    for (const token of [ctx.school.adminToken, student.token]) {
      const response = await call(ctx.app, 'GET', '/api/bell-schedule', { token });
      expect(response.statusCode).toBe(200);
      expect(response.data).toEqual(DEFAULT);
    }
  });

  it('is replaced by an admin, logged, and read back', async () => {
    const week = {
      days: ['monday', 'wednesday', 'saturday'],
      periods: [
        { number: 1, start: '07:30', end: '08:30' },
        { number: 2, start: '08:30', end: '09:30' },
      ],
    };
    const response = await put(week);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual(week);
    expect(await stored()).toEqual(week);
    expect((await call(ctx.app, 'GET', '/api/bell-schedule', { token: ctx.school.adminToken })).data).toEqual(week);
    expect(await logEntries()).toEqual([
      { action: 'update', targetType: 'bellSchedule', targetName: 'Bell schedule', details: { days: week.days, periods: 2 } },
    ]);
    expect((await put(DEFAULT)).statusCode).toBe(200);
  });

  it('may be changed by admins only', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const response = await put(DEFAULT, teacher.token);
    expect(response.statusCode).toBe(403);
    expect(response.data.code).toBe('FORBIDDEN');
  });

  it('names each bad day and period by its index and changes nothing', async () => {
    const response = await put({
      days: ['monday', 'friday', 'tuesday', 'friday'],
      periods: [
        { number: 1, start: '08:00', end: '08:45' },
        { number: 3, start: '08:40', end: '09:20' },
        { number: 3, start: '10:00', end: '09:30' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('Invalid bell schedule'),
      details: [
        { field: 'days.2', message: 'must come after friday: list the days in week order' },
        { field: 'days.3', message: 'repeats friday' },
        { field: 'periods.1.number', message: 'must be 2: periods are numbered from 1 in order' },
        { field: 'periods.1.start', message: 'must not be before the previous period ends (08:45)' },
        { field: 'periods.2.end', message: 'must be after the start (10:00)' },
      ],
    });
    expect(await stored()).toEqual(DEFAULT);
  });

  it('refuses shapes the schema rules out, naming the index', async () => {
    const cases: [unknown, string][] = [
      [{ days: ['monday', 'funday'], periods: DEFAULT.periods }, 'days.1'],
      [{ days: [], periods: DEFAULT.periods }, 'days'],
      [{ days: DEFAULT.days, periods: [] }, 'periods'],
      [{ days: DEFAULT.days, periods: [{ number: 1, start: '8:00', end: '08:45' }] }, 'periods.0.start'],
      [{ days: DEFAULT.days, periods: [{ number: 1, start: '08:00', end: '24:00' }] }, 'periods.0.end'],
      [{ days: DEFAULT.days, periods: Array.from({ length: 17 }, (_, i) => ({ number: i + 1, start: '08:00', end: '08:01' })) }, 'periods'],
      [{ days: [...DEFAULT.days, 'saturday', 'sunday', 'monday'], periods: DEFAULT.periods }, 'days'],
    ];
    for (const [body, field] of cases) {
      const response = await put(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.data.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect(await stored()).toEqual(DEFAULT);
  });

  it('refuses to drop a day or period that lessons use: 409 LESSONS_OUTSIDE with their count, nothing changed', async () => {
    const friday = await insertLesson('friday', 2);
    const lastPeriod = await insertLesson('monday', 8);
    const shorter = { days: DEFAULT.days.slice(0, 4), periods: DEFAULT.periods.slice(0, 7) };
    const response = await put(shorter);
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'LESSONS_OUTSIDE',
      message: '2 lessons fall on a day or period this schedule removes; move or delete them first',
      count: 2,
    });
    expect(await stored()).toEqual(DEFAULT);

    await tenant().deleteFrom('lessons').where('id', '=', friday.id).execute();
    const one = await put(shorter);
    expect(one.data).toMatchObject({ code: 'LESSONS_OUTSIDE', count: 1 });
    // Lessons still inside the new week do not stand in its way.
    const fewerDays = { days: ['monday', 'tuesday'], periods: DEFAULT.periods };
    expect((await put(fewerDays)).statusCode).toBe(200);
    expect(await stored()).toEqual(fewerDays);
    await tenant().deleteFrom('lessons').where('id', '=', lastPeriod.id).execute();
    expect((await put(DEFAULT)).statusCode).toBe(200);
  });
});

describe.skipIf(!DATABASE_URL)('on PostgreSQL, under concurrency', () => {
  it('never leaves a lesson on a day that is removed while lessons are being put there', async () => {
    const db = tenant();
    const teachers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createMember(ctx.app, ctx.school, 'teacher')));
    const subject = await db.insertInto('subjects').values({ name: 'Race subject' }).returning('id').executeTakeFirstOrThrow();
    const classes = await db
      .insertInto('classes')
      .values(teachers.map((_, i) => ({ name: `Race ${i}`, grade: 2, section: String(i) })))
      .returning('id')
      .execute();
    const mondayToThursday = { days: DEFAULT.days.slice(0, 4), periods: DEFAULT.periods };
    for (let round = 0; round < 5; round++) {
      await db.deleteFrom('lessons').execute();
      expect((await put(DEFAULT)).statusCode).toBe(200);
      const posts = classes.map((klass, i) =>
        call(ctx.app, 'POST', '/api/schedules', {
          token: ctx.school.adminToken,
          body: { classId: klass.id, subjectId: subject.id, teacherId: teachers[i]!.id, day: 'friday', period: 1 },
        }),
      );
      const [change, ...answers] = await Promise.all([put(mondayToThursday), ...posts]);
      const created = answers.filter((answer) => answer.statusCode === 201).length;
      expect(answers.every((answer) => answer.statusCode === 201 || answer.statusCode === 400)).toBe(true);
      const onFriday = await db.selectFrom('lessons').select('id').where('day', '=', 'friday').execute();
      expect(onFriday).toHaveLength(created);
      if (change.statusCode === 200) {
        expect(created).toBe(0);
      } else {
        // Lessons put there after the refusal are fine: Friday stayed a working day.
        expect(change.data.code).toBe('LESSONS_OUTSIDE');
        expect(change.data.count).toBeGreaterThan(0);
        expect(change.data.count).toBeLessThanOrEqual(created);
      }
    }
    await db.deleteFrom('lessons').execute();
    expect((await put(DEFAULT)).statusCode).toBe(200);
  });
});
