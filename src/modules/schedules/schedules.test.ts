import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, createMember, DATABASE_URL, expectExactShape, type TestUser, unique, useSchool } from '../../../test/helpers.js';
import { LessonList } from './schemas.js';

const ctx = useSchool();

const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);
const asAdmin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  call(ctx.app, method, url, { token: ctx.school.adminToken, body });

interface Named {
  id: string;
  name: string;
}

let teachers: TestUser[];
let student: TestUser;
let math: Named & { color: string | null };
let art: Named & { color: string | null };
let classes: Named[];
let rooms: Named[];

async function insertClass(name: string): Promise<Named> {
  return tenant().insertInto('classes').values({ name, grade: 5, section: 'A' }).returning(['id', 'name']).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  teachers = await Promise.all([1, 2, 3].map(() => createMember(ctx.app, ctx.school, 'teacher')));
  student = await createMember(ctx.app, ctx.school, 'student');
  math = await tenant().insertInto('subjects').values({ name: 'Mathematics', code: 'MA', color: '#1E88E5' }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
  art = await tenant().insertInto('subjects').values({ name: 'Art' }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
  classes = [await insertClass('5A'), await insertClass('5B'), await insertClass('6A')];
  rooms = await tenant().insertInto('rooms').values([{ name: 'Room 101' }, { name: 'Lab' }]).returning(['id', 'name']).execute();
});

beforeEach(async () => {
  await tenant().deleteFrom('lessons').execute();
  await tenant().deleteFrom('activityLogs').execute();
});

const ref = ({ id, name }: Named) => ({ id, name });

/** The body of a lesson of class c, taught by teacher t, in the given slot. */
function lesson(c: number, t: number, day: string, period: number, extra: Record<string, unknown> = {}) {
  return { classId: classes[c]!.id, subjectId: math.id, teacherId: teachers[t]!.id, day, period, ...extra };
}

/** The view the API gives of a lesson of `lesson(c, t, …)` with math. */
function view(c: number, t: number, day: string, period: number, start: string, end: string, extra: Record<string, unknown> = {}) {
  return {
    id: expect.any(String),
    day,
    period,
    start,
    end,
    pinned: false,
    subject: { id: math.id, name: 'Mathematics', color: '#1E88E5' },
    class: ref(classes[c]!),
    teacher: ref(teachers[t]!),
    room: null,
    ...extra,
  };
}

const lessonRows = () =>
  tenant()
    .selectFrom('lessons')
    .select(['classId', 'subjectId', 'teacherId', 'roomId', 'day', 'period', 'pinned'])
    .orderBy('day')
    .orderBy('period')
    .orderBy('classId')
    .execute();
const logEntries = () => tenant().selectFrom('activityLogs').select(['action', 'targetType', 'targetId', 'targetName', 'details']).execute();

describe('putting lessons into the timetable', () => {
  it('creates a lesson with its times from the bell schedule, logged, and shows it to staff', async () => {
    const response = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'tuesday', 5, { roomId: rooms[0]!.id }));
    expect(response.statusCode).toBe(201);
    const expected = view(0, 0, 'tuesday', 5, '11:45', '12:30', { room: ref(rooms[0]!) });
    expect(response.data).toEqual(expected);
    expect(await lessonRows()).toEqual([
      { classId: classes[0]!.id, subjectId: math.id, teacherId: teachers[0]!.id, roomId: rooms[0]!.id, day: 'tuesday', period: 5, pinned: false },
    ]);
    expect(await logEntries()).toEqual([
      {
        action: 'create',
        targetType: 'lesson',
        targetId: response.data.id,
        targetName: '5A Mathematics, tuesday period 5',
        details: {
          classId: classes[0]!.id,
          subjectId: math.id,
          teacherId: teachers[0]!.id,
          roomId: rooms[0]!.id,
          day: 'tuesday',
          period: 5,
          pinned: false,
        },
      },
    ]);
    for (const token of [ctx.school.adminToken, teachers[1]!.token]) {
      const one = await call(ctx.app, 'GET', `/api/schedules/${response.data.id}`, { token });
      expect(one.statusCode).toBe(200);
      expect(one.data).toEqual(expected);
    }
    const denied = await call(ctx.app, 'GET', `/api/schedules/${response.data.id}`, { token: student.token });
    expect(denied.statusCode).toBe(403);
  });

  it('is for admins only to change', async () => {
    const response = await call(ctx.app, 'POST', '/api/schedules', { token: teachers[0]!.token, body: lesson(0, 0, 'monday', 1) });
    expect(response.statusCode).toBe(403);
    expect(await lessonRows()).toEqual([]);
  });

  it('lists lessons by day in week order and period, filtered by class, teacher, room and day', async () => {
    const a = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'wednesday', 1));
    const b = await asAdmin('POST', '/api/schedules', lesson(1, 1, 'monday', 8, { roomId: rooms[1]!.id, pinned: true }));
    const c = await asAdmin('POST', '/api/schedules', lesson(0, 1, 'monday', 2));
    const all = await asAdmin('GET', '/api/schedules?limit=1000');
    expect(all.statusCode).toBe(200);
    expectExactShape(LessonList, all.data);
    expect(all.data).toEqual({ items: [c.data, b.data, a.data], total: 3, page: 1, limit: 1000 });
    expect(b.data).toEqual(view(1, 1, 'monday', 8, '14:15', '15:00', { room: ref(rooms[1]!), pinned: true }));

    const filtered = async (query: string) => (await asAdmin('GET', `/api/schedules?${query}`)).data.items.map((item: Named) => item.id);
    expect(await filtered(`classId=${classes[0]!.id}`)).toEqual([c.data.id, a.data.id]);
    expect(await filtered(`teacherId=${teachers[1]!.id}`)).toEqual([c.data.id, b.data.id]);
    expect(await filtered(`roomId=${rooms[1]!.id}`)).toEqual([b.data.id]);
    expect(await filtered('day=monday')).toEqual([c.data.id, b.data.id]);
    expect(await filtered(`day=monday&classId=${classes[0]!.id}`)).toEqual([c.data.id]);
    const paged = await asAdmin('GET', '/api/schedules?limit=2&page=2');
    expect(paged.data).toEqual({ items: [a.data], total: 3, page: 2, limit: 2 });
    expect((await asAdmin('GET', '/api/schedules?limit=1001')).statusCode).toBe(400);
    expect((await call(ctx.app, 'GET', '/api/schedules', { token: student.token })).statusCode).toBe(403);
  });

  it('names every field that does not fit the bell schedule or the institution, and writes nothing', async () => {
    const inactive = await createMember(ctx.app, ctx.school, 'teacher');
    await asAdmin('PATCH', `/api/users/${inactive.id}`, { isActive: false });
    const response = await asAdmin('POST', '/api/schedules', {
      classId: '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f',
      subjectId: '2b6e4a10-3c5d-4e7f-9a1b-2c3d4e5f6a7b',
      teacherId: inactive.id,
      roomId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      day: 'saturday',
      period: 9,
    });
    expect(response.statusCode).toBe(400);
    expect(response.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^Invalid lesson: classId is not a class/),
      details: [
        { field: 'classId', message: 'is not a class of this institution' },
        { field: 'subjectId', message: 'is not a subject of this institution' },
        { field: 'teacherId', message: 'is not an active teacher of this institution' },
        { field: 'roomId', message: 'is not a room of this institution' },
        { field: 'day', message: 'is not a working day of the bell schedule (monday, tuesday, wednesday, thursday, friday)' },
        { field: 'period', message: 'is not a period of the bell schedule (1-8)' },
      ],
    });
    const asTeacher = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 1, { teacherId: student.id }));
    expect(asTeacher.data.details).toEqual([{ field: 'teacherId', message: 'is not an active teacher of this institution' }]);
    const admin = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 1, { teacherId: ctx.school.admin.id }));
    expect(admin.data.details).toEqual([{ field: 'teacherId', message: 'is not an active teacher of this institution' }]);
    const badShape = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'someday', 0));
    expect(badShape.statusCode).toBe(400);
    expect(badShape.data.details.map((d: { field: string }) => d.field).sort()).toEqual(['day', 'period']);
    expect(await lessonRows()).toEqual([]);
  });
});

describe('conflicts', () => {
  it('refuses a teacher, a class or a room twice in one slot, with the lessons in the way', async () => {
    const first = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 1, { roomId: rooms[0]!.id }));
    expect(first.statusCode).toBe(201);
    const cases = [
      { body: lesson(1, 0, 'monday', 1), kinds: ['teacher'], message: 'This slot is already taken for the teacher' },
      { body: lesson(0, 1, 'monday', 1), kinds: ['class'], message: 'This slot is already taken for the class' },
      { body: lesson(1, 1, 'monday', 1, { roomId: rooms[0]!.id }), kinds: ['room'], message: 'This slot is already taken for the room' },
      { body: lesson(0, 0, 'monday', 1, { roomId: rooms[0]!.id }), kinds: ['teacher', 'class', 'room'], message: 'This slot is already taken for the teacher, class, room' },
    ];
    for (const { body, kinds, message } of cases) {
      const response = await asAdmin('POST', '/api/schedules', body);
      expect(response.statusCode).toBe(409);
      expect(response.data).toEqual({ code: 'SCHEDULE_CONFLICT', message, conflicts: kinds.map((kind) => ({ kind, lesson: first.data })) });
    }
    expect((await lessonRows()).length).toBe(1);
    // Lessons without a room never clash over rooms.
    expect((await asAdmin('POST', '/api/schedules', lesson(1, 1, 'monday', 1))).statusCode).toBe(201);
    expect((await asAdmin('POST', '/api/schedules', lesson(2, 2, 'monday', 1))).statusCode).toBe(201);
  });
});

describe('moving and removing lessons', () => {
  it('moves a lesson and reassigns it, with new times, logged; a clash or a bad field changes nothing', async () => {
    const created = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 1));
    const other = await asAdmin('POST', '/api/schedules', lesson(1, 1, 'friday', 7, { roomId: rooms[1]!.id }));
    const id = created.data.id as string;

    const moved = await asAdmin('PATCH', `/api/schedules/${id}`, { day: 'thursday', period: 4, roomId: rooms[0]!.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.data).toEqual({ ...view(0, 0, 'thursday', 4, '10:30', '11:15', { room: ref(rooms[0]!) }), id });

    const reassigned = await asAdmin('PATCH', `/api/schedules/${id}`, { subjectId: art.id, teacherId: teachers[2]!.id, roomId: null, pinned: true });
    expect(reassigned.data).toEqual({
      ...view(0, 2, 'thursday', 4, '10:30', '11:15', { pinned: true }),
      id,
      subject: { id: art.id, name: 'Art', color: null },
    });

    const clash = await asAdmin('PATCH', `/api/schedules/${id}`, { day: 'friday', period: 7, roomId: rooms[1]!.id });
    expect(clash.statusCode).toBe(409);
    expect(clash.data).toEqual({ code: 'SCHEDULE_CONFLICT', message: 'This slot is already taken for the room', conflicts: [{ kind: 'room', lesson: other.data }] });

    const bad = await asAdmin('PATCH', `/api/schedules/${id}`, { day: 'sunday', teacherId: student.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.details.map((d: { field: string }) => d.field)).toEqual(['teacherId', 'day']);
    expect((await asAdmin('GET', `/api/schedules/${id}`)).data).toEqual(reassigned.data);

    // Moving within its own slot is no clash with itself.
    expect((await asAdmin('PATCH', `/api/schedules/${id}`, { day: 'thursday', period: 4 })).statusCode).toBe(200);

    const entries = await logEntries();
    expect(entries.filter((entry) => entry.action === 'update').map((entry) => entry.details?.fields)).toEqual([
      ['day', 'period', 'roomId'],
      ['subjectId', 'teacherId', 'roomId', 'pinned'],
      ['day', 'period'],
    ]);
  });

  it('deletes a lesson, logged; an unknown lesson is 404', async () => {
    const created = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 1));
    const id = created.data.id as string;
    const response = await asAdmin('DELETE', `/api/schedules/${id}`);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ message: 'Lesson deleted' });
    expect(await lessonRows()).toEqual([]);
    expect((await logEntries()).map((entry) => [entry.action, entry.targetId])).toEqual([
      ['create', id],
      ['delete', id],
    ]);
    for (const [method, body] of [['GET'], ['PATCH', { period: 2 }], ['DELETE']] as const) {
      const missing = await asAdmin(method, `/api/schedules/${id}`, body);
      expect(missing.statusCode).toBe(404);
      expect(missing.data).toEqual({ code: 'NOT_FOUND', message: 'Lesson not found' });
    }
  });

  it("clears a class's unpinned lessons and keeps its pinned ones and other classes'", async () => {
    await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 1));
    await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 2));
    const pinned = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 3, { pinned: true }));
    const otherClass = await asAdmin('POST', '/api/schedules', lesson(1, 1, 'monday', 1));
    await tenant().deleteFrom('activityLogs').execute();

    const response = await asAdmin('DELETE', `/api/schedules?classId=${classes[0]!.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ deleted: 2 });
    expect((await asAdmin('GET', '/api/schedules')).data.items).toEqual([otherClass.data, pinned.data]);
    expect(await logEntries()).toEqual([
      { action: 'clear_lessons', targetType: 'class', targetId: classes[0]!.id, targetName: '5A', details: { deleted: 2 } },
    ]);
    expect((await asAdmin('DELETE', `/api/schedules?classId=${classes[0]!.id}`)).data).toEqual({ deleted: 0 });
    const unknown = await asAdmin('DELETE', '/api/schedules?classId=7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f');
    expect(unknown.statusCode).toBe(404);
    expect((await call(ctx.app, 'DELETE', `/api/schedules?classId=${classes[1]!.id}`, { token: teachers[0]!.token })).statusCode).toBe(403);
    expect((await lessonRows()).length).toBe(2);
  });
});

describe('bulk creation', () => {
  it('creates every lesson in one change, logged once with the count', async () => {
    const lessons = [lesson(0, 0, 'monday', 1), lesson(1, 1, 'monday', 1, { roomId: rooms[0]!.id }), lesson(0, 1, 'tuesday', 8, { pinned: true })];
    const response = await asAdmin('POST', '/api/schedules/bulk', { lessons });
    expect(response.statusCode).toBe(201);
    expect(response.data).toEqual({
      created: 3,
      lessons: [
        view(0, 0, 'monday', 1, '08:00', '08:45'),
        view(1, 1, 'monday', 1, '08:00', '08:45', { room: ref(rooms[0]!) }),
        view(0, 1, 'tuesday', 8, '14:15', '15:00', { pinned: true }),
      ],
    });
    expect((await lessonRows()).length).toBe(3);
    expect(await logEntries()).toEqual([
      { action: 'bulk_create', targetType: 'lesson', targetId: null, targetName: '3 lessons', details: { count: 3 } },
    ]);
  });

  it('creates nothing when any item is invalid, and names every bad field by index', async () => {
    const lessons = [
      lesson(0, 0, 'monday', 1),
      lesson(1, 1, 'saturday', 1),
      lesson(2, 2, 'monday', 12, { teacherId: student.id, roomId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d' }),
    ];
    const response = await asAdmin('POST', '/api/schedules/bulk', { lessons });
    expect(response.statusCode).toBe(400);
    expect(response.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: '2 of the 3 lessons are invalid; nothing was created',
      details: [
        { field: 'lessons.1.day', message: 'is not a working day of the bell schedule (monday, tuesday, wednesday, thursday, friday)' },
        { field: 'lessons.2.teacherId', message: 'is not an active teacher of this institution' },
        { field: 'lessons.2.roomId', message: 'is not a room of this institution' },
        { field: 'lessons.2.period', message: 'is not a period of the bell schedule (1-8)' },
      ],
    });
    const shape = await asAdmin('POST', '/api/schedules/bulk', { lessons: [lesson(0, 0, 'monday', 1), { ...lesson(0, 0, 'monday', 1), day: 'noday' }] });
    expect(shape.statusCode).toBe(400);
    expect(shape.data.details.map((d: { field: string }) => d.field)).toContain('lessons.1.day');
    const tooMany = await asAdmin('POST', '/api/schedules/bulk', { lessons: Array.from({ length: 2001 }, () => lesson(0, 0, 'monday', 1)) });
    expect(tooMany.statusCode).toBe(400);
    expect(await lessonRows()).toEqual([]);
    expect(await logEntries()).toEqual([]);
  });

  it('creates nothing when items clash with the timetable or with each other, listing each by index', async () => {
    const existing = await asAdmin('POST', '/api/schedules', lesson(0, 0, 'monday', 1, { roomId: rooms[0]!.id }));
    await tenant().deleteFrom('activityLogs').execute();
    const lessons = [
      lesson(1, 1, 'monday', 2),
      lesson(1, 0, 'monday', 1),
      lesson(2, 2, 'monday', 1, { roomId: rooms[0]!.id }),
      lesson(2, 1, 'monday', 2),
      lesson(2, 2, 'tuesday', 3),
    ];
    const response = await asAdmin('POST', '/api/schedules/bulk', { lessons });
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'SCHEDULE_CONFLICT',
      message: '3 of the lessons would double-book a teacher, room; nothing was created',
      conflicts: [
        { index: 1, kind: 'teacher', lesson: existing.data },
        { index: 2, kind: 'room', lesson: existing.data },
        { index: 3, kind: 'teacher', withIndex: 0 },
      ],
    });
    expect((await lessonRows()).length).toBe(1);
    expect(await logEntries()).toEqual([]);
  });
});

describe.skipIf(!DATABASE_URL)('on PostgreSQL, under concurrency', () => {
  it('books one teacher into one slot exactly once when 20 requests race for it', async () => {
    const racers = await Promise.all(Array.from({ length: 20 }, (_, i) => insertClass(unique(`Race ${i} `))));
    const responses = await Promise.all(
      racers.map((klass) =>
        asAdmin('POST', '/api/schedules', { classId: klass.id, subjectId: math.id, teacherId: teachers[0]!.id, day: 'wednesday', period: 6 }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const winner = responses.find((response) => response.statusCode === 201)!.data;
    for (const loser of responses.filter((response) => response.statusCode === 409)) {
      expect(loser.data).toEqual({
        code: 'SCHEDULE_CONFLICT',
        message: 'This slot is already taken for the teacher',
        conflicts: [{ kind: 'teacher', lesson: winner }],
      });
    }
    const rows = await tenant().selectFrom('lessons').select(['teacherId', 'day', 'period']).execute();
    expect(rows).toEqual([{ teacherId: teachers[0]!.id, day: 'wednesday', period: 6 }]);
    expect((await logEntries()).filter((entry) => entry.action === 'create')).toHaveLength(1);
  });
});
