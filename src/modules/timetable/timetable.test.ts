import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, expectExactShape, type TestUser, useSchool } from '../../../test/helpers.js';
import { Timetable } from './schemas.js';

const ctx = useSchool();

const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);
const get = (url: string, token: string) => call(ctx.app, 'GET', url, { token });

interface Named {
  id: string;
  name: string;
}

let teacher: TestUser;
let otherTeacher: TestUser;
let pupil: TestUser;
let loner: TestUser;
let classA: Named;
let classB: Named;
let room: Named;
let physics: Named & { color: string | null };
let lessons: Record<'aMonday3' | 'aMonday1' | 'bMonday1' | 'aFriday8' | 'bTuesday2', string>;

/** The bell schedule (the default one: its own tests check it). */
let WEEK: { days: string[]; periods: { number: number; start: string; end: string }[] };

beforeAll(async () => {
  WEEK = (await get('/api/bell-schedule', ctx.school.adminToken)).data as typeof WEEK;
  [teacher, otherTeacher, pupil, loner] = await Promise.all([
    createMember(ctx.app, ctx.school, 'teacher'),
    createMember(ctx.app, ctx.school, 'teacher'),
    createMember(ctx.app, ctx.school, 'student'),
    createMember(ctx.app, ctx.school, 'student'),
  ]);
  const db = tenant();
  physics = await db.insertInto('subjects').values({ name: 'Physics', color: '#43A047' }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
  const insertClass = (name: string, section: string) =>
    db.insertInto('classes').values({ name, grade: 7, section }).returning(['id', 'name']).executeTakeFirstOrThrow();
  classA = await insertClass('7A', 'A');
  classB = await insertClass('7B', 'B');
  room = await db.insertInto('rooms').values({ name: 'Physics lab' }).returning(['id', 'name']).executeTakeFirstOrThrow();
  await db.insertInto('enrollments').values({ studentId: pupil.id, classId: classA.id }).execute();
  const insert = (classId: string, teacherId: string, day: 'monday' | 'tuesday' | 'friday', period: number, roomId: string | null) =>
    db
      .insertInto('lessons')
      .values({ classId, subjectId: physics.id, teacherId, day, period, roomId })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id);
  lessons = {
    aFriday8: await insert(classA.id, teacher.id, 'friday', 8, null),
    aMonday3: await insert(classA.id, otherTeacher.id, 'monday', 3, room.id),
    bTuesday2: await insert(classB.id, teacher.id, 'tuesday', 2, room.id),
    aMonday1: await insert(classA.id, teacher.id, 'monday', 1, null),
    bMonday1: await insert(classB.id, otherTeacher.id, 'monday', 1, room.id),
  };
});

const subject = () => ({ id: physics.id, name: 'Physics', color: '#43A047' });
const ref = ({ id, name }: Named) => ({ id, name });

/** The lessons inserted above, as a timetable shows them. */
function entries() {
  return {
    aMonday1: { id: lessons.aMonday1, day: 'monday', period: 1, start: '08:00', end: '08:45', subject: subject(), class: ref(classA), teacher: ref(teacher) },
    bMonday1: {
      id: lessons.bMonday1,
      day: 'monday',
      period: 1,
      start: '08:00',
      end: '08:45',
      subject: subject(),
      class: ref(classB),
      teacher: ref(otherTeacher),
      room: ref(room),
    },
    aMonday3: {
      id: lessons.aMonday3,
      day: 'monday',
      period: 3,
      start: '09:40',
      end: '10:25',
      subject: subject(),
      class: ref(classA),
      teacher: ref(otherTeacher),
      room: ref(room),
    },
    bTuesday2: {
      id: lessons.bTuesday2,
      day: 'tuesday',
      period: 2,
      start: '08:50',
      end: '09:35',
      subject: subject(),
      class: ref(classB),
      teacher: ref(teacher),
      room: ref(room),
    },
    aFriday8: { id: lessons.aFriday8, day: 'friday', period: 8, start: '14:15', end: '15:00', subject: subject(), class: ref(classA), teacher: ref(teacher) },
  };
}

async function expectWeek(url: string, token: string, expected: unknown[]) {
  const response = await get(url, token);
  expect(response.statusCode, response.body).toBe(200);
  expectExactShape(Timetable, response.data);
  expect(response.data).toEqual({ ...WEEK, lessons: expected });
}

describe('my timetable', () => {
  it("is a teacher's own week, by day in week order and period, with rooms only where there is one", async () => {
    const e = entries();
    await expectWeek('/api/timetable/me', teacher.token, [e.aMonday1, e.bTuesday2, e.aFriday8]);
    await expectWeek('/api/timetable/me', otherTeacher.token, [e.bMonday1, e.aMonday3]);
  });

  it("is a student's class week, and an empty week for a student in no class", async () => {
    const e = entries();
    await expectWeek('/api/timetable/me', pupil.token, [e.aMonday1, e.aMonday3, e.aFriday8]);
    await expectWeek('/api/timetable/me', loner.token, []);
  });

  it('is not there for admins, who teach no lessons', async () => {
    const response = await get('/api/timetable/me', ctx.school.adminToken);
    expect(response.statusCode).toBe(403);
    expect(response.data.code).toBe('FORBIDDEN');
  });
});

describe('timetables of a class, a teacher and a room', () => {
  it('are open to admins and teachers', async () => {
    const e = entries();
    for (const token of [ctx.school.adminToken, otherTeacher.token]) {
      await expectWeek(`/api/timetable/classes/${classA.id}`, token, [e.aMonday1, e.aMonday3, e.aFriday8]);
      await expectWeek(`/api/timetable/classes/${classB.id}`, token, [e.bMonday1, e.bTuesday2]);
      await expectWeek(`/api/timetable/teachers/${teacher.id}`, token, [e.aMonday1, e.bTuesday2, e.aFriday8]);
      await expectWeek(`/api/timetable/rooms/${room.id}`, token, [e.bMonday1, e.aMonday3, e.bTuesday2]);
    }
  });

  it("show a student their own class only: any other class, teacher or room is 403", async () => {
    const e = entries();
    await expectWeek(`/api/timetable/classes/${classA.id}`, pupil.token, [e.aMonday1, e.aMonday3, e.aFriday8]);
    for (const [url, token] of [
      [`/api/timetable/classes/${classB.id}`, pupil.token],
      [`/api/timetable/classes/${classA.id}`, loner.token],
      [`/api/timetable/teachers/${teacher.id}`, pupil.token],
      [`/api/timetable/rooms/${room.id}`, pupil.token],
    ] as const) {
      const response = await get(url, token);
      expect(response.statusCode, url).toBe(403);
      expect(response.data).toEqual({ code: 'FORBIDDEN', message: 'You do not have permission to do this' });
    }
  });

  it('answer 404 for what does not exist, and for a teacher id that is a student', async () => {
    const unknown = '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f';
    for (const [url, what] of [
      [`/api/timetable/classes/${unknown}`, 'Class'],
      [`/api/timetable/teachers/${unknown}`, 'Teacher'],
      [`/api/timetable/teachers/${pupil.id}`, 'Teacher'],
      [`/api/timetable/rooms/${unknown}`, 'Room'],
    ]) {
      const response = await get(url!, ctx.school.adminToken);
      expect(response.statusCode, url).toBe(404);
      expect(response.data).toEqual({ code: 'NOT_FOUND', message: `${what} not found` });
    }
    expect((await get(`/api/timetable/classes/${unknown}`, pupil.token)).statusCode).toBe(404);
  });

  it('follow the bell schedule: its days and periods, and the times it gives', async () => {
    const week = { days: [...WEEK.days, 'saturday'], periods: WEEK.periods.map((p) => (p.number === 1 ? { ...p, start: '07:00' } : p)) };
    expect((await call(ctx.app, 'PUT', '/api/bell-schedule', { token: ctx.school.adminToken, body: week })).statusCode).toBe(200);
    const response = await get('/api/timetable/me', pupil.token);
    expect(response.data.days).toEqual(week.days);
    expect(response.data.periods).toEqual(week.periods);
    expect(response.data.lessons[0]).toMatchObject({ id: lessons.aMonday1, start: '07:00', end: '08:45' });
    expect((await call(ctx.app, 'PUT', '/api/bell-schedule', { token: ctx.school.adminToken, body: WEEK })).statusCode).toBe(200);
  });
});

describe('my timetable, as cached', () => {
  /** Reads my week until `check` passes: changes made outside the API arrive by notification. */
  async function eventually(token: string, check: (week: { lessons: { subject: { name: string } }[] }) => boolean) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const week = (await get('/api/timetable/me', token)).data as { lessons: { subject: { name: string } }[] };
      if (check(week)) return week;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the timetable never showed the change');
  }

  it('serves a week from memory: a change the database keeps quiet about is not seen until something evicts it', async () => {
    // Notifications of earlier tests' changes arrive on their own schedule; one landing after the
    // week below is cached would evict it and hide what this test looks for (seen once on PostgreSQL).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = (await get('/api/timetable/me', teacher.token)).data;
    // Triggers do not fire in replica mode: no notification, so the cached week stays.
    await ctx.app.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await trx.withSchema(ctx.school.schemaName).updateTable('subjects').set({ color: '#000000' }).where('id', '=', physics.id).execute();
    });
    expect((await get('/api/timetable/me', teacher.token)).data).toEqual(before);
    await tenant().updateTable('subjects').set({ color: '#43A047' }).where('id', '=', physics.id).execute();
    expect((await get('/api/timetable/me', teacher.token)).data).toEqual(before);
  });

  it("shows a change made through the API at once, to the class's students and to its teacher", async () => {
    const before = (await get('/api/timetable/me', pupil.token)).data;
    await get('/api/timetable/me', teacher.token);
    const moved = await call(ctx.app, 'PATCH', `/api/schedules/${lessons.aFriday8}`, { token: ctx.school.adminToken, body: { period: 7 } });
    expect(moved.statusCode).toBe(200);
    const after = (await get('/api/timetable/me', pupil.token)).data;
    expect(after.lessons.at(-1)).toEqual({ ...before.lessons.at(-1), period: 7, start: '13:25', end: '14:10' });
    expect((await get('/api/timetable/me', teacher.token)).data.lessons.at(-1)).toMatchObject({ id: lessons.aFriday8, period: 7 });
    await call(ctx.app, 'PATCH', `/api/schedules/${lessons.aFriday8}`, { token: ctx.school.adminToken, body: { period: 8 } });
    expect((await get('/api/timetable/me', pupil.token)).data).toEqual(before);
  });

  it('shows changes made in the database by any other way once the database has told every instance', async () => {
    await get('/api/timetable/me', pupil.token);
    await tenant().updateTable('subjects').set({ name: 'Applied physics' }).where('id', '=', physics.id).execute();
    await eventually(pupil.token, (week) => week.lessons.every((lesson) => lesson.subject.name === 'Applied physics'));
    await tenant().updateTable('subjects').set({ name: 'Physics' }).where('id', '=', physics.id).execute();
    await eventually(pupil.token, (week) => week.lessons.every((lesson) => lesson.subject.name === 'Physics'));

    await get('/api/timetable/me', loner.token);
    await tenant().insertInto('enrollments').values({ studentId: loner.id, classId: classB.id }).execute();
    await eventually(loner.token, (week) => week.lessons.length === 2);
    await tenant().deleteFrom('enrollments').where('studentId', '=', loner.id).execute();
    await eventually(loner.token, (week) => week.lessons.length === 0);
  });
});
