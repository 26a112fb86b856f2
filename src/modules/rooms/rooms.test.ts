import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, createMember, expectExactShape, registerInstitution, useSchool } from '../../../test/helpers.js';
import { RoomList } from './schemas.js';

const ctx = useSchool();

const asAdmin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  call(ctx.app, method, url, { token: ctx.school.adminToken, body });

const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);

const roomRow = (id: string) => tenant().selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();

/** The activity-log entries about one room, oldest first. */
const logEntries = (id: string) =>
  tenant()
    .selectFrom('activityLogs')
    .select(['action', 'targetType', 'targetId', 'targetName', 'details', 'userId'])
    .where('targetId', '=', id)
    .orderBy('createdAt')
    .execute();

const count = async (table: 'rooms' | 'activityLogs') =>
  Number((await tenant().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function createRoom(body: Record<string, unknown>) {
  const response = await asAdmin('POST', '/api/rooms', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.data as { id: string; name: string; capacity: number | null; createdAt: string; updatedAt: string };
}

describe('creating rooms', () => {
  it('creates a room with a trimmed name, shows it to everyone in the institution, and logs it', async () => {
    const response = await asAdmin('POST', '/api/rooms', { name: ' Lab 1 ', capacity: 30 });
    expect(response.statusCode).toBe(201);
    const id = response.data.id as string;
    expect(response.data).toEqual({ id: expect.any(String), name: 'Lab 1', capacity: 30, createdAt: expect.any(String), updatedAt: response.data.createdAt });
    expect(await roomRow(id)).toMatchObject({ name: 'Lab 1', capacity: 30 });
    for (const role of ['teacher', 'student'] as const) {
      const member = await createMember(ctx.app, ctx.school, role);
      const read = await call(ctx.app, 'GET', `/api/rooms/${id}`, { token: member.token });
      expect(read.statusCode).toBe(200);
      expect(read.data).toEqual(response.data);
    }
    expect(await logEntries(id)).toEqual([
      { action: 'create', targetType: 'room', targetId: id, targetName: 'Lab 1', details: { name: 'Lab 1', capacity: 30 }, userId: ctx.school.admin.id },
    ]);
  });

  it('needs only a name: the capacity is null', async () => {
    const room = await createRoom({ name: 'Gym' });
    expect(room).toEqual({ id: expect.any(String), name: 'Gym', capacity: null, createdAt: expect.any(String), updatedAt: expect.any(String) });
  });

  it('refuses a name another room has, ignoring case, and writes nothing', async () => {
    await createRoom({ name: 'Library' });
    const [rooms, logs] = [await count('rooms'), await count('activityLogs')];
    const response = await asAdmin('POST', '/api/rooms', { name: 'LIBRARY ', capacity: 10 });
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'CONFLICT',
      message: 'Another room already has the name "LIBRARY"',
      details: [{ field: 'name', message: 'is already used by another room' }],
    });
    expect([await count('rooms'), await count('activityLogs')]).toEqual([rooms, logs]);
  });

  it('rejects bad input with a detail per field and writes nothing', async () => {
    const [rooms, logs] = [await count('rooms'), await count('activityLogs')];
    const cases: [Record<string, unknown>, { field: string; message: string }[]][] = [
      [{ name: 'Zero', capacity: 0 }, [{ field: 'capacity', message: 'must be >= 1' }]],
      [{ name: 'Huge', capacity: 1001 }, [{ field: 'capacity', message: 'must be <= 1000' }]],
      [{ name: 'Half', capacity: 2.5 }, [{ field: 'capacity', message: 'must be integer' }]],
      [{ name: '' }, [{ field: 'name', message: 'must NOT have fewer than 1 characters' }]],
      [{ name: 'n'.repeat(101) }, [{ field: 'name', message: 'must NOT have more than 100 characters' }]],
      [{ capacity: 5 }, [{ field: 'name', message: "must have required property 'name'" }]],
      [{ name: 'Extra', floor: 2 }, [{ field: 'floor', message: 'is not an allowed field' }]],
      [{ name: '   ' }, [{ field: 'name', message: 'must not be blank' }]],
    ];
    for (const [body, details] of cases) {
      const response = await asAdmin('POST', '/api/rooms', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.data, JSON.stringify(body)).toMatchObject({ code: 'VALIDATION_ERROR', details });
    }
    const edges = [await createRoom({ name: 'Closet', capacity: 1 }), await createRoom({ name: 'Hall', capacity: 1000 })];
    expect(edges.map((room) => room.capacity)).toEqual([1, 1000]);
    expect([await count('rooms'), await count('activityLogs')]).toEqual([rooms + 2, logs + 2]);
  });
});

describe('listing rooms', () => {
  it('pages through rooms sorted by name, ignoring case, and filters on the name', async () => {
    const school = await registerInstitution(ctx.app);
    const student = await createMember(ctx.app, school, 'student');
    const list = (query: string) => call(ctx.app, 'GET', `/api/rooms${query}`, { token: student.token });
    const made = [];
    for (const body of [{ name: 'room 3' }, { name: 'Aula', capacity: 300 }, { name: 'Room 1_b', capacity: 25 }]) {
      made.push((await call(ctx.app, 'POST', '/api/rooms', { token: school.adminToken, body })).data);
    }
    const [room3, aula, room1] = made;

    const first = await list('?limit=2');
    expect(first.statusCode).toBe(200);
    expectExactShape(RoomList, first.data);
    expect(first.data).toEqual({ items: [aula, room1], total: 3, page: 1, limit: 2 });
    expect((await list('?limit=2&page=2')).data).toEqual({ items: [room3], total: 3, page: 2, limit: 2 });
    expect((await list('?q=ROOM')).data).toEqual({ items: [room1, room3], total: 2, page: 1, limit: 50 });
    expect((await list('?q=_')).data.items).toEqual([room1]);
    expect((await list('?q=x')).data).toEqual({ items: [], total: 0, page: 1, limit: 50 });
  });
});

describe('changing rooms', () => {
  it('renames, clears the capacity with null, and logs what changed', async () => {
    const room = await createRoom({ name: 'Room 101', capacity: 28 });
    const renamed = await asAdmin('PATCH', `/api/rooms/${room.id}`, { name: ' Room 102 ' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.data).toEqual({ ...room, name: 'Room 102', updatedAt: expect.any(String) });
    const cleared = await asAdmin('PATCH', `/api/rooms/${room.id}`, { capacity: null });
    expect(cleared.data).toEqual({ ...renamed.data, capacity: null, updatedAt: expect.any(String) });
    expect(await roomRow(room.id)).toMatchObject({ name: 'Room 102', capacity: null });
    expect((await logEntries(room.id)).slice(1).map(({ action, targetName, details }) => ({ action, targetName, details }))).toEqual([
      { action: 'update', targetName: 'Room 102', details: { changes: { name: { from: 'Room 101', to: 'Room 102' } } } },
      { action: 'update', targetName: 'Room 102', details: { changes: { capacity: { from: 28, to: null } } } },
    ]);
  });

  it('refuses a rename into another room\'s name, and leaves the room and the log as they were', async () => {
    await createRoom({ name: 'Studio' });
    const room = await createRoom({ name: 'Workshop', capacity: 12 });
    const logs = await count('activityLogs');
    const response = await asAdmin('PATCH', `/api/rooms/${room.id}`, { name: 'sTUDIO', capacity: 14 });
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'CONFLICT',
      message: 'Another room already has the name "sTUDIO"',
      details: [{ field: 'name', message: 'is already used by another room' }],
    });
    expect(await roomRow(room.id)).toMatchObject({ name: 'Workshop', capacity: 12, updatedAt: room.updatedAt });
    expect(await count('activityLogs')).toBe(logs);
  });

  it('rejects an empty change, unknown fields and bad capacities', async () => {
    const room = await createRoom({ name: 'Attic' });
    const cases: [Record<string, unknown>, { field: string; message: string }][] = [
      [{}, { field: 'body', message: 'must NOT have fewer than 1 properties' }],
      [{ seats: 3 }, { field: 'seats', message: 'is not an allowed field' }],
      [{ capacity: 0 }, { field: 'capacity', message: 'must be >= 1' }],
      [{ capacity: 1001 }, { field: 'capacity', message: 'must be <= 1000' }],
      [{ name: '' }, { field: 'name', message: 'must NOT have fewer than 1 characters' }],
      // The app coerces types, so a null name arrives as "" (and no name is still no name).
      [{ name: null }, { field: 'name', message: 'must NOT have fewer than 1 characters' }],
    ];
    for (const [body, detail] of cases) {
      const response = await asAdmin('PATCH', `/api/rooms/${room.id}`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.data, JSON.stringify(body)).toMatchObject({ code: 'VALIDATION_ERROR', details: [detail] });
    }
    expect(await roomRow(room.id)).toMatchObject({ name: 'Attic', capacity: null, updatedAt: room.updatedAt });
  });
});

describe('rooms that are not there, and who may change rooms', () => {
  it('answers 404 NOT_FOUND for unknown ids and another institution\'s rooms', async () => {
    const other = await registerInstitution(ctx.app);
    const theirs = await call(ctx.app, 'POST', '/api/rooms', { token: other.adminToken, body: { name: 'Their room' } });
    for (const id of [randomUUID(), theirs.data.id as string]) {
      for (const [method, body] of [['GET'], ['PATCH', { name: 'Ghost' }], ['DELETE']] as const) {
        const response = await asAdmin(method, `/api/rooms/${id}`, body);
        expect(response.statusCode, method).toBe(404);
        expect(response.data).toEqual({ code: 'NOT_FOUND', message: 'Room not found' });
      }
    }
  });

  it('gives teachers and students 403 on every write', async () => {
    const room = await createRoom({ name: 'Staff room' });
    for (const role of ['teacher', 'student'] as const) {
      const member = await createMember(ctx.app, ctx.school, role);
      expect((await call(ctx.app, 'GET', '/api/rooms?q=Staff', { token: member.token })).data.items).toEqual([room]);
      for (const [method, url, body] of [
        ['POST', '/api/rooms', { name: `By ${role}` }],
        ['PATCH', `/api/rooms/${room.id}`, { capacity: 5 }],
        ['DELETE', `/api/rooms/${room.id}`, undefined],
      ] as const) {
        const response = await call(ctx.app, method, url, { token: member.token, body });
        expect(response.statusCode, `${role} ${method}`).toBe(403);
        expect(response.data.code).toBe('FORBIDDEN');
      }
    }
    expect(await roomRow(room.id)).toMatchObject({ name: 'Staff room', capacity: null });
    expect((await logEntries(room.id)).map((entry) => entry.action)).toEqual(['create']);
  });
});

describe('deleting rooms', () => {
  it('deletes an unused room and logs it', async () => {
    const room = await createRoom({ name: 'Portable', capacity: 20 });
    const response = await asAdmin('DELETE', `/api/rooms/${room.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ message: 'Room deleted' });
    expect(await roomRow(room.id)).toBeUndefined();
    expect((await logEntries(room.id)).at(-1)).toEqual({
      action: 'delete',
      targetType: 'room',
      targetId: room.id,
      targetName: 'Portable',
      details: { name: 'Portable', capacity: 20 },
      userId: ctx.school.admin.id,
    });
  });

  it('refuses to delete a room a curriculum or a lesson uses: 409 IN_USE with the counts, nothing changed', async () => {
    const room = await createRoom({ name: 'Science lab', capacity: 24 });
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const [subject] = await tenant().insertInto('subjects').values({ name: 'Lab science' }).returning('id').execute();
    const [klass] = await tenant().insertInto('classes').values({ name: '7C', grade: 7, section: 'C' }).returning('id').execute();
    const lesson = { classId: klass!.id, subjectId: subject!.id, teacherId: teacher.id, roomId: room.id };
    await tenant().insertInto('curriculum').values({ ...lesson, periodsPerWeek: 4 }).execute();
    await tenant()
      .insertInto('lessons')
      .values([1, 2, 3, 4].map((period) => ({ ...lesson, day: 'wednesday' as const, period })))
      .execute();
    const logs = await count('activityLogs');

    const response = await asAdmin('DELETE', `/api/rooms/${room.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'IN_USE',
      message: 'The room "Science lab" is still in use (1 in curriculum, 4 in lessons); remove those first',
      references: { curriculum: 1, lessons: 4 },
    });
    expect(await roomRow(room.id)).toMatchObject({ name: 'Science lab', capacity: 24 });
    expect(await count('activityLogs')).toBe(logs);
  });
});
