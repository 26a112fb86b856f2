import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../../../test/files.js';
import { call, createMember, expectErrorShape, expectExactShape, registerInstitution, type TestUser, useSchool } from '../../../test/helpers.js';
import { CalendarView, EventDetailView, EventView } from './schemas.js';

const ctx = useSchool();
const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);
const admin = () => ctx.school.adminToken;

let teacher: TestUser;
let otherTeacher: TestUser;
let pupil: TestUser;
let outsider: TestUser;
let classA: string;
let classB: string;

const post = (token: string, body: unknown) => call(ctx.app, 'POST', '/api/calendar/events', { token, body });
const calendar = (token: string, from: string, to: string) => call(ctx.app, 'GET', `/api/calendar?from=${from}&to=${to}`, { token });

async function created(token: string, body: Record<string, unknown>) {
  const response = await post(token, body);
  expect(response.statusCode, response.body).toBe(201);
  expectExactShape(EventView, response.data);
  return response.data as { id: string };
}

beforeAll(async () => {
  [teacher, otherTeacher, pupil, outsider] = await Promise.all([
    createMember(ctx.app, ctx.school, 'teacher'),
    createMember(ctx.app, ctx.school, 'teacher'),
    createMember(ctx.app, ctx.school, 'student'),
    createMember(ctx.app, ctx.school, 'student'),
  ]);
  const db = tenant();
  const subject = await db.insertInto('subjects').values({ name: 'Maths' }).returning('id').executeTakeFirstOrThrow();
  const insertClass = (name: string) => db.insertInto('classes').values({ name, grade: 5, section: name }).returning('id').executeTakeFirstOrThrow();
  classA = (await insertClass('5A')).id;
  classB = (await insertClass('5B')).id;
  await db.insertInto('enrollments').values([{ studentId: pupil.id, classId: classA }, { studentId: outsider.id, classId: classB }]).execute();
  await db
    .insertInto('lessons')
    .values([
      { classId: classA, subjectId: subject.id, teacherId: teacher.id, day: 'monday', period: 1 },
      { classId: classA, subjectId: subject.id, teacherId: teacher.id, day: 'wednesday', period: 2 },
      { classId: classB, subjectId: subject.id, teacherId: otherTeacher.id, day: 'monday', period: 1 },
    ])
    .execute();
});

describe('institution settings', () => {
  it('start in UTC, take an IANA zone from an admin only, and refuse names Intl does not know', async () => {
    expect((await call(ctx.app, 'GET', '/api/settings/institution', { token: pupil.token })).data).toEqual({ timeZone: 'UTC' });
    const bad = await call(ctx.app, 'PUT', '/api/settings/institution', { token: admin(), body: { timeZone: 'Mars/Olympus' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.details).toEqual([{ field: 'timeZone', message: 'is not an IANA time zone' }]);
    expect((await call(ctx.app, 'PUT', '/api/settings/institution', { token: teacher.token, body: { timeZone: 'Europe/Berlin' } })).statusCode).toBe(403);
    const put = await call(ctx.app, 'PUT', '/api/settings/institution', { token: admin(), body: { timeZone: 'Europe/Berlin' } });
    expect(put.data).toEqual({ timeZone: 'Europe/Berlin' });
    const row = await ctx.app.db.selectFrom('registry.institutions').select('timeZone').where('id', '=', ctx.school.id).executeTakeFirstOrThrow();
    expect(row.timeZone).toBe('Europe/Berlin');
  });
});

describe('events', () => {
  it('are created by admins for anyone and by teachers for the classes they teach only', async () => {
    await created(admin(), { title: 'Staff meeting', type: 'meeting', startsAt: '2026-05-04T15:00:00+02:00', endsAt: '2026-05-04T16:00:00+02:00', audience: { teachersOnly: true } });
    const trip = await created(teacher.token, { title: 'Museum trip', type: 'event', allDay: true, date: '2026-05-06', audience: { classIds: [classA] } });
    for (const [token, body, status] of [
      [teacher.token, { title: 'All', type: 'event', allDay: true, date: '2026-05-06', audience: { all: true } }, 403],
      [teacher.token, { title: 'Not mine', type: 'exam', allDay: true, date: '2026-05-06', audience: { classIds: [classB] } }, 403],
      [teacher.token, { title: 'Day off', type: 'holiday', allDay: true, date: '2026-05-06', audience: { classIds: [classA] } }, 403],
      [pupil.token, { title: 'Party', type: 'event', allDay: true, date: '2026-05-06', audience: { classIds: [classA] } }, 403],
      [admin(), { title: 'Gone', type: 'event', allDay: true, date: '2026-05-06', audience: { classIds: ['7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f'] } }, 404],
    ] as const) {
      const response = await post(token, body);
      expect(response.statusCode, `${body.title} ${response.body}`).toBe(status);
      expectErrorShape(response);
    }
    // Someone else's event: the other teacher sees it (5A is not theirs, so they do not), the creator changes it.
    expect((await call(ctx.app, 'PATCH', `/api/calendar/events/${trip.id}`, { token: otherTeacher.token, body: { title: 'x' } })).statusCode).toBe(404);
    const moved = await call(ctx.app, 'PATCH', `/api/calendar/events/${trip.id}`, { token: teacher.token, body: { date: '2026-05-07' } });
    expect(moved.data).toMatchObject({ date: '2026-05-07', endDate: '2026-05-07', allDay: true, title: 'Museum trip' });
    const log = await tenant().selectFrom('activityLogs').select(['action', 'targetName']).where('targetId', '=', trip.id).orderBy('createdAt').execute();
    expect(log).toEqual([
      { action: 'create', targetName: 'Museum trip' },
      { action: 'update', targetName: 'Museum trip' },
    ]);
  });

  it('check their times, recurrence and audience, naming every problem', async () => {
    const response = await post(admin(), {
      title: 'Broken',
      type: 'holiday',
      startsAt: '2026-05-04T15:00:00Z',
      endsAt: '2026-05-04T14:00:00Z',
      recurrence: 'FREQ=HOURLY',
      audience: { teachersOnly: true },
    });
    expect(response.statusCode).toBe(400);
    expect(response.data.details.map((d: { field: string }) => d.field)).toEqual(['endsAt', 'recurrence', 'audience']);
    expect((await post(admin(), { title: 'Two', type: 'event', allDay: true, date: '2026-05-04', audience: { all: true, teachersOnly: true } })).statusCode).toBe(400);
  });

  it('are seen by whom they are for: students their class and everyone, teachers also theirs and teachers-only', async () => {
    const titles = async (token: string) => ((await calendar(token, '2026-05-01', '2026-05-31')).data.occurrences as { title: string }[]).map((o) => o.title);
    expect(await titles(admin())).toEqual(['Staff meeting', 'Museum trip']);
    expect(await titles(teacher.token)).toEqual(['Staff meeting', 'Museum trip']);
    expect(await titles(otherTeacher.token)).toEqual(['Staff meeting']);
    expect(await titles(pupil.token)).toEqual(['Museum trip']);
    expect(await titles(outsider.token)).toEqual([]);
  });

  it('answer 400 for a range over a year wide or backwards', async () => {
    for (const [from, to] of [['2026-01-01', '2027-01-02'], ['2026-05-02', '2026-05-01']]) {
      const response = await calendar(admin(), from!, to!);
      expect(response.statusCode).toBe(400);
      expectErrorShape(response);
    }
    expect((await calendar(admin(), '2026-01-01', '2027-01-01')).statusCode).toBe(200);
  });
});

describe('recurring events', () => {
  it("expand in the institution's zone: a weekly 09:00 Berlin event stays at 09:00 across both DST changes, without its exceptions", async () => {
    const event = await created(admin(), {
      title: 'Assembly',
      type: 'event',
      startsAt: '2026-03-16T09:00:00+01:00',
      endsAt: '2026-03-16T09:30:00+01:00',
      audience: { all: true },
      recurrence: 'RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261110T000000Z',
      exceptions: ['2026-04-06'],
    });
    const spring = (await calendar(pupil.token, '2026-03-16', '2026-04-13')).data;
    expectExactShape(CalendarView, spring);
    const starts = (view: typeof spring) => (view.occurrences as { eventId: string; startsAt: string }[]).filter((o) => o.eventId === event.id).map((o) => o.startsAt);
    // 29 March: clocks go forward. 6 April: an exception.
    expect(starts(spring)).toEqual(['2026-03-16T09:00:00+01:00', '2026-03-23T09:00:00+01:00', '2026-03-30T09:00:00+02:00', '2026-04-13T09:00:00+02:00']);
    const autumn = (await calendar(pupil.token, '2026-10-19', '2026-11-16')).data;
    // 25 October: clocks go back; UNTIL ends it after 9 November.
    expect(starts(autumn)).toEqual(['2026-10-19T09:00:00+02:00', '2026-10-26T09:00:00+01:00', '2026-11-02T09:00:00+01:00', '2026-11-09T09:00:00+01:00']);
    expect(spring.occurrences[0]).toMatchObject({ endsAt: '2026-03-16T09:30:00+01:00', recurring: true, audience: { all: true } });
  });
});

describe('one event', () => {
  const read = (token: string, id: string) => call(ctx.app, 'GET', `/api/calendar/events/${id}`, { token });

  it('answers a series as stored (its rule, exceptions and first occurrence), its creator and whether the caller may change it', async () => {
    // Times are written in the institution's offset.
    await call(ctx.app, 'PUT', '/api/settings/institution', { token: admin(), body: { timeZone: 'Europe/Berlin' } });
    const club = await created(admin(), {
      title: 'Chess club',
      type: 'event',
      startsAt: '2028-01-03T15:00:00+01:00',
      endsAt: '2028-01-03T16:30:00+01:00',
      audience: { classIds: [classA] },
      recurrence: 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6',
      exceptions: ['2028-01-10'],
    });
    const exam = await created(teacher.token, { title: 'Quiz', type: 'exam', allDay: true, date: '2028-01-05', audience: { classIds: [classA] } });
    const stored = await tenant().selectFrom('calendarEvents').select(['createdAt', 'updatedAt']).where('id', '=', club.id).executeTakeFirstOrThrow();
    const clubBody = (canEdit: boolean) => ({
      id: club.id,
      title: 'Chess club',
      description: null,
      type: 'event',
      allDay: false,
      startsAt: '2028-01-03T15:00:00+01:00',
      endsAt: '2028-01-03T16:30:00+01:00',
      date: null,
      endDate: null,
      audience: { classIds: [classA] },
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6',
      exceptions: ['2028-01-10'],
      uid: null,
      createdBy: { id: ctx.school.admin.id, name: ctx.school.admin.name },
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
      canEdit,
    });
    for (const [who, token, canEdit] of [['admin', admin(), true], ['teacher of 5A', teacher.token, false], ['student of 5A', pupil.token, false]] as const) {
      const response = await read(token, club.id);
      expect(response.statusCode, `${who} ${response.body}`).toBe(200);
      expectExactShape(EventDetailView, response.data);
      expect(response.data, who).toEqual(clubBody(canEdit));
    }
    const quiz = await read(teacher.token, exam.id);
    expect(quiz.data).toMatchObject({ date: '2028-01-05', endDate: '2028-01-05', recurrence: null, exceptions: [], createdBy: { id: teacher.id, name: teacher.name }, canEdit: true });
    expect((await read(admin(), exam.id)).data.canEdit).toBe(true);

    // Not seen, not there: another class's student, another teacher, another institution, an unknown id.
    const elsewhere = await registerInstitution(ctx.app);
    for (const [who, token, id] of [
      ['student of 5B', outsider.token, club.id],
      ['teacher of 5B', otherTeacher.token, exam.id],
      ["another institution's admin", elsewhere.adminToken, club.id],
      ['admin, unknown id', admin(), '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f'],
    ] as const) {
      const response = await read(token, id);
      expect(response.statusCode, `${who} ${response.body}`).toBe(404);
      expect(response.data, who).toEqual({ code: 'NOT_FOUND', message: 'Event not found' });
    }

    // The calendar's occurrences carry the creator and the same answer, for every occurrence.
    const occurrences = async (token: string) =>
      ((await calendar(token, '2028-01-01', '2028-01-31')).data.occurrences as { title: string; date: string | null; startsAt: string | null; createdBy: string; canEdit: boolean }[]).map(
        (o) => [o.title, o.date ?? o.startsAt!.slice(0, 10), o.createdBy === ctx.school.admin.id ? 'admin' : 'teacher', o.canEdit],
      );
    expect(await occurrences(teacher.token)).toEqual([
      ['Chess club', '2028-01-03', 'admin', false],
      ['Quiz', '2028-01-05', 'teacher', true],
      ['Chess club', '2028-01-05', 'admin', false],
      ['Chess club', '2028-01-12', 'admin', false],
      ['Chess club', '2028-01-17', 'admin', false],
      ['Chess club', '2028-01-19', 'admin', false],
    ]);
    expect((await occurrences(admin())).map(([, , , canEdit]) => canEdit)).toEqual([true, true, true, true, true, true]);
    expect((await occurrences(pupil.token)).map(([, , , canEdit]) => canEdit)).toEqual([false, false, false, false, false, false]);
    for (const id of [club.id, exam.id]) await call(ctx.app, 'DELETE', `/api/calendar/events/${id}`, { token: admin() });
  });
});

describe('holidays in my timetable', () => {
  it('mark the dated ISO week and leave out the lessons on them, for everyone or for the class', async () => {
    const before = await call(ctx.app, 'GET', '/api/timetable/me?week=2026-W48', { token: teacher.token });
    expect(before.statusCode, before.body).toBe(200);
    expect(before.data.week).toBe('2026-W48');
    expect(before.data.dates[0]).toEqual({ day: 'monday', date: '2026-11-23', holidays: [] });
    expect(before.data.lessons).toHaveLength(2);
    const holiday = await created(admin(), { title: 'Founders day', type: 'holiday', allDay: true, date: '2026-11-23', audience: { all: true } });
    const classTrip = await created(admin(), { title: '5B away', type: 'holiday', allDay: true, date: '2026-11-25', audience: { classIds: [classB] } });
    const week = (await call(ctx.app, 'GET', '/api/timetable/me?week=2026-W48', { token: teacher.token })).data;
    expect(week.dates[0].holidays).toEqual([{ id: holiday.id, title: 'Founders day' }]);
    expect(week.lessons.map((l: { day: string }) => l.day)).toEqual(['wednesday']);
    expect((await call(ctx.app, 'GET', '/api/timetable/me?week=2026-W48', { token: outsider.token })).data.dates[2].holidays).toEqual([{ id: classTrip.id, title: '5B away' }]);
    // Without `week` the answer is the week as before.
    const plain = await call(ctx.app, 'GET', '/api/timetable/me', { token: teacher.token });
    expect(plain.data.lessons).toHaveLength(2);
    expect(plain.data.dates).toBeUndefined();
    await call(ctx.app, 'DELETE', `/api/calendar/events/${holiday.id}`, { token: admin() });
    expect((await call(ctx.app, 'GET', '/api/timetable/me?week=2026-W48', { token: teacher.token })).data.lessons).toHaveLength(2);
    expect((await call(ctx.app, 'GET', '/api/timetable/me?week=2025-W53', { token: teacher.token })).statusCode).toBe(400);
  });
});

describe('timetable.changed', () => {
  const timetableEvents = () =>
    tenant().selectFrom('events').select(['userId', 'data']).where('type', '=', 'timetable.changed').orderBy('cursor').execute();

  it('goes to a holiday\'s audience when it is created, changed or deleted; other events send none', async () => {
    await tenant().deleteFrom('events').execute();
    const trip = await created(admin(), { title: 'Trip', type: 'event', allDay: true, date: '2026-12-02', audience: { classIds: [classB] } });
    expect(await timetableEvents()).toEqual([]);
    const away = await created(admin(), { title: '5B away', type: 'holiday', allDay: true, date: '2026-12-03', audience: { classIds: [classB] } });
    const told = await timetableEvents();
    expect(told.map((row) => row.data)).toEqual(told.map(() => ({ holidayId: away.id })));
    expect(told.map((row) => row.userId)).toEqual(expect.arrayContaining([outsider.id, otherTeacher.id]));
    expect(told.map((row) => row.userId)).not.toContain(pupil.id);
    await tenant().deleteFrom('events').execute();
    // Widened to everyone: the class it was for and everyone else hear of it.
    expect((await call(ctx.app, 'PATCH', `/api/calendar/events/${away.id}`, { token: admin(), body: { audience: { all: true } } })).statusCode).toBe(200);
    expect((await timetableEvents()).map((row) => row.userId)).toEqual(expect.arrayContaining([outsider.id, otherTeacher.id, pupil.id, teacher.id]));
    await tenant().deleteFrom('events').execute();
    expect((await call(ctx.app, 'DELETE', `/api/calendar/events/${away.id}`, { token: admin() })).statusCode).toBe(200);
    expect((await timetableEvents()).map((row) => row.userId)).toEqual(expect.arrayContaining([pupil.id, teacher.id]));
    await tenant().deleteFrom('events').execute();
    expect((await call(ctx.app, 'DELETE', `/api/calendar/events/${trip.id}`, { token: admin() })).statusCode).toBe(200);
    expect(await timetableEvents()).toEqual([]);
  });
});

const ics = (events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (uid: string, summary: string, date: string, extra: string[] = []) =>
  ['BEGIN:VEVENT', `UID:${uid}`, `SUMMARY:${summary}`, `DTSTART;VALUE=DATE:${date}`, ...extra, 'END:VEVENT'].join('\r\n');

describe('.ics import', () => {
  const importIcs = (body: string) => call(ctx.app, 'POST', '/api/calendar/import', { token: admin(), body, headers: { 'content-type': 'text/calendar' } });
  const holidays = () => tenant().selectFrom('calendarEvents').select(['uid', 'title', 'startDate', 'endDate', 'recurrence']).where('uid', 'is not', null).orderBy('uid').execute();

  it('takes every entry as a holiday for everyone, and a second import of the same file duplicates nothing', async () => {
    const file = ics([
      vevent('ny@test', 'New year', '20270101', ['RRULE:FREQ=YEARLY']),
      vevent('xmas@test', 'Christmas break', '20261224', ['DTEND;VALUE=DATE:20270101']),
    ]);
    expect((await importIcs(file)).data).toEqual({ created: 2, updated: 0 });
    expect((await importIcs(file)).data).toEqual({ created: 0, updated: 2 });
    expect(await holidays()).toEqual([
      { uid: 'ny@test', title: 'New year', startDate: '2027-01-01', endDate: '2027-01-01', recurrence: 'FREQ=YEARLY' },
      { uid: 'xmas@test', title: 'Christmas break', startDate: '2026-12-24', endDate: '2026-12-31', recurrence: null },
    ]);
  });

  it('takes the file as a multipart upload (field "file") too, as the same entries by UID, and tells everyone their weeks changed', async () => {
    const file = ics([vevent('may@test', 'May day', '20270501')]);
    expect((await importIcs(file)).data).toEqual({ created: 1, updated: 0 });
    await tenant().deleteFrom('events').execute();
    const upload = multipartBody([{ name: 'holidays.ics', content: Buffer.from(file), contentType: 'text/calendar', field: 'file' }]);
    const response = await ctx.app.inject({ method: 'POST', url: '/api/calendar/import', headers: { authorization: `Bearer ${admin()}`, ...upload.headers }, payload: upload.payload });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ created: 0, updated: 1 });
    expect(await holidays()).toEqual(expect.arrayContaining([{ uid: 'may@test', title: 'May day', startDate: '2027-05-01', endDate: '2027-05-01', recurrence: null }]));
    const told = await tenant().selectFrom('events').select(['userId', 'type']).where('type', '=', 'timetable.changed').execute();
    expect(told.map((row) => row.userId)).toEqual(expect.arrayContaining([teacher.id, pupil.id, outsider.id, otherTeacher.id]));
    const wrongField = multipartBody([{ name: 'holidays.ics', content: Buffer.from(file), contentType: 'text/calendar', field: 'files' }]);
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/calendar/import', headers: { authorization: `Bearer ${admin()}`, ...wrongField.headers }, payload: wrongField.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'file', message: 'is missing' }] });
  });

  it('imports nothing when an entry is bad, and names each problem', async () => {
    const before = await holidays();
    const response = await importIcs(ics([vevent('ok@test', 'Fine', '20270501'), vevent('', 'No uid', '20270502'), vevent('bad@test', 'Hourly', '20270503', ['RRULE:FREQ=HOURLY'])]));
    expect(response.statusCode).toBe(400);
    expect(response.data.details).toEqual([
      { field: 'events.1.UID', message: 'is missing' },
      { field: 'events.2.RRULE', message: 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY' },
    ]);
    expect(await holidays()).toEqual(before);
    expect((await importIcs('not a calendar')).statusCode).toBe(400);
    expect((await call(ctx.app, 'POST', '/api/calendar/import', { token: teacher.token, body: ics([]), headers: { 'content-type': 'text/calendar' } })).statusCode).toBe(403);
  });
});

describe('the iCalendar feed', () => {
  it('round-trips through a parser with events, weekly lessons in the zone and due dates; rotation and revocation end old URLs', async () => {
    const noToken = await call(ctx.app, 'GET', '/api/calendar/feed/0123.ics');
    expect(noToken.statusCode).toBe(404);
    const long = 'A very long description with umlauts äöü and more '.repeat(4);
    await created(teacher.token, { title: 'Maths exam, part 1', description: long, type: 'exam', startsAt: '2026-06-01T10:00:00+02:00', endsAt: '2026-06-01T11:00:00+02:00', audience: { classIds: [classA] } });
    await tenant().insertInto('assignments').values({ title: 'Essay', teacherId: teacher.id, dueAt: new Date('2026-06-05T21:59:00Z') }).execute();
    const created1 = await call(ctx.app, 'POST', '/api/calendar/feed', { token: teacher.token });
    expect(created1.statusCode).toBe(201);
    expect(created1.data.url).toMatch(new RegExp(`/api/calendar/feed/${created1.data.token}\\.ics$`));
    const feed = await call(ctx.app, 'GET', `/api/calendar/feed/${created1.data.token}.ics`);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const text = feed.body;
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);

    const calendarComponent = new ICAL.Component(ICAL.parse(text) as unknown[]);
    expect(calendarComponent.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendarComponent.getFirstPropertyValue('prodid')).toBeTruthy();
    expect(calendarComponent.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
    const events = calendarComponent.getAllSubcomponents('vevent');
    for (const event of events) {
      expect(event.getFirstPropertyValue('uid')).toBeTruthy();
      expect(event.getFirstPropertyValue('dtstamp')).toBeTruthy();
    }
    const bySummary = new Map(events.map((event) => [String(event.getFirstPropertyValue('summary')), event]));
    expect(bySummary.get('Maths exam, part 1')!.getFirstPropertyValue('description')).toBe(long.trim());
    expect(bySummary.has('Staff meeting')).toBe(true);
    const lessons = events.filter((event) => event.getFirstPropertyValue('summary') === 'Maths – 5A');
    expect(lessons.map((lesson) => lesson.getFirstProperty('dtstart')!.getParameter('tzid'))).toEqual(['Europe/Berlin', 'Europe/Berlin']);
    // The bell schedule's times, local: period 1 on Mondays, period 2 on Wednesdays, every week.
    const starts = lessons.map((lesson) => lesson.getFirstPropertyValue('dtstart') as ICAL.Time);
    expect(starts.map((time) => [time.dayOfWeek(), `${time.hour}:${time.minute}`]).sort()).toEqual([[2, '8:0'], [4, '8:50']]);
    expect(lessons.map((lesson) => String(lesson.getFirstPropertyValue('rrule')))).toEqual(['FREQ=WEEKLY', 'FREQ=WEEKLY']);
    expect((bySummary.get('Due: Essay')!.getFirstPropertyValue('dtstart') as ICAL.Time).toString()).toBe('2026-06-05T23:59:00');

    const rotated = await call(ctx.app, 'POST', '/api/calendar/feed', { token: teacher.token });
    expect((await call(ctx.app, 'GET', `/api/calendar/feed/${created1.data.token}.ics`)).statusCode).toBe(404);
    expect((await call(ctx.app, 'GET', `/api/calendar/feed/${rotated.data.token}.ics`)).statusCode).toBe(200);
    const stored = await ctx.app.db.selectFrom('registry.calendarFeeds').selectAll().where('userId', '=', teacher.id).execute();
    expect(stored).toHaveLength(1);
    expect(Buffer.from(stored[0]!.tokenHash).toString('base64url')).not.toContain(rotated.data.token.slice(32));
    expect((await call(ctx.app, 'DELETE', '/api/calendar/feed', { token: teacher.token })).statusCode).toBe(200);
    expect((await call(ctx.app, 'GET', `/api/calendar/feed/${rotated.data.token}.ics`)).statusCode).toBe(404);
    expect((await call(ctx.app, 'DELETE', '/api/calendar/feed', { token: teacher.token })).statusCode).toBe(404);
  });
});
