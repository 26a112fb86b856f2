import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, expectErrorShape, expectExactShape, type TestUser, useSchool } from '../../../test/helpers.js';
import { tenantDb } from '../../db/tenant-schema.js';
import { MyTimetable } from '../timetable/schemas.js';
import { coverTeacherOf } from './queries.js';
import { AbsenceList } from './schemas.js';

const ctx = useSchool();

const tenant = () => tenantDb(ctx.app.db, ctx.school.schemaName);
const admin = () => ctx.school.adminToken;
const post = (url: string, body: unknown, token = admin()) => call(ctx.app, 'POST', url, { token, body });
const get = (url: string, token = admin()) => call(ctx.app, 'GET', url, { token });
const del = (url: string, token = admin()) => call(ctx.app, 'DELETE', url, { token });

interface Named {
  id: string;
  name: string;
}

const MONDAY = '2026-11-23';
const TUESDAY = '2026-11-24';
const WEEK = '2026-W48';

let ann: TestUser; // absent Monday and Tuesday
let bob: TestUser; // absent Monday period 3
let cat: TestUser; // teaches 7A
let sam: TestUser; // teaches physics
let pat: TestUser; // teaches nothing
let bea: TestUser; // busy Monday period 3
let una: TestUser; // unavailable Monday period 3
let al: TestUser; // absent all Monday
let pupil: TestUser; // in 7A
let classes: Record<'a' | 'b' | 'c', Named>;
let physics: Named & { color: string | null };
let maths: Named & { color: string | null };
let lab: Named;
/** l1 7A physics Ann mon 3 (lab); l2 7B maths Bob mon 3; l3 7A physics Ann tue 1; l4 7A maths Ann mon 5; c1 7A maths Cat wed 2; s1 7B physics Sam wed 3; bz 7C maths Bea mon 3. */
let lessons: Record<'l1' | 'l2' | 'l3' | 'l4' | 'c1' | 's1' | 'bz', string>;

const TIMES: Record<number, [string, string]> = { 1: ['08:00', '08:45'], 2: ['08:50', '09:35'], 3: ['09:40', '10:25'], 5: ['11:45', '12:30'] };

beforeAll(async () => {
  const member = (role: 'teacher' | 'student', name: string) => createMember(ctx.app, ctx.school, role, { name });
  [ann, bob, cat, sam, pat, bea, una, al, pupil] = await Promise.all([
    member('teacher', 'Ann Absent'),
    member('teacher', 'Bob Absent'),
    member('teacher', 'Cat Class'),
    member('teacher', 'Sam Subject'),
    member('teacher', 'Pat Plain'),
    member('teacher', 'Bea Busy'),
    member('teacher', 'Una Unavailable'),
    member('teacher', 'Al Away'),
    member('student', 'Pia Pupil'),
  ]);
  const db = tenant();
  physics = await db.insertInto('subjects').values({ name: 'Physics', color: '#43A047' }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
  maths = await db.insertInto('subjects').values({ name: 'Maths', color: null }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
  const insertClass = (name: string, section: string) => db.insertInto('classes').values({ name, grade: 7, section }).returning(['id', 'name']).executeTakeFirstOrThrow();
  classes = { a: await insertClass('7A', 'A'), b: await insertClass('7B', 'B'), c: await insertClass('7C', 'C') };
  lab = await db.insertInto('rooms').values({ name: 'Lab' }).returning(['id', 'name']).executeTakeFirstOrThrow();
  await db.insertInto('enrollments').values({ studentId: pupil.id, classId: classes.a.id }).execute();
  const insert = (classId: string, subjectId: string, teacherId: string, day: 'monday' | 'tuesday' | 'wednesday', period: number, roomId: string | null = null) =>
    db
      .insertInto('lessons')
      .values({ classId, subjectId, teacherId, day, period, roomId })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id);
  lessons = {
    l1: await insert(classes.a.id, physics.id, ann.id, 'monday', 3, lab.id),
    l2: await insert(classes.b.id, maths.id, bob.id, 'monday', 3),
    l3: await insert(classes.a.id, physics.id, ann.id, 'tuesday', 1),
    l4: await insert(classes.a.id, maths.id, ann.id, 'monday', 5),
    c1: await insert(classes.a.id, maths.id, cat.id, 'wednesday', 2),
    s1: await insert(classes.b.id, physics.id, sam.id, 'wednesday', 3),
    bz: await insert(classes.c.id, maths.id, bea.id, 'monday', 3),
  };
  await db.insertInto('teacherAvailability').values({ teacherId: una.id, unavailable: JSON.stringify([{ day: 'monday', period: 3 }]) }).execute();
  const holiday = await post('/api/calendar/events', { title: 'Staff day', type: 'holiday', allDay: true, date: TUESDAY, audience: { all: true } });
  expect(holiday.statusCode, holiday.body).toBe(201);
});

const ref = ({ id, name }: Named) => ({ id, name });

/** A lesson as timetables and this module show it. */
function entry(key: keyof typeof lessons) {
  const facts = {
    l1: [classes.a, physics, ann, 'monday', 3, lab],
    l2: [classes.b, maths, bob, 'monday', 3, null],
    l3: [classes.a, physics, ann, 'tuesday', 1, null],
    l4: [classes.a, maths, ann, 'monday', 5, null],
    c1: [classes.a, maths, cat, 'wednesday', 2, null],
    s1: [classes.b, physics, sam, 'wednesday', 3, null],
    bz: [classes.c, maths, bea, 'monday', 3, null],
  } as const;
  const [klass, subject, teacher, day, period, room] = facts[key];
  const [start, end] = TIMES[period]!;
  return {
    id: lessons[key],
    day,
    period,
    start,
    end,
    subject: { id: subject.id, name: subject.name, color: subject.color },
    class: ref(klass),
    teacher: ref(teacher),
    ...(room ? { room: ref(room) } : {}),
  };
}

const events = (userId: string) => tenant().selectFrom('events').select(['type', 'data']).where('userId', '=', userId).orderBy('cursor').execute();
const messagesTo = (userId: string) => tenant().selectFrom('messages').select(['senderId', 'body']).where('receiverId', '=', userId).orderBy('createdAt').execute();
const logEntries = (targetType: string) =>
  tenant().selectFrom('activityLogs').select(['action', 'targetId', 'userId']).where('targetType', '=', targetType).orderBy('createdAt').orderBy('id').execute();
const coverRows = () => tenant().selectFrom('covers').select(['lessonId', 'date', 'period', 'coverTeacherId']).orderBy('createdAt').execute();

let annAbsence: { id: string; createdAt: string };
let bobAbsence: string;

describe('teacher absences', () => {
  it('refuse bad dates, a non-teacher, periods outside the bell schedule, and non-admins', async () => {
    const cases: [unknown, string, string][] = [
      [{ teacherId: ann.id, from: TUESDAY, to: MONDAY }, 'to', 'is before from'],
      [{ teacherId: ann.id, from: '2026-01-01', to: '2027-01-02' }, 'to', 'is more than 366 days after from'],
      [{ teacherId: pupil.id, from: MONDAY, to: MONDAY }, 'teacherId', 'is not an active teacher of this institution'],
      [{ teacherId: ann.id, from: MONDAY, to: MONDAY, periods: [2, 9] }, 'periods', 'are not all periods of the bell schedule (1-8)'],
    ];
    for (const [body, field, message] of cases) {
      const response = await post('/api/teacher-absences', body);
      expect(response.statusCode, response.body).toBe(400);
      expectErrorShape(response);
      expect(response.data.details).toEqual([{ field, message }]);
    }
    const byTeacher = await post('/api/teacher-absences', { teacherId: ann.id, from: MONDAY, to: MONDAY }, cat.token);
    expect(byTeacher.statusCode).toBe(403);
    expectErrorShape(byTeacher);
    expect(await tenant().selectFrom('teacherAbsences').select('id').execute()).toEqual([]);
  });

  it('answer 201 with each dated lesson the absence takes out, not those on a holiday, each needing cover', async () => {
    const response = await post('/api/teacher-absences', { teacherId: ann.id, from: MONDAY, to: TUESDAY, reason: 'ill' });
    expect(response.statusCode, response.body).toBe(201);
    annAbsence = response.data as typeof annAbsence;
    expect(response.data).toEqual({
      id: annAbsence.id,
      teacher: ref(ann),
      from: MONDAY,
      to: TUESDAY,
      periods: null,
      reason: 'ill',
      createdAt: annAbsence.createdAt,
      lessons: [
        { date: MONDAY, lesson: entry('l1'), coverStatus: 'needed', cover: null },
        { date: MONDAY, lesson: entry('l4'), coverStatus: 'needed', cover: null },
      ],
    });
    expect(await tenant().selectFrom('teacherAbsences').select(['teacherId', 'from', 'to', 'periods', 'reason', 'createdBy']).where('id', '=', annAbsence.id).execute()).toEqual([
      { teacherId: ann.id, from: MONDAY, to: TUESDAY, periods: null, reason: 'ill', createdBy: ctx.school.admin.id },
    ]);
    expect(await logEntries('teacher-absence')).toEqual([{ action: 'create', targetId: annAbsence.id, userId: ctx.school.admin.id }]);
    expect((await events(ann.id)).at(-1)).toEqual({ type: 'timetable.changed', data: { absenceId: annAbsence.id } });
  });

  it('refuse an absence overlapping another of the same teacher (a day and a period in common), not one beside it', async () => {
    const overlap = await post('/api/teacher-absences', { teacherId: ann.id, from: TUESDAY, to: '2026-11-27', periods: [1] });
    expect(overlap.statusCode, overlap.body).toBe(409);
    expectErrorShape(overlap);
    expect(overlap.data).toEqual({
      code: 'CONFLICT',
      message: `Ann Absent is already absent then (${MONDAY} to ${TUESDAY})`,
      absence: { id: annAbsence.id, from: MONDAY, to: TUESDAY, periods: null },
    });
    const third = await post('/api/teacher-absences', { teacherId: bob.id, from: MONDAY, to: MONDAY, periods: [3] });
    expect(third.statusCode, third.body).toBe(201);
    bobAbsence = third.data.id;
    expect(third.data.periods).toEqual([3]);
    expect(third.data.lessons).toEqual([{ date: MONDAY, lesson: entry('l2'), coverStatus: 'needed', cover: null }]);
    const beside = await post('/api/teacher-absences', { teacherId: bob.id, from: MONDAY, to: MONDAY, periods: [5, 4] });
    expect(beside.statusCode, beside.body).toBe(201);
    expect(beside.data).toMatchObject({ periods: [4, 5], lessons: [] });
    expect((await del(`/api/teacher-absences/${beside.data.id}`)).data).toEqual({ message: 'Teacher absence deleted' });
    expect(await tenant().selectFrom('teacherAbsences').select('id').where('id', '=', beside.data.id).execute()).toEqual([]);
    expect((await post('/api/teacher-absences', { teacherId: al.id, from: MONDAY, to: MONDAY })).statusCode).toBe(201);
  });

  it('are listed latest first, by teacher or by a date they include, and read one by one', async () => {
    const all = await get('/api/teacher-absences');
    expect(all.statusCode, all.body).toBe(200);
    expectExactShape(AbsenceList, all.data);
    expect(all.data.total).toBe(3);
    const annOnly = await get(`/api/teacher-absences?teacherId=${ann.id}`);
    expect(annOnly.data).toEqual({
      items: [{ id: annAbsence.id, teacher: ref(ann), from: MONDAY, to: TUESDAY, periods: null, reason: 'ill', createdAt: expect.any(String) }],
      total: 1,
      page: 1,
      limit: 50,
    });
    expect((await get(`/api/teacher-absences?date=${TUESDAY}`)).data.items.map((item: { id: string }) => item.id)).toEqual([annAbsence.id]);
    expect((await get('/api/teacher-absences?date=2026-11-30')).data.total).toBe(0);
    const one = await get(`/api/teacher-absences/${annAbsence.id}`);
    expect(one.data.lessons.map((lesson: { coverStatus: string }) => lesson.coverStatus)).toEqual(['needed', 'needed']);
    const missing = await get('/api/teacher-absences/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expectErrorShape(missing);
    expect((await get('/api/teacher-absences', cat.token)).statusCode).toBe(403);
  });
});

const reasons = (...list: string[]) => list;

describe('cover suggestions', () => {
  it('are the teachers free then: those of the class first, then of the subject, then the fewest covers, each with reasons', async () => {
    const response = await get(`/api/cover/suggestions?lessonId=${lessons.l1}&date=${MONDAY}`);
    expect(response.statusCode, response.body).toBe(200);
    // Not Ann (her lesson), Bob (absent, teaching), Bea (teaching), Una (unavailable), Al (absent).
    expect(response.data).toEqual({
      date: MONDAY,
      lesson: entry('l1'),
      suggestions: [
        { teacher: ref(cat), teachesClass: true, teachesSubject: false, coversThisWeek: 0, reasons: reasons('teaches 7A', 'no covers this week') },
        { teacher: ref(sam), teachesClass: false, teachesSubject: true, coversThisWeek: 0, reasons: reasons('teaches Physics', 'no covers this week') },
        { teacher: ref(pat), teachesClass: false, teachesSubject: false, coversThisWeek: 0, reasons: reasons('no covers this week') },
      ],
    });
  });

  it('refuse a date the lesson does not take place on, an unknown lesson, and non-admins', async () => {
    const cases: [string, string, string][] = [
      [lessons.l1, TUESDAY, 'is a tuesday; the lesson is on mondays'],
      [lessons.l3, TUESDAY, 'is a holiday for 7A (Staff day)'],
      ['00000000-0000-4000-8000-000000000000', MONDAY, 'is not a lesson of this institution'],
    ];
    for (const [lessonId, date, message] of cases) {
      const response = await get(`/api/cover/suggestions?lessonId=${lessonId}&date=${date}`);
      expect(response.statusCode, response.body).toBe(400);
      expectErrorShape(response);
      expect(response.data.details).toEqual([{ field: message.startsWith('is not a lesson') ? 'lessonId' : 'date', message }]);
    }
    expect((await get(`/api/cover/suggestions?lessonId=${lessons.l1}&date=${MONDAY}`, cat.token)).statusCode).toBe(403);
  });
});

describe('assigning cover', () => {
  const assign = (key: keyof typeof lessons, teacher: TestUser, date = MONDAY) => post('/api/cover', { lessonId: lessons[key], date, coverTeacherId: teacher.id });

  it('refuses the own teacher, a lesson whose teacher is not absent, a non-teacher, and non-admins', async () => {
    const cases: [Promise<Awaited<ReturnType<typeof assign>>>, string, string][] = [
      [assign('l1', ann), 'coverTeacherId', "is the lesson's own teacher"],
      [assign('c1', pat, '2026-11-25'), 'date', 'is not in an absence of Cat Class: record the absence first'],
      [assign('l1', pupil), 'coverTeacherId', 'is not an active teacher of this institution'],
      [assign('l3', pat, TUESDAY), 'date', 'is a holiday for 7A (Staff day)'],
    ];
    for (const [pending, field, message] of cases) {
      const response = await pending;
      expect(response.statusCode, response.body).toBe(400);
      expectErrorShape(response);
      expect(response.data.details).toEqual([{ field, message }]);
    }
    expect((await post('/api/cover', { lessonId: lessons.l1, date: MONDAY, coverTeacherId: pat.id }, cat.token)).statusCode).toBe(403);
    expect(await coverRows()).toEqual([]);
  });

  it('answers 409 SCHEDULE_CONFLICT listing what keeps a busy teacher: a lesson, an absence, unavailability', async () => {
    const expected: [TestUser, unknown][] = [
      [bea, { kind: 'teacher', lesson: entry('bz') }],
      [bob, { kind: 'teacher', lesson: entry('l2') }],
      [una, { kind: 'unavailable', slot: { day: 'monday', period: 3 } }],
      [al, { kind: 'absence', absence: { id: expect.any(String), from: MONDAY, to: MONDAY, periods: null } }],
    ];
    for (const [teacher, conflict] of expected) {
      const response = await assign('l1', teacher);
      expect(response.statusCode, response.body).toBe(409);
      expectErrorShape(response);
      expect(response.data.code).toBe('SCHEDULE_CONFLICT');
      expect(response.data.conflicts[0]).toEqual(conflict);
    }
    // Bob teaches then and is absent then: both are listed.
    expect((await assign('l1', bob)).data.conflicts.map((c: { kind: string }) => c.kind)).toEqual(['teacher', 'absence']);
    expect(await coverRows()).toEqual([]);
  });

  it('gives one teacher to only one of two lessons at the same time when two admins assign at once', async () => {
    const [first, second] = await Promise.all([assign('l1', pat), assign('l2', pat)]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses, `${first.body} ${second.body}`).toEqual([201, 409]);
    const [won, lost] = first.statusCode === 201 ? [first, second] : [second, first];
    expectErrorShape(lost);
    expect(lost.data).toEqual({
      code: 'SCHEDULE_CONFLICT',
      message: 'The cover teacher is not free then (cover)',
      conflicts: [{ kind: 'cover', date: MONDAY, lesson: won.data.lesson }],
    });
    expect(await coverRows()).toEqual([{ lessonId: won.data.lesson.id, date: MONDAY, period: 3, coverTeacherId: pat.id }]);
    // The database holds it whatever the service does.
    const absenceId = won.data.absenceId === annAbsence.id ? bobAbsence : annAbsence.id;
    const twice = tenant()
      .insertInto('covers')
      .values({ absenceId, lessonId: won.data.lesson.id === lessons.l1 ? lessons.l2 : lessons.l1, date: MONDAY, period: 3, coverTeacherId: pat.id, assignedBy: ctx.school.admin.id })
      .execute();
    await expect(twice).rejects.toMatchObject({ code: '23505' });
    expect((await del(`/api/cover/${won.data.id}`)).data).toEqual({ message: 'Cover deleted' });
    expect(await coverRows()).toEqual([]);
  });

  it('gives a lesson one cover per date when two admins assign at once', async () => {
    const [first, second] = await Promise.all([assign('l1', cat), assign('l1', sam)]);
    expect([first.statusCode, second.statusCode].sort(), `${first.body} ${second.body}`).toEqual([201, 409]);
    const [won, lost] = first.statusCode === 201 ? [first, second] : [second, first];
    expect(lost.data).toEqual({ code: 'CONFLICT', message: `7A Physics already has a cover on ${MONDAY}; delete it first`, coverId: won.data.id });
    expect(await coverRows()).toHaveLength(1);
    expect((await del(`/api/cover/${won.data.id}`)).statusCode).toBe(200);
  });

  let catCover: string;

  it('answers 201 with the cover; the cover teacher gets a message from the admin and timetable.changed; both logged', async () => {
    const eventsBefore = (await events(cat.id)).length;
    const messagesBefore = (await messagesTo(cat.id)).length;
    const response = await assign('l1', cat);
    expect(response.statusCode, response.body).toBe(201);
    catCover = response.data.id;
    expect(response.data).toEqual({ id: catCover, absenceId: annAbsence.id, date: MONDAY, lesson: entry('l1'), coverTeacher: ref(cat), createdAt: expect.any(String) });
    expect((await messagesTo(cat.id)).slice(messagesBefore)).toEqual([
      { senderId: ctx.school.admin.id, body: `Cover: please take 7A Physics on monday ${MONDAY}, period 3 (09:40-10:25), Lab, for Ann Absent.` },
    ]);
    expect((await events(cat.id)).slice(eventsBefore)).toEqual([
      { type: 'message.created', data: { messageId: expect.any(String), senderId: ctx.school.admin.id, receiverId: cat.id } },
      { type: 'timetable.changed', data: { lessonId: lessons.l1, date: MONDAY } },
    ]);
    expect((await logEntries('cover')).at(-1)).toEqual({ action: 'create', targetId: catCover, userId: ctx.school.admin.id });
    expect(await coverTeacherOf(tenant(), lessons.l1, MONDAY)).toBe(cat.id);
    expect(await coverTeacherOf(tenant(), lessons.l4, MONDAY)).toBeUndefined();

    const again = await assign('l1', sam);
    expect(again.statusCode).toBe(409);
    expect(again.data.code).toBe('CONFLICT');
    const onTop = await assign('l2', cat);
    expect(onTop.data.conflicts).toEqual([{ kind: 'cover', date: MONDAY, lesson: entry('l1') }]);

    const absence = await get(`/api/teacher-absences/${annAbsence.id}`);
    expect(absence.data.lessons).toEqual([
      { date: MONDAY, lesson: entry('l1'), coverStatus: 'covered', cover: { id: catCover, teacher: ref(cat) } },
      { date: MONDAY, lesson: entry('l4'), coverStatus: 'needed', cover: null },
    ]);
  });

  it('counts the covers of the week in later suggestions', async () => {
    const response = await get(`/api/cover/suggestions?lessonId=${lessons.l4}&date=${MONDAY}`);
    // Cat teaches 7A and maths; Bea and Bob maths (Bob is absent in period 3 only); then by covers and name.
    expect(response.data.suggestions.map((s: { teacher: Named; coversThisWeek: number }) => [s.teacher.name, s.coversThisWeek])).toEqual([
      ['Cat Class', 1],
      ['Bea Busy', 0],
      ['Bob Absent', 0],
      ['Pat Plain', 0],
      ['Sam Subject', 0],
      ['Una Unavailable', 0],
    ]);
    expect(response.data.suggestions[0].reasons).toEqual(['teaches 7A', 'teaches Maths', '1 cover this week']);
  });

  it('shows in the dated week: the cover teacher has the lesson, the absent teacher has it struck through, students see the cover', async () => {
    const week = async (token: string) => {
      const response = await get(`/api/timetable/me?week=${WEEK}`, token);
      expect(response.statusCode, response.body).toBe(200);
      expectExactShape(MyTimetable, response.data);
      return response.data.lessons;
    };
    const covered = { cover: { teacher: ref(cat) } };
    expect(await week(ann.token)).toEqual([
      { ...entry('l1'), ...covered, cancelled: true },
      { ...entry('l4'), cancelled: true },
    ]);
    expect(await week(cat.token)).toEqual([{ ...entry('l1'), ...covered }, entry('c1')]);
    expect(await week(pupil.token)).toEqual([{ ...entry('l1'), ...covered }, entry('l4'), entry('c1')]);
    // Another week, and the base timetable, are as they were.
    expect(await week(ann.token).then(() => get('/api/timetable/me?week=2026-W49', ann.token)).then((r) => r.data.lessons)).toEqual([entry('l1'), entry('l4'), entry('l3')]);
    expect((await get('/api/timetable/me', cat.token)).data.lessons).toEqual([entry('c1')]);
  });

  it('is taken out of cached weeks when a cover changes by any path (database notifications)', async () => {
    const weekOf = async (token: string) => (await get(`/api/timetable/me?week=${WEEK}`, token)).data.lessons;
    expect(await weekOf(cat.token)).toHaveLength(2);
    await tenant().deleteFrom('covers').where('id', '=', catCover).execute();
    await expect.poll(async () => (await weekOf(cat.token)).length, { timeout: 10_000 }).toBe(1);
    expect(await weekOf(pupil.token)).toEqual([entry('l1'), entry('l4'), entry('c1')]);
    catCover = (await assign('l1', cat)).data.id;
    expect(await weekOf(cat.token)).toHaveLength(2);
  });

  it('goes when its lesson moves, and the cover teacher hears of it', async () => {
    const samCover = await assign('l2', sam);
    expect(samCover.statusCode, samCover.body).toBe(201);
    const before = (await events(sam.id)).length;
    const moved = await call(ctx.app, 'PATCH', `/api/schedules/${lessons.l2}`, { token: admin(), body: { period: 6 } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await tenant().selectFrom('covers').select('id').where('id', '=', samCover.data.id).execute()).toEqual([]);
    expect((await events(sam.id)).slice(before).map((event) => event.type)).toContain('timetable.changed');
  });

  it('is deleted by an admin (404 for an unknown one), and with its absence; the cover teacher is told each time', async () => {
    expect((await del('/api/cover/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await del(`/api/cover/${catCover}`, cat.token)).statusCode).toBe(403);
    const patCover = await assign('l4', pat);
    expect(patCover.statusCode, patCover.body).toBe(201);
    const before = (await messagesTo(pat.id)).length;
    const deleted = await del(`/api/teacher-absences/${annAbsence.id}`);
    expect(deleted.data).toEqual({ message: 'Teacher absence deleted' });
    expect(await tenant().selectFrom('covers').select('id').where('absenceId', '=', annAbsence.id).execute()).toEqual([]);
    expect((await messagesTo(pat.id)).slice(before)).toEqual([
      { senderId: ctx.school.admin.id, body: `Cover cancelled: you no longer take 7A Maths on monday ${MONDAY}, period 5 (11:45-12:30).` },
    ]);
    expect((await messagesTo(cat.id)).at(-1)!.body).toBe(`Cover cancelled: you no longer take 7A Physics on monday ${MONDAY}, period 3 (09:40-10:25).`);
    expect((await logEntries('teacher-absence')).at(-1)).toEqual({ action: 'delete', targetId: annAbsence.id, userId: ctx.school.admin.id });
    expect((await get(`/api/timetable/me?week=${WEEK}`, ann.token)).data.lessons).toEqual([entry('l1'), entry('l4')]);
    expect((await get(`/api/teacher-absences/${annAbsence.id}`)).statusCode).toBe(404);
  });
});
