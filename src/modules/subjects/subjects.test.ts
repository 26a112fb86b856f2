import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, expectExactShape, registerInstitution, type TestUser, useSchool } from '../../../test/helpers.js';
import { SubjectList } from './schemas.js';

const ctx = useSchool();

const asAdmin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  call(ctx.app, method, url, { token: ctx.school.adminToken, body });

const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);

const subjectRow = (id: string) => tenant().selectFrom('subjects').selectAll().where('id', '=', id).executeTakeFirst();

/** The activity-log entries about one subject, oldest first. */
const logEntries = (id: string) =>
  tenant()
    .selectFrom('activityLogs')
    .select(['action', 'targetType', 'targetId', 'targetName', 'details', 'userId'])
    .where('targetId', '=', id)
    .orderBy('createdAt')
    .execute();

const subjectCount = async () => Number((await tenant().selectFrom('subjects').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const logCount = async () => Number((await tenant().selectFrom('activityLogs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function createSubject(body: Record<string, unknown>) {
  const response = await asAdmin('POST', '/api/subjects', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.data as { id: string; name: string; code: string | null; color: string | null; createdAt: string; updatedAt: string };
}

describe('creating subjects', () => {
  it('creates a subject with a trimmed name and code and an upper-case color, and logs it', async () => {
    const response = await asAdmin('POST', '/api/subjects', { name: '  Mathematics ', code: ' MATH ', color: '#1e88e5' });
    expect(response.statusCode).toBe(201);
    const id = response.data.id as string;
    expect(response.data).toEqual({
      id: expect.any(String),
      name: 'Mathematics',
      code: 'MATH',
      color: '#1E88E5',
      createdAt: expect.any(String),
      updatedAt: response.data.createdAt,
    });
    expect(await subjectRow(id)).toMatchObject({ name: 'Mathematics', code: 'MATH', color: '#1E88E5' });
    expect((await asAdmin('GET', `/api/subjects/${id}`)).data).toEqual(response.data);
    expect(await logEntries(id)).toEqual([
      {
        action: 'create',
        targetType: 'subject',
        targetId: id,
        targetName: 'Mathematics',
        details: { name: 'Mathematics', code: 'MATH', color: '#1E88E5' },
        userId: ctx.school.admin.id,
      },
    ]);
  });

  it('needs only a name: code and color are null', async () => {
    const response = await asAdmin('POST', '/api/subjects', { name: 'Drawing' });
    expect(response.statusCode).toBe(201);
    expect(response.data).toEqual({ id: expect.any(String), name: 'Drawing', code: null, color: null, createdAt: expect.any(String), updatedAt: expect.any(String) });
  });

  it('refuses a name or a code another subject has, ignoring case, naming the field, and writes nothing', async () => {
    await createSubject({ name: 'Physics', code: 'PHY' });
    const [subjects, logs] = [await subjectCount(), await logCount()];

    const sameName = await asAdmin('POST', '/api/subjects', { name: ' PHYSICS ', code: 'PH2' });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.data).toEqual({
      code: 'CONFLICT',
      message: 'Another subject already has the name "PHYSICS"',
      details: [{ field: 'name', message: 'is already used by another subject' }],
    });

    const sameCode = await asAdmin('POST', '/api/subjects', { name: 'Physics II', code: 'phy' });
    expect(sameCode.statusCode).toBe(409);
    expect(sameCode.data).toEqual({
      code: 'CONFLICT',
      message: 'Another subject already has the code "phy"',
      details: [{ field: 'code', message: 'is already used by another subject' }],
    });

    expect([await subjectCount(), await logCount()]).toEqual([subjects, logs]);
  });

  it('lets any number of subjects go without a code', async () => {
    await createSubject({ name: 'Free period A' });
    await createSubject({ name: 'Free period B' });
  });

  it('rejects bad input with a detail per field and writes nothing', async () => {
    const [subjects, logs] = [await subjectCount(), await logCount()];
    const bad = await asAdmin('POST', '/api/subjects', { name: '', code: 'C'.repeat(21), color: 'blue', teacher: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.code).toBe('VALIDATION_ERROR');
    expect(bad.data.details).toEqual([
      { field: 'teacher', message: 'is not an allowed field' },
      { field: 'name', message: 'must NOT have fewer than 1 characters' },
      { field: 'code', message: 'must NOT have more than 20 characters' },
      { field: 'color', message: 'must match pattern "^#[0-9A-Fa-f]{6}$"' },
    ]);

    const tooLong = await asAdmin('POST', '/api/subjects', { name: 'n'.repeat(101) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.data.details).toEqual([{ field: 'name', message: 'must NOT have more than 100 characters' }]);

    const missing = await asAdmin('POST', '/api/subjects', { code: 'X' });
    expect(missing.statusCode).toBe(400);
    expect(missing.data.details).toEqual([{ field: 'name', message: "must have required property 'name'" }]);

    const blank = await asAdmin('POST', '/api/subjects', { name: '   ', code: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Invalid request: name must not be blank; code must not be blank',
      details: [
        { field: 'name', message: 'must not be blank' },
        { field: 'code', message: 'must not be blank' },
      ],
    });

    for (const color of ['#12345', '#1234567', '123456', '#GGGGGG', '#123456\n']) {
      const response = await asAdmin('POST', '/api/subjects', { name: 'Colorful', color });
      expect(response.statusCode, color).toBe(400);
      expect(response.data.details, color).toEqual([{ field: 'color', message: 'must match pattern "^#[0-9A-Fa-f]{6}$"' }]);
    }
    expect([await subjectCount(), await logCount()]).toEqual([subjects, logs]);
  });
});

describe('listing subjects', () => {
  it('pages through subjects sorted by name, ignoring case, and filters on name or code', async () => {
    const school = await registerInstitution(ctx.app);
    const post = (body: Record<string, unknown>) => call(ctx.app, 'POST', '/api/subjects', { token: school.adminToken, body });
    const list = (query: string) => call(ctx.app, 'GET', `/api/subjects${query}`, { token: school.adminToken });
    const made = [];
    for (const body of [{ name: 'biology', code: 'BIO' }, { name: 'Art' }, { name: 'Chemistry', code: 'CHEM', color: '#00AA00' }, { name: '100% Math', code: 'M_1' }]) {
      made.push((await post(body)).data);
    }
    const [biology, art, chemistry, math] = made;

    const first = await list('?limit=2');
    expect(first.statusCode).toBe(200);
    expectExactShape(SubjectList, first.data);
    expect(first.data).toEqual({ items: [math, art], total: 4, page: 1, limit: 2 });
    expect((await list('?limit=2&page=2')).data).toEqual({ items: [biology, chemistry], total: 4, page: 2, limit: 2 });
    expect((await list('?limit=2&page=3')).data).toEqual({ items: [], total: 4, page: 3, limit: 2 });

    expect((await list('?q=CHE')).data).toEqual({ items: [chemistry], total: 1, page: 1, limit: 50 });
    expect((await list('?q=bio')).data.items).toEqual([biology]);
    expect((await list('?q=%25')).data.items).toEqual([math]);
    expect((await list('?q=_')).data.items).toEqual([math]);
    expect((await list('?q=nothing')).data).toEqual({ items: [], total: 0, page: 1, limit: 50 });
  });
});

describe('changing subjects', () => {
  it('changes the given fields, clears code and color with null, and logs what changed', async () => {
    const subject = await createSubject({ name: 'Geography', code: 'GEO', color: '#123ABC' });
    const renamed = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { name: ' Earth Science ', color: '#abcdef' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.data).toEqual({ ...subject, name: 'Earth Science', color: '#ABCDEF', updatedAt: expect.any(String) });
    expect(Date.parse(renamed.data.updatedAt)).toBeGreaterThanOrEqual(Date.parse(subject.updatedAt));

    const cleared = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { code: null, color: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.data).toEqual({ ...renamed.data, code: null, color: null, updatedAt: expect.any(String) });
    expect(await subjectRow(subject.id)).toMatchObject({ name: 'Earth Science', code: null, color: null });
    expect((await asAdmin('GET', `/api/subjects/${subject.id}`)).data).toEqual(cleared.data);

    const entries = await logEntries(subject.id);
    expect(entries.slice(1).map(({ action, targetName, details }) => ({ action, targetName, details }))).toEqual([
      {
        action: 'update',
        targetName: 'Earth Science',
        details: { changes: { name: { from: 'Geography', to: 'Earth Science' }, color: { from: '#123ABC', to: '#ABCDEF' } } },
      },
      {
        action: 'update',
        targetName: 'Earth Science',
        details: { changes: { code: { from: 'GEO', to: null }, color: { from: '#ABCDEF', to: null } } },
      },
    ]);
  });

  it('accepts a new case of its own name or code', async () => {
    const subject = await createSubject({ name: 'History', code: 'HIS' });
    const response = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { name: 'HISTORY', code: 'his' });
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ name: 'HISTORY', code: 'his' });
  });

  it('refuses a name or code that clashes with another subject, and leaves the subject and the log as they were', async () => {
    await createSubject({ name: 'Music', code: 'MUS' });
    const subject = await createSubject({ name: 'Dance', code: 'DAN' });
    const logs = await logCount();

    const name = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { name: 'music' });
    expect(name.statusCode).toBe(409);
    expect(name.data).toEqual({
      code: 'CONFLICT',
      message: 'Another subject already has the name "music"',
      details: [{ field: 'name', message: 'is already used by another subject' }],
    });
    const code = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { color: '#000000', code: 'Mus' });
    expect(code.statusCode).toBe(409);
    expect(code.data).toMatchObject({ code: 'CONFLICT', details: [{ field: 'code', message: 'is already used by another subject' }] });

    expect(await subjectRow(subject.id)).toMatchObject({ name: 'Dance', code: 'DAN', color: null, updatedAt: subject.updatedAt });
    expect(await logCount()).toBe(logs);
    expect((await logEntries(subject.id)).map((entry) => entry.action)).toEqual(['create']);
  });

  it('rejects an empty change, unknown fields and bad values', async () => {
    const subject = await createSubject({ name: 'Latin' });
    const empty = await asAdmin('PATCH', `/api/subjects/${subject.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Invalid request: body must NOT have fewer than 1 properties',
      details: [{ field: 'body', message: 'must NOT have fewer than 1 properties' }],
    });
    const unknown = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { name: 'Latin I', id: randomUUID() });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.data.details).toEqual([{ field: 'id', message: 'is not an allowed field' }]);
    const blank = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { name: ' ' });
    expect(blank.data).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'name', message: 'must not be blank' }] });
    const badValues = await asAdmin('PATCH', `/api/subjects/${subject.id}`, { code: '', color: 'red' });
    expect(badValues.statusCode).toBe(400);
    expect(badValues.data.details).toEqual([
      { field: 'code', message: 'must NOT have fewer than 1 characters' },
      { field: 'color', message: 'must match pattern "^#[0-9A-Fa-f]{6}$"' },
    ]);
    expect(await subjectRow(subject.id)).toMatchObject({ name: 'Latin', updatedAt: subject.updatedAt });
  });
});

describe('unknown subjects', () => {
  it('answer 404 NOT_FOUND to every route with an id, and nothing is logged', async () => {
    const logs = await logCount();
    const id = randomUUID();
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Ghost' }], ['DELETE']] as const) {
      const response = await asAdmin(method, `/api/subjects/${id}`, body);
      expect(response.statusCode, method).toBe(404);
      expect(response.data).toEqual({ code: 'NOT_FOUND', message: 'Subject not found' });
    }
    expect(await logCount()).toBe(logs);
  });

  it('include another institution\'s subjects', async () => {
    const other = await registerInstitution(ctx.app);
    const theirs = await call(ctx.app, 'POST', '/api/subjects', { token: other.adminToken, body: { name: 'Their subject' } });
    const response = await asAdmin('GET', `/api/subjects/${theirs.data.id}`);
    expect(response.statusCode).toBe(404);
    expect((await asAdmin('GET', '/api/subjects?q=Their%20subject')).data.total).toBe(0);
  });
});

describe('who may do what', () => {
  let teacher: TestUser;
  let student: TestUser;
  beforeAll(async () => {
    teacher = await createMember(ctx.app, ctx.school, 'teacher');
    student = await createMember(ctx.app, ctx.school, 'student');
  });

  it('teachers and students read subjects but change nothing (403)', async () => {
    const subject = await createSubject({ name: 'Readable', code: 'READ' });
    for (const member of [teacher, student]) {
      const one = await call(ctx.app, 'GET', `/api/subjects/${subject.id}`, { token: member.token });
      expect(one.statusCode).toBe(200);
      expect(one.data).toEqual(subject);
      const list = await call(ctx.app, 'GET', '/api/subjects?q=READ', { token: member.token });
      expect(list.data).toEqual({ items: [subject], total: 1, page: 1, limit: 50 });

      for (const [method, url, body] of [
        ['POST', '/api/subjects', { name: `By ${member.role}` }],
        ['PATCH', `/api/subjects/${subject.id}`, { name: 'Hijacked' }],
        ['DELETE', `/api/subjects/${subject.id}`, undefined],
      ] as const) {
        const response = await call(ctx.app, method, url, { token: member.token, body });
        expect(response.statusCode, `${member.role} ${method}`).toBe(403);
        expect(response.data.code).toBe('FORBIDDEN');
      }
    }
    expect(await subjectRow(subject.id)).toMatchObject({ name: 'Readable' });
    expect((await logEntries(subject.id)).map((entry) => entry.action)).toEqual(['create']);
  });

  it('without a token, nobody reads subjects', async () => {
    expect((await call(ctx.app, 'GET', '/api/subjects')).statusCode).toBe(401);
  });
});

describe('deleting subjects', () => {
  it('deletes an unused subject and logs it', async () => {
    const subject = await createSubject({ name: 'Old subject', code: 'OLD', color: '#FFFFFF' });
    const response = await asAdmin('DELETE', `/api/subjects/${subject.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ message: 'Subject deleted' });
    expect(await subjectRow(subject.id)).toBeUndefined();
    expect((await asAdmin('GET', `/api/subjects/${subject.id}`)).statusCode).toBe(404);
    const entries = await logEntries(subject.id);
    expect(entries.at(-1)).toEqual({
      action: 'delete',
      targetType: 'subject',
      targetId: subject.id,
      targetName: 'Old subject',
      details: { name: 'Old subject', code: 'OLD', color: '#FFFFFF' },
      userId: ctx.school.admin.id,
    });
  });

  it('refuses to delete a subject still in a curriculum or the timetable: 409 IN_USE with the counts, nothing changed', async () => {
    const subject = await createSubject({ name: 'Biology', code: 'BIO' });
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const classes = await tenant()
      .insertInto('classes')
      .values([
        { name: '5A', grade: 5, section: 'A' },
        { name: '5B', grade: 5, section: 'B' },
      ])
      .returning('id')
      .execute();
    await tenant()
      .insertInto('curriculum')
      .values(classes.map((klass) => ({ classId: klass.id, subjectId: subject.id, teacherId: teacher.id, periodsPerWeek: 2 })))
      .execute();
    await tenant()
      .insertInto('lessons')
      .values([
        { classId: classes[0]!.id, subjectId: subject.id, teacherId: teacher.id, day: 'monday', period: 1 },
        { classId: classes[0]!.id, subjectId: subject.id, teacherId: teacher.id, day: 'tuesday', period: 2 },
        { classId: classes[1]!.id, subjectId: subject.id, teacherId: teacher.id, day: 'monday', period: 2 },
      ])
      .execute();
    const logs = await logCount();

    const response = await asAdmin('DELETE', `/api/subjects/${subject.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'IN_USE',
      message: 'The subject "Biology" is still in use (2 in curriculum, 3 in lessons); remove those first',
      references: { curriculum: 2, lessons: 3 },
    });
    expect(await subjectRow(subject.id)).toMatchObject({ name: 'Biology', code: 'BIO' });
    expect(await logCount()).toBe(logs);

    // Once the timetable and the curricula no longer use it, it can go.
    await tenant().deleteFrom('lessons').where('subjectId', '=', subject.id).execute();
    const onlyCurriculum = await asAdmin('DELETE', `/api/subjects/${subject.id}`);
    expect(onlyCurriculum.data.references).toEqual({ curriculum: 2 });
    await tenant().deleteFrom('curriculum').where('subjectId', '=', subject.id).execute();
    expect((await asAdmin('DELETE', `/api/subjects/${subject.id}`)).statusCode).toBe(200);
    expect(await subjectRow(subject.id)).toBeUndefined();
  });
});

describe('a change and its activity-log entry', () => {
  it('commit together or not at all: a log entry that cannot be written undoes the change', async () => {
    const schema = ctx.school.schemaName;
    await sql`
      create function ${sql.id(schema, 'refuse_doomed')}() returns trigger language plpgsql as $$
      begin
        if new."targetName" like 'Doomed%' then raise exception 'log refused'; end if;
        return new;
      end $$;
      create trigger refuse_doomed before insert on ${sql.id(schema, 'activityLogs')}
        for each row execute function ${sql.id(schema, 'refuse_doomed')}();
    `.execute(ctx.app.db);
    try {
      const subject = await createSubject({ name: 'Survivor', code: 'SRV' });
      const [subjects, logs] = [await subjectCount(), await logCount()];

      expect((await asAdmin('POST', '/api/subjects', { name: 'Doomed', code: 'DOOM' })).statusCode).toBe(500);
      expect((await asAdmin('PATCH', `/api/subjects/${subject.id}`, { name: 'Doomed too', code: 'DOOM' })).statusCode).toBe(500);

      expect([await subjectCount(), await logCount()]).toEqual([subjects, logs]);
      expect(await tenant().selectFrom('subjects').select('id').where('code', '=', 'DOOM').execute()).toEqual([]);
      expect(await subjectRow(subject.id)).toMatchObject({ name: 'Survivor', code: 'SRV', updatedAt: subject.updatedAt });
    } finally {
      await sql`drop trigger refuse_doomed on ${sql.id(schema, 'activityLogs')}; drop function ${sql.id(schema, 'refuse_doomed')}()`.execute(ctx.app.db);
    }
  });
});
