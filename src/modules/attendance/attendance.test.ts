import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, DATABASE_URL, expectErrorShape, expectExactShape, type TestUser, unique, useSchool } from '../../../test/helpers.js';
import { WEEKDAYS } from '../bell-schedule/schemas.js';
import { AbsenceView, ClassReport, MissingRegisters, RegisterHistory, RegisterView, StudentReport } from './schemas.js';

const ctx = useSchool();
const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const as = (token: string, method: Method, url: string, body?: unknown, headers?: Record<string, string>) =>
  call(ctx.app, method, url, { token, body, ...(headers ? { headers } : {}) });
const admin = () => ctx.school.adminToken;

/** Dates relative to today (UTC, the institution's zone): every weekday of the week two weeks ago, and today. */
const today = Temporal.Now.plainDateISO('UTC');
const weekAgo = (weeks: number) => today.subtract({ days: today.dayOfWeek - 1 }).subtract({ weeks });
const mondayA = weekAgo(2).toString();
const mondayB = weekAgo(1).toString();
const tuesdayA = weekAgo(2).add({ days: 1 }).toString();
const nextMonday = weekAgo(-1).toString();
const todayWeekday = WEEKDAYS[today.dayOfWeek - 1]!;

let teacher: TestUser;
let otherTeacher: TestUser;
let coverTeacher: TestUser;
let ana: TestUser;
let ben: TestUser;
let cleo: TestUser;
let dan: TestUser;
let mum: TestUser;
let dad: TestUser;
let danMum: TestUser;
let strangerParent: TestUser;
let classA: { id: string; name: string };
let classB: { id: string; name: string };
let subject: { id: string; name: string };
/** Class A: Monday periods 1 and 2 (teacher), today's weekday period 3 (teacher). Class B: Monday period 1 (otherTeacher). */
let mondayLesson: string;
let mondayLesson2: string;
let todayLesson: string;
let classBLesson: string;

const registerUrl = (lessonId: string, date: string) => `/api/schedules/${lessonId}/attendance?date=${date}`;
const historyUrl = (lessonId: string, date: string) => `/api/schedules/${lessonId}/attendance/history?date=${date}`;
const person = (user: TestUser) => ({ id: user.id, name: user.name });

async function guardianOf(...children: TestUser[]) {
  // createMember is typed for the roles its callers had; guardians are users like them.
  const guardian = await createMember(ctx.app, ctx.school, 'guardian' as 'student');
  await tenant()
    .insertInto('guardianLinks')
    .values(children.map((child) => ({ studentId: child.id, guardianId: guardian.id, relationship: 'guardian' })))
    .execute();
  return guardian;
}

async function lesson(classId: string, teacherId: string, day: string, period: number) {
  const row = await tenant()
    .insertInto('lessons')
    .values({ classId, subjectId: subject.id, teacherId, day: day as 'monday', period })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function saved(token: string, lessonId: string, date: string, marks: unknown[]) {
  const response = await as(token, 'PUT', registerUrl(lessonId, date), marks);
  expect(response.statusCode, response.body).toBe(200);
  expectExactShape(RegisterView, response.data);
  return response.data as { students: { student: { id: string }; status: string | null; marked: boolean }[] };
}

const alertRows = () => tenant().selectFrom('absenceAlerts').select(['studentId', 'date']).orderBy('studentId').execute();
const messagesTo = (guardian: TestUser) =>
  tenant().selectFrom('messages').select(['senderId', 'receiverId', 'aboutStudentId', 'body']).where('receiverId', '=', guardian.id).orderBy('createdAt').execute();
const eventsFor = (user: TestUser) =>
  tenant().selectFrom('events').select(['type', 'data']).where('userId', '=', user.id).where('type', '=', 'attendance.absent').orderBy('cursor').execute();

beforeAll(async () => {
  const put = await as(admin(), 'PUT', '/api/bell-schedule', {
    days: [...WEEKDAYS],
    periods: [1, 2, 3, 4].map((number) => ({ number, start: `${String(number + 7).padStart(2, "0")}:00`, end: `${String(number + 7).padStart(2, "0")}:45` })),
  });
  expect(put.statusCode, put.body).toBe(200);
  [teacher, otherTeacher, coverTeacher] = [
    await createMember(ctx.app, ctx.school, 'teacher', { name: 'Tess Teacher' }),
    await createMember(ctx.app, ctx.school, 'teacher', { name: 'Otto Other' }),
    await createMember(ctx.app, ctx.school, 'teacher', { name: 'Cora Cover' }),
  ];
  [ana, ben, cleo, dan] = [
    await createMember(ctx.app, ctx.school, 'student', { name: 'Ana Alvarez' }),
    await createMember(ctx.app, ctx.school, 'student', { name: 'Ben Brown' }),
    await createMember(ctx.app, ctx.school, 'student', { name: 'Cleo Clark' }),
    await createMember(ctx.app, ctx.school, 'student', { name: 'Dan Dorsey' }),
  ];
  mum = await guardianOf(ana, ben);
  dad = await guardianOf(ana);
  danMum = await guardianOf(dan);
  strangerParent = await guardianOf(dan);
  const db = tenant();
  subject = await db.insertInto('subjects').values({ name: 'Maths' }).returning(['id', 'name']).executeTakeFirstOrThrow();
  classA = await db.insertInto('classes').values({ name: '5A', grade: 5, section: 'A' }).returning(['id', 'name']).executeTakeFirstOrThrow();
  classB = await db.insertInto('classes').values({ name: '5B', grade: 5, section: 'B' }).returning(['id', 'name']).executeTakeFirstOrThrow();
  await db
    .insertInto('enrollments')
    .values([ana, ben, cleo].map((student) => ({ studentId: student.id, classId: classA.id })))
    .execute();
  await db.insertInto('enrollments').values({ studentId: dan.id, classId: classB.id }).execute();
  mondayLesson = await lesson(classA.id, teacher.id, 'monday', 1);
  mondayLesson2 = await lesson(classA.id, teacher.id, 'monday', 2);
  todayLesson = await lesson(classA.id, teacher.id, todayWeekday, 3);
  classBLesson = await lesson(classB.id, otherTeacher.id, 'monday', 1);
  const holiday = await as(admin(), 'POST', '/api/calendar/events', {
    title: 'Class trip day off',
    type: 'holiday',
    allDay: true,
    date: mondayB,
    audience: { classIds: [classA.id] },
  });
  expect(holiday.statusCode, holiday.body).toBe(201);
});

describe('the register', () => {
  it('opens with the class roster unmarked, for the lesson teacher and admins', async () => {
    const response = await as(teacher.token, 'GET', registerUrl(mondayLesson, mondayA));
    expect(response.statusCode, response.body).toBe(200);
    expectExactShape(RegisterView, response.data);
    expect(response.data).toMatchObject({ date: mondayA, taken: false, takenBy: null, takenAt: null, updatedAt: null });
    expect(response.data.lesson).toMatchObject({ id: mondayLesson, day: 'monday', period: 1, class: classA, teacher: person(teacher) });
    expect(response.data.students).toEqual(
      [ana, ben, cleo].map((student) => ({ student: person(student), status: null, minutesLate: null, note: null, marked: false, knownAbsence: null })),
    );
    expect((await as(admin(), 'GET', registerUrl(mondayLesson, mondayA))).statusCode).toBe(200);
  });

  it('refuses other teachers (403), students and guardians (403), and unknown lessons (404)', async () => {
    for (const [token, status] of [
      [otherTeacher.token, 403],
      [coverTeacher.token, 403],
      [ana.token, 403],
      [mum.token, 403],
    ] as const) {
      for (const method of ['GET', 'PUT'] as const) {
        const response = await as(token, method, registerUrl(mondayLesson, mondayA), method === 'PUT' ? [] : undefined);
        expect(response.statusCode, `${method} ${response.body}`).toBe(status);
        expectErrorShape(response);
      }
    }
    const unknown = await as(admin(), 'GET', registerUrl(randomUUID(), mondayA));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.data).toEqual({ code: 'NOT_FOUND', message: 'Lesson not found' });
    expect(await tenant().selectFrom('attendanceRegisters').select('id').execute()).toEqual([]);
  });

  it("lets the teacher covering the lesson on that date take it, and on no other date", async () => {
    const absence = await tenant()
      .insertInto('teacherAbsences')
      .values({ teacherId: teacher.id, from: tuesdayA, to: tuesdayA, periods: null, reason: null, createdBy: ctx.school.admin.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const tuesdayLesson = await lesson(classA.id, teacher.id, 'tuesday', 4);
    await tenant()
      .insertInto('covers')
      .values({ absenceId: absence.id, lessonId: tuesdayLesson, date: tuesdayA, period: 4, coverTeacherId: coverTeacher.id, assignedBy: ctx.school.admin.id })
      .execute();
    expect((await as(coverTeacher.token, 'GET', registerUrl(tuesdayLesson, tuesdayA))).statusCode).toBe(200);
    const body = await saved(coverTeacher.token, tuesdayLesson, tuesdayA, [{ studentId: ana.id, status: 'present' }]);
    expect(body.students.map((s) => s.status)).toEqual(['present', null, null]);
    const register = await tenant().selectFrom('attendanceRegisters').select(['takenBy', 'teacherId']).where('lessonId', '=', tuesdayLesson).executeTakeFirstOrThrow();
    expect(register).toEqual({ takenBy: coverTeacher.id, teacherId: teacher.id });
    const earlier = weekAgo(3).add({ days: 1 }).toString();
    expect((await as(coverTeacher.token, 'GET', registerUrl(tuesdayLesson, earlier))).statusCode).toBe(403);
  });

  it('is only for a date on which the lesson takes place: its weekday, not a holiday for its class, not in the future', async () => {
    const cases = [
      [mondayLesson, tuesdayA, `${tuesdayA} is a tuesday; this lesson is on mondays`, 'is not a monday'],
      [mondayLesson, mondayB, `${mondayB} is a holiday for this class (Class trip day off)`, 'is a holiday'],
      [mondayLesson, nextMonday, `${nextMonday} is in the future (today is ${today.toString()} in UTC)`, 'is in the future'],
    ] as const;
    for (const [lessonId, date, message, detail] of cases) {
      for (const method of ['GET', 'PUT'] as const) {
        const response = await as(teacher.token, method, registerUrl(lessonId, date), method === 'PUT' ? [{ studentId: ana.id, status: 'present' }] : undefined);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.data).toEqual({ code: 'VALIDATION_ERROR', message, details: [{ field: 'date', message: detail }] });
      }
    }
    // The holiday is class A's: class B's Monday lesson takes place that day.
    expect((await as(otherTeacher.token, 'GET', registerUrl(classBLesson, mondayB))).statusCode).toBe(200);
    expect(await tenant().selectFrom('attendanceRegisters').select('id').where('lessonId', '=', mondayLesson).execute()).toEqual([]);
  });

  it('refuses students not in the class, naming them, and marks that contradict themselves', async () => {
    const stranger = randomUUID();
    const outside = await as(teacher.token, 'PUT', registerUrl(mondayLesson, mondayA), [
      { studentId: ana.id, status: 'present' },
      { studentId: dan.id, status: 'absent' },
      { studentId: stranger, status: 'absent' },
    ]);
    expect(outside.statusCode).toBe(400);
    expect(outside.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: `Not students of class 5A: ${dan.id}, ${stranger}`,
      details: [
        { field: '1.studentId', message: 'is not a student of this class' },
        { field: '2.studentId', message: 'is not a student of this class' },
      ],
      studentIds: [dan.id, stranger],
    });
    const contradictions = await as(teacher.token, 'PUT', registerUrl(mondayLesson, mondayA), [
      { studentId: ana.id, status: 'present', minutesLate: 5 },
      { studentId: ana.id, status: 'late', minutesLate: 5 },
    ]);
    expect(contradictions.statusCode).toBe(400);
    expect(contradictions.data.details).toEqual([
      { field: '0.minutesLate', message: 'is only for a late mark' },
      { field: '1.studentId', message: 'is listed twice' },
    ]);
    const badStatus = await as(teacher.token, 'PUT', registerUrl(mondayLesson, mondayA), [{ studentId: ana.id, status: 'sick' }]);
    expect(badStatus.statusCode).toBe(400);
    expectErrorShape(badStatus);
    expect(await tenant().selectFrom('attendanceRegisters').select('id').where('lessonId', '=', mondayLesson).execute()).toEqual([]);
  });

  it('saves marks, replaces them when saved again, and keeps the changes made after the day with who and when', async () => {
    const first = await saved(teacher.token, mondayLesson, mondayA, [
      { studentId: ana.id, status: 'present' },
      { studentId: ben.id, status: 'late', minutesLate: 7, note: 'bus' },
      { studentId: cleo.id, status: 'present' },
    ]);
    expect(first).toMatchObject({ taken: true, takenBy: person(teacher) });
    expect(first.students).toEqual([
      { student: person(ana), status: 'present', minutesLate: null, note: null, marked: true, knownAbsence: null },
      { student: person(ben), status: 'late', minutesLate: 7, note: 'bus', marked: true, knownAbsence: null },
      { student: person(cleo), status: 'present', minutesLate: null, note: null, marked: true, knownAbsence: null },
    ]);
    const again = await saved(admin(), mondayLesson, mondayA, [
      { studentId: ana.id, status: 'present' },
      { studentId: ben.id, status: 'excused', note: 'doctor' },
    ]);
    expect(again.students.map((s) => [s.status, s.marked])).toEqual([
      ['present', true],
      ['excused', true],
      [null, false],
    ]);
    const marks = await tenant()
      .selectFrom('attendanceMarks as m')
      .innerJoin('attendanceRegisters as r', 'r.id', 'm.registerId')
      .select(['m.studentId', 'm.status', 'm.minutesLate', 'm.note'])
      .where('r.lessonId', '=', mondayLesson)
      .orderBy('m.status')
      .execute();
    expect(marks).toEqual([
      { studentId: ben.id, status: 'excused', minutesLate: null, note: 'doctor' },
      { studentId: ana.id, status: 'present', minutesLate: null, note: null },
    ]);
    const history = await as(teacher.token, 'GET', historyUrl(mondayLesson, mondayA));
    expect(history.statusCode).toBe(200);
    expectExactShape(RegisterHistory, history.data);
    // The date is past: the first taking and the admin's change are both kept; the unchanged mark is not.
    const changes = (history.data.changes as Record<string, unknown>[]).map(({ changedAt: _at, ...change }) => change);
    const adminPerson = { id: ctx.school.admin.id, name: ctx.school.admin.name };
    expect(changes).toEqual(
      expect.arrayContaining([
        { student: person(ana), previousStatus: null, status: 'present', minutesLate: null, note: null, changedBy: person(teacher) },
        { student: person(ben), previousStatus: 'late', status: 'excused', minutesLate: null, note: 'doctor', changedBy: adminPerson },
        { student: person(cleo), previousStatus: 'present', status: null, minutesLate: null, note: null, changedBy: adminPerson },
      ]),
    );
    expect(changes).toHaveLength(5);
    const log = await tenant().selectFrom('activityLogs').select(['action', 'targetType', 'userId']).where('targetType', '=', 'attendance-register').orderBy('createdAt').execute();
    expect(log.slice(-2)).toEqual([
      { action: 'take', targetType: 'attendance-register', userId: teacher.id },
      { action: 'update', targetType: 'attendance-register', userId: ctx.school.admin.id },
    ]);
  });

  it('keeps no history for changes on the day itself', async () => {
    const date = today.toString();
    await saved(teacher.token, todayLesson, date, [{ studentId: ana.id, status: 'late', minutesLate: 3 }]);
    await saved(teacher.token, todayLesson, date, [{ studentId: ana.id, status: 'present' }]);
    const history = await as(teacher.token, 'GET', historyUrl(todayLesson, date));
    expect(history.data).toEqual({ lessonId: todayLesson, date, changes: [] });
    // Without a date, the register is today's.
    const todays = await as(teacher.token, 'GET', `/api/schedules/${todayLesson}/attendance`);
    expect(todays.data).toMatchObject({ date, taken: true, students: [{ student: person(ana), status: 'present', marked: true }, { status: null }, { status: null }] });
  });
});

describe('known absences', () => {
  it('are announced by a guardian of the student or an admin, and refused to anyone else', async () => {
    const response = await as(mum.token, 'POST', `/api/students/${ben.id}/absences`, { from: mondayA, to: mondayA, reason: 'Dentist', periods: [2, 1] });
    expect(response.statusCode, response.body).toBe(201);
    expectExactShape(AbsenceView, response.data);
    expect(response.data).toEqual({
      id: expect.any(String),
      studentId: ben.id,
      from: mondayA,
      to: mondayA,
      reason: 'Dentist',
      periods: [1, 2],
      createdBy: person(mum),
      createdAt: expect.any(String),
    });
    for (const [token, status] of [
      [dad.token, 403],
      [teacher.token, 403],
      [ben.token, 403],
      [danMum.token, 403],
    ] as const) {
      const refused = await as(token, 'POST', `/api/students/${ben.id}/absences`, { from: mondayA, to: mondayA, reason: 'x' });
      expect(refused.statusCode, refused.body).toBe(status);
      expectErrorShape(refused);
    }
    expect((await as(admin(), 'POST', `/api/students/${randomUUID()}/absences`, { from: mondayA, to: mondayA, reason: 'x' })).statusCode).toBe(404);
    expect((await as(admin(), 'POST', `/api/students/${teacher.id}/absences`, { from: mondayA, to: mondayA, reason: 'x' })).statusCode).toBe(404);
    const invalid = await as(admin(), 'POST', `/api/students/${ben.id}/absences`, { from: mondayA, to: weekAgo(3).toString(), reason: 'x', periods: [9] });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.data.details).toEqual([
      { field: 'to', message: 'must not be before from' },
      { field: 'periods.0', message: 'is not a period of the bell schedule (1-4)' },
    ]);
    const rows = await tenant().selectFrom('studentAbsences').select(['studentId', 'fromDate', 'toDate', 'periods', 'createdBy']).execute();
    expect(rows).toEqual([{ studentId: ben.id, fromDate: mondayA, toDate: mondayA, periods: [1, 2], createdBy: mum.id }]);
    const log = await tenant().selectFrom('activityLogs').select(['action', 'userId', 'targetName']).where('targetId', '=', response.data.id).execute();
    expect(log).toEqual([{ action: 'create', userId: mum.id, targetName: ben.name }]);
  });

  it('pre-mark the registers they cover as excused until marked', async () => {
    const register = (await as(teacher.token, 'GET', registerUrl(mondayLesson2, mondayA))).data;
    const benEntry = register.students.find((s: { student: { id: string } }) => s.student.id === ben.id);
    expect(benEntry).toEqual({ student: person(ben), status: 'excused', minutesLate: null, note: null, marked: false, knownAbsence: { id: expect.any(String), reason: 'Dentist' } });
    // Period 3 is not covered by the absence of periods 1 and 2 (the today lesson is on another date anyway).
    const other = await tenant().selectFrom('studentAbsences').select('id').execute();
    expect(other).toHaveLength(1);
  });

  it('are listed for the student, their guardians, their teachers and admins, and deleted by a guardian or admin', async () => {
    const url = `/api/students/${ben.id}/absences`;
    for (const token of [ben.token, mum.token, teacher.token, admin()]) {
      const response = await as(token, 'GET', url);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.data).toHaveLength(1);
    }
    for (const token of [ana.token, danMum.token, otherTeacher.token]) expect((await as(token, 'GET', url)).statusCode).toBe(403);
    const added = await as(admin(), 'POST', url, { from: mondayB, to: mondayB, reason: 'Trip' });
    expect((await as(dad.token, 'DELETE', `${url}/${added.data.id}`)).statusCode).toBe(403);
    expect((await as(mum.token, 'DELETE', `${url}/${randomUUID()}`)).statusCode).toBe(404);
    const deleted = await as(mum.token, 'DELETE', `${url}/${added.data.id}`);
    expect(deleted.data).toEqual({ message: 'Absence deleted' });
    expect(await tenant().selectFrom('studentAbsences').select('reason').execute()).toEqual([{ reason: 'Dentist' }]);
    const log = await tenant().selectFrom('activityLogs').select(['action', 'userId']).where('targetId', '=', added.data.id).orderBy('createdAt').execute();
    expect(log).toEqual([
      { action: 'create', userId: ctx.school.admin.id },
      { action: 'delete', userId: mum.id },
    ]);
  });
});

describe('absence alerts', () => {
  it("message each guardian and send attendance.absent once per student and day, not for a known absence or a child without guardians", async () => {
    await saved(teacher.token, mondayLesson2, mondayA, [
      { studentId: ana.id, status: 'absent' },
      { studentId: ben.id, status: 'absent' },
      { studentId: cleo.id, status: 'absent' },
    ]);
    expect(await alertRows()).toEqual([{ studentId: ana.id, date: mondayA }]);
    const text = `Ana Alvarez was marked absent from Maths (period 2) on ${mondayA} and no absence was announced. Please let the school know why.`;
    for (const guardian of [mum, dad]) {
      expect(await messagesTo(guardian)).toEqual([{ senderId: teacher.id, receiverId: guardian.id, aboutStudentId: ana.id, body: text }]);
      expect(await eventsFor(guardian)).toEqual([
        { type: 'attendance.absent', data: { studentId: ana.id, date: mondayA, lessonId: mondayLesson2, period: 2, subjectId: subject.id } },
      ]);
    }
    // Saved again, and absent from another lesson the same day: no second alert.
    await saved(teacher.token, mondayLesson2, mondayA, [
      { studentId: ana.id, status: 'absent', note: 'still away' },
      { studentId: ben.id, status: 'absent' },
      { studentId: cleo.id, status: 'absent' },
    ]);
    await saved(teacher.token, mondayLesson, mondayA, [
      { studentId: ana.id, status: 'absent' },
      { studentId: ben.id, status: 'excused', note: 'doctor' },
    ]);
    expect(await messagesTo(mum)).toHaveLength(1);
    expect(await eventsFor(dad)).toHaveLength(1);
    const log = await tenant()
      .selectFrom('activityLogs')
      .select(['action', 'details'])
      .where('targetType', '=', 'message')
      .where('userId', '=', teacher.id)
      .execute();
    expect(log.map((entry) => entry.action)).toEqual(['send', 'send']);
  });

  it('go out once even when two registers mark the student absent at the same time', async () => {
    const lessonX = await lesson(classB.id, otherTeacher.id, 'monday', 2);
    const lessonY = await lesson(classB.id, otherTeacher.id, 'monday', 3);
    const date = weekAgo(3).toString();
    const responses = await Promise.all(
      [lessonX, lessonY, classBLesson].map((lessonId) => as(otherTeacher.token, 'PUT', registerUrl(lessonId, date), [{ studentId: dan.id, status: 'absent' }])),
    );
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200]);
    expect((await alertRows()).filter((row) => row.date === date)).toEqual([{ studentId: dan.id, date }]);
    for (const guardian of [danMum, strangerParent]) {
      expect(await messagesTo(guardian)).toHaveLength(1);
      expect(await eventsFor(guardian)).toHaveLength(1);
    }
  });
});

describe('reports', () => {
  it("of a class: students against the dates with registers, with counts and rate, as JSON and formula-safe CSV", async () => {
    const response = await as(teacher.token, 'GET', `/api/classes/${classA.id}/attendance?from=${weekAgo(3).toString()}&to=${today.toString()}`);
    expect(response.statusCode, response.body).toBe(200);
    expectExactShape(ClassReport, response.data);
    const dates = [mondayA, tuesdayA, today.toString()].sort();
    expect(response.data.dates).toEqual(dates);
    const at = (date: string) => dates.indexOf(date);
    const zero = { present: 0, absent: 0, late: 0, excused: 0 };
    const ana$ = response.data.students[0];
    expect(ana$.student).toEqual(person(ana));
    expect(ana$.days[at(mondayA)]).toEqual({ ...zero, absent: 2 });
    expect(ana$.days[at(tuesdayA)]).toEqual({ ...zero, present: 1 });
    expect(ana$.counts).toEqual({ ...zero, present: 2, absent: 2 });
    expect(ana$.rate).toBe(0.5);
    expect(response.data.students.map((s: { student: { name: string }; rate: number | null }) => [s.student.name, s.rate])).toEqual([
      ['Ana Alvarez', 0.5],
      ['Ben Brown', 0],
      ['Cleo Clark', 0],
    ]);
    // Without a range: the 30 days up to today.
    const recent = await as(teacher.token, 'GET', `/api/classes/${classA.id}/attendance`);
    expect(recent.data).toMatchObject({ from: today.subtract({ days: 29 }).toString(), to: today.toString() });
    for (const token of [otherTeacher.token, ana.token, mum.token]) expect((await as(token, 'GET', `/api/classes/${classA.id}/attendance?from=${mondayA}&to=${mondayA}`)).statusCode).toBe(403);
    expect((await as(admin(), 'GET', `/api/classes/${randomUUID()}/attendance?from=${mondayA}&to=${mondayA}`)).statusCode).toBe(404);
    const backwards = await as(admin(), 'GET', `/api/classes/${classA.id}/attendance?from=${mondayA}&to=${weekAgo(3).toString()}`);
    expect(backwards.statusCode).toBe(400);
    expectErrorShape(backwards);

    const csv = await as(teacher.token, 'GET', `/api/classes/${classA.id}/attendance?from=${mondayA}&to=${mondayA}`, undefined, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      [`Student,${mondayA},Present,Absent,Late,Excused,Rate`, 'Ana Alvarez,0 of 2,0,2,0,0,0', 'Ben Brown,0 of 2,0,1,0,1,0', 'Cleo Clark,0 of 1,0,1,0,0,0', ''].join('\r\n'),
    );
  });

  it('of a student: for the student, their guardians, their teachers and admins, as JSON and CSV', async () => {
    const url = `/api/students/${ben.id}/attendance?from=${mondayA}&to=${mondayA}`;
    for (const token of [ben.token, mum.token, teacher.token, admin()]) {
      const response = await as(token, 'GET', url);
      expect(response.statusCode, response.body).toBe(200);
      expectExactShape(StudentReport, response.data);
    }
    const report = (await as(mum.token, 'GET', url)).data;
    expect(report).toMatchObject({ student: person(ben), from: mondayA, to: mondayA, counts: { present: 0, absent: 1, late: 0, excused: 1 }, rate: 0 });
    expect(report.marks).toEqual([
      { date: mondayA, period: 1, subject, class: classA, status: 'excused', minutesLate: null, note: 'doctor' },
      { date: mondayA, period: 2, subject, class: classA, status: 'absent', minutesLate: null, note: null },
    ]);
    expect(report.absences.map((a: { reason: string }) => a.reason)).toEqual(['Dentist']);
    for (const token of [ana.token, dad.token, otherTeacher.token, danMum.token]) {
      const refused = await as(token, 'GET', url);
      expect(refused.statusCode, refused.body).toBe(403);
      expectErrorShape(refused);
    }
    // A note a spreadsheet would run as a formula is written as text.
    await tenant().updateTable('attendanceMarks').set({ note: '=HYPERLINK("x")' }).where('studentId', '=', ben.id).where('note', '=', 'doctor').execute();
    const csv = await as(ben.token, 'GET', url, undefined, { accept: 'text/csv' });
    await tenant().updateTable('attendanceMarks').set({ note: 'doctor' }).where('studentId', '=', ben.id).where('status', '=', 'excused').execute();
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      ['Date,Period,Class,Subject,Status,Minutes late,Note', `${mondayA},1,5A,Maths,excused,,"'=HYPERLINK(""x"")"`, `${mondayA},2,5A,Maths,absent,,`, ''].join('\r\n'),
    );
  });
});

describe('missing registers', () => {
  it('list the lessons of a date nobody took the register of, leaving out holidays, for admins only', async () => {
    const missing = await as(admin(), 'GET', `/api/attendance/missing?date=${mondayB}`);
    expect(missing.statusCode, missing.body).toBe(200);
    expectExactShape(MissingRegisters, missing.data);
    // Class A is off that Monday; class B's three Monday lessons were not taken.
    expect(missing.data.lessons.map((l: { class: { name: string }; period: number }) => `${l.class.name} ${l.period}`)).toEqual(['5B 1', '5B 2', '5B 3']);
    // On the Monday both of class A's registers were taken, only class B's lessons (and today's lesson, on a Monday) are missing.
    const taken = (await as(admin(), 'GET', `/api/attendance/missing?date=${mondayA}`)).data.lessons.map((l: { id: string }) => l.id);
    expect(taken).not.toContain(mondayLesson);
    expect(taken).not.toContain(mondayLesson2);
    expect(taken).toContain(classBLesson);
    for (const token of [teacher.token, ana.token, mum.token]) expect((await as(token, 'GET', `/api/attendance/missing?date=${mondayA}`)).statusCode).toBe(403);
    const future = await as(admin(), 'GET', `/api/attendance/missing?date=${nextMonday}`);
    expect(future.statusCode).toBe(400);
    expect(future.data.details).toEqual([{ field: 'date', message: 'is in the future' }]);
  });
});

describe('registers as records', () => {
  it('outlive their lesson, and keep their class and subject from being deleted (409 IN_USE)', async () => {
    const klass = await tenant().insertInto('classes').values({ name: '5C', grade: 5, section: 'C' }).returning(['id', 'name']).executeTakeFirstOrThrow();
    const student = await createMember(ctx.app, ctx.school, 'student', { name: unique('Fay ') });
    await tenant().insertInto('enrollments').values({ studentId: student.id, classId: klass.id }).execute();
    const lessonId = await lesson(klass.id, otherTeacher.id, 'monday', 4);
    await saved(otherTeacher.token, lessonId, mondayA, [{ studentId: student.id, status: 'present' }]);
    const cleared = await as(admin(), 'DELETE', `/api/schedules?classId=${klass.id}`);
    expect(cleared.data).toEqual({ deleted: 1 });
    const register = await tenant().selectFrom('attendanceRegisters').select(['lessonId', 'classId', 'period', 'date']).where('classId', '=', klass.id).execute();
    expect(register).toEqual([{ lessonId: null, classId: klass.id, period: 4, date: mondayA }]);
    const deleteClass = await as(admin(), 'DELETE', `/api/classes/${klass.id}`);
    expect(deleteClass.statusCode).toBe(409);
    expect(deleteClass.data).toMatchObject({ code: 'IN_USE', references: { attendanceRegisters: 1 } });
    const report = await as(admin(), 'GET', `/api/students/${student.id}/attendance?from=${mondayA}&to=${mondayA}`);
    expect(report.data.marks).toEqual([{ date: mondayA, period: 4, subject, class: klass, status: 'present', minutesLate: null, note: null }]);
  });
});

describe.runIf(DATABASE_URL)('on PostgreSQL', () => {
  it('one register saved by many requests at once ends with one register and one alert', async () => {
    const student = await createMember(ctx.app, ctx.school, 'student', { name: unique('Eve ') });
    await tenant().insertInto('enrollments').values({ studentId: student.id, classId: classB.id }).execute();
    const guardian = await guardianOf(student);
    const date = weekAgo(4).toString();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => as(otherTeacher.token, 'PUT', registerUrl(classBLesson, date), [{ studentId: student.id, status: 'absent', note: `save ${i}` }])),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(8).fill(200));
    expect(await tenant().selectFrom('attendanceRegisters').select('id').where('lessonId', '=', classBLesson).where('date', '=', date).execute()).toHaveLength(1);
    expect(await messagesTo(guardian)).toHaveLength(1);
  });
});
