import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createMember,
  DATABASE_URL,
  expectExactShape,
  registerInstitution,
  type TestInstitution,
  type TestUser,
  unique,
  useSchool,
} from '../../../test/helpers.js';
import { ClassList, ClassmateList, ClassStudentList, MyClasses } from './schemas.js';

const ctx = useSchool();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const asAdmin = (method: Method, url: string, body?: unknown) => call(ctx.app, method, url, { token: ctx.school.adminToken, body });
const as = (user: TestUser, method: Method, url: string, body?: unknown) => call(ctx.app, method, url, { token: user.token, body });

const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);

async function makeClass(fields: Record<string, unknown> = {}) {
  const response = await asAdmin('POST', '/api/classes', { name: unique('Class '), grade: 5, section: 'A', ...fields });
  if (response.statusCode !== 201) throw new Error(`create class failed: ${response.statusCode} ${response.body}`);
  return response.data as { id: string; name: string };
}

async function makeSubject(name = unique('Subject ')) {
  return tenant().insertInto('subjects').values({ name, color: '#336699' }).returning(['id', 'name', 'color']).executeTakeFirstOrThrow();
}

async function makeLesson(classId: string, subjectId: string, teacherId: string, day: 'monday' | 'tuesday' = 'monday', period = 1) {
  await tenant().insertInto('lessons').values({ classId, subjectId, teacherId, day, period }).execute();
}

async function students(count: number) {
  const made: TestUser[] = [];
  for (let i = 0; i < count; i++) made.push(await createMember(ctx.app, ctx.school, 'student'));
  return made;
}

async function enrolled(classId: string) {
  const rows = await tenant().selectFrom('enrollments').select('studentId').where('classId', '=', classId).execute();
  return rows.map((row) => row.studentId).sort();
}

async function lastLog(targetId: string) {
  return tenant()
    .selectFrom('activityLogs')
    .select(['action', 'targetType', 'targetId', 'targetName', 'details'])
    .where('targetId', '=', targetId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

let teacher: TestUser;
let otherTeacher: TestUser;

beforeAll(async () => {
  teacher = await createMember(ctx.app, ctx.school, 'teacher', { name: 'Maria Montessori' });
  otherTeacher = await createMember(ctx.app, ctx.school, 'teacher', { name: 'John Dewey' });
});

describe('creating classes', () => {
  it('creates a class with its homeroom teacher and shows the detail', async () => {
    const name = unique('7');
    const response = await asAdmin('POST', '/api/classes', { name: ` ${name} `, grade: 7, section: ' B ', homeroomTeacherId: teacher.id, maxStudents: 30 });
    expect(response.statusCode).toBe(201);
    expect(response.data).toEqual({
      id: expect.any(String),
      name,
      grade: 7,
      section: 'B',
      homeroomTeacher: { id: teacher.id, name: 'Maria Montessori' },
      studentCount: 0,
      maxStudents: 30,
      compactDays: true,
      curriculum: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await asAdmin('GET', `/api/classes/${response.data.id}`)).toMatchObject({ statusCode: 200, data: response.data });
    const row = await tenant().selectFrom('classes').selectAll().where('id', '=', response.data.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name, grade: 7, section: 'B', homeroomTeacherId: teacher.id, maxStudents: 30 });
    expect(await lastLog(response.data.id)).toEqual({
      action: 'create',
      targetType: 'class',
      targetId: response.data.id,
      targetName: name,
      details: { grade: 7, section: 'B', homeroomTeacherId: teacher.id, maxStudents: 30 },
    });
  });

  it('takes 40 seats and no homeroom teacher by default', async () => {
    const response = await asAdmin('POST', '/api/classes', { name: unique('1'), grade: 1, section: 'A' });
    expect(response.statusCode).toBe(201);
    expect(response.data).toMatchObject({ homeroomTeacher: null, maxStudents: 40, studentCount: 0 });
  });

  it('rejects bad fields with a detail for each, and writes nothing', async () => {
    const before = await tenant().selectFrom('classes').select('id').execute();
    const response = await asAdmin('POST', '/api/classes', { name: '  ', grade: 13, section: 'ABCDEFGHIJK', maxStudents: 201, extra: 1 });
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('VALIDATION_ERROR');
    expect((response.data.details as { field: string }[]).map((d) => d.field)).toEqual(
      expect.arrayContaining(['name', 'grade', 'section', 'maxStudents', 'extra']),
    );
    expect(await tenant().selectFrom('classes').select('id').execute()).toEqual(before);
  });

  it('requires the homeroom teacher to be an active teacher of the institution', async () => {
    const [student] = await students(1);
    const inactive = await createMember(ctx.app, ctx.school, 'teacher');
    await asAdmin('PATCH', `/api/users/${inactive.id}`, { isActive: false });
    for (const id of [student!.id, inactive.id, randomUUID()]) {
      const response = await asAdmin('POST', '/api/classes', { name: unique('X'), grade: 2, section: 'A', homeroomTeacherId: id });
      expect(response.statusCode).toBe(400);
      expect(response.data).toEqual({
        code: 'VALIDATION_ERROR',
        message: expect.any(String),
        details: [{ field: 'homeroomTeacherId', message: 'must be an active teacher of this institution' }],
      });
    }
  });

  it('answers 409 CONFLICT for a name already taken, ignoring case', async () => {
    const taken = await makeClass({ name: unique('Taken ') });
    const response = await asAdmin('POST', '/api/classes', { name: taken.name.toUpperCase(), grade: 3, section: 'C' });
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({ code: 'CONFLICT', message: `A class named "${taken.name.toUpperCase()}" already exists` });
  });

  it('is for admins only', async () => {
    const response = await as(teacher, 'POST', '/api/classes', { name: unique('T'), grade: 3, section: 'A' });
    expect(response.statusCode).toBe(403);
  });
});

describe('listing classes', () => {
  let school: TestInstitution;
  const ids: Record<string, string> = {};
  let lead: TestUser;
  let teaches: TestUser;
  let lessonsOnly: TestUser;

  beforeAll(async () => {
    // A school of its own, so the list holds exactly these classes.
    school = await registerInstitution(ctx.app);
    lead = await createMember(ctx.app, school, 'teacher');
    teaches = await createMember(ctx.app, school, 'teacher');
    lessonsOnly = await createMember(ctx.app, school, 'teacher');
    for (const [name, grade, homeroomTeacherId] of [
      ['2b', 2, undefined],
      ['10A', 10, lead.id],
      ['2A', 2, undefined],
      ['Ten_B', 10, undefined],
    ] as const) {
      const response = await call(ctx.app, 'POST', '/api/classes', { token: school.adminToken, body: { name, grade, section: 'A', homeroomTeacherId } });
      ids[name] = response.data.id;
    }
    const db = ctx.app.db.withSchema(school.schemaName);
    const subject = await db.insertInto('subjects').values({ name: 'Art' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('curriculum').values({ classId: ids['2A']!, subjectId: subject.id, teacherId: teaches.id, periodsPerWeek: 2 }).execute();
    await db.insertInto('lessons').values({ classId: ids['Ten_B']!, subjectId: subject.id, teacherId: lessonsOnly.id, day: 'monday', period: 1 }).execute();
  });

  const list = (query = '') => call(ctx.app, 'GET', `/api/classes${query}`, { token: school.adminToken });
  const names = (body: Record<string, any>) => (body.items as { name: string }[]).map((item) => item.name);

  it('sorts by grade then name, in pages of summaries', async () => {
    const response = await list();
    expect(response.statusCode).toBe(200);
    expectExactShape(ClassList, response.data);
    expect(response.data).toEqual({
      items: [
        { id: ids['2A'], name: '2A', grade: 2, section: 'A', homeroomTeacher: null, studentCount: 0, maxStudents: 40, compactDays: true },
        { id: ids['2b'], name: '2b', grade: 2, section: 'A', homeroomTeacher: null, studentCount: 0, maxStudents: 40, compactDays: true },
        { id: ids['10A'], name: '10A', grade: 10, section: 'A', homeroomTeacher: { id: lead.id, name: lead.name }, studentCount: 0, maxStudents: 40, compactDays: true },
        { id: ids['Ten_B'], name: 'Ten_B', grade: 10, section: 'A', homeroomTeacher: null, studentCount: 0, maxStudents: 40, compactDays: true },
      ],
      total: 4,
      page: 1,
      limit: 50,
    });
    const second = await list('?page=2&limit=3');
    expect({ names: names(second.data), total: second.data.total, page: second.data.page, limit: second.data.limit }).toEqual({
      names: ['Ten_B'],
      total: 4,
      page: 2,
      limit: 3,
    });
  });

  it('filters by grade, by name and by teacher (homeroom, curriculum or lessons)', async () => {
    expect(names((await list('?grade=10')).data)).toEqual(['10A', 'Ten_B']);
    expect(names((await list('?q=b')).data)).toEqual(['2b', 'Ten_B']);
    expect(names((await list('?q=_')).data)).toEqual(['Ten_B']);
    expect(names((await list(`?teacherId=${lead.id}`)).data)).toEqual(['10A']);
    expect(names((await list(`?teacherId=${teaches.id}`)).data)).toEqual(['2A']);
    expect(names((await list(`?teacherId=${lessonsOnly.id}`)).data)).toEqual(['Ten_B']);
    expect(names((await list(`?teacherId=${lessonsOnly.id}&grade=2`)).data)).toEqual([]);
  });

  it('is open to teachers, not to students', async () => {
    expect((await call(ctx.app, 'GET', '/api/classes', { token: lead.token })).data.total).toBe(4);
    const student = await createMember(ctx.app, school, 'student');
    expect((await call(ctx.app, 'GET', '/api/classes', { token: student.token })).statusCode).toBe(403);
  });
});

describe('changing classes', () => {
  it('changes fields, replaces or removes the homeroom teacher, and logs the change', async () => {
    const klass = await makeClass({ homeroomTeacherId: teacher.id });
    const response = await asAdmin('PATCH', `/api/classes/${klass.id}`, { section: 'C', homeroomTeacherId: otherTeacher.id, maxStudents: 25 });
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: klass.id, section: 'C', homeroomTeacher: { id: otherTeacher.id, name: 'John Dewey' }, maxStudents: 25 });
    expect(await lastLog(klass.id)).toMatchObject({
      action: 'update',
      details: { fields: ['section', 'homeroomTeacherId', 'maxStudents'], section: 'C', homeroomTeacherId: otherTeacher.id, maxStudents: 25 },
    });
    const cleared = await asAdmin('PATCH', `/api/classes/${klass.id}`, { homeroomTeacherId: null });
    expect(cleared.data.homeroomTeacher).toBeNull();
  });

  it('refuses a homeroom teacher who is not one, a taken name, and a size below the students held', async () => {
    const klass = await makeClass();
    const other = await makeClass();
    const [a, b] = await students(2);
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, b!.id] });

    const notTeacher = await asAdmin('PATCH', `/api/classes/${klass.id}`, { homeroomTeacherId: a!.id });
    expect(notTeacher.statusCode).toBe(400);
    expect(notTeacher.data.details).toEqual([{ field: 'homeroomTeacherId', message: 'must be an active teacher of this institution' }]);

    const taken = await asAdmin('PATCH', `/api/classes/${klass.id}`, { name: other.name.toLowerCase() });
    expect(taken.statusCode).toBe(409);
    expect(taken.data.code).toBe('CONFLICT');

    const small = await asAdmin('PATCH', `/api/classes/${klass.id}`, { maxStudents: 1 });
    expect(small.statusCode).toBe(409);
    expect(small.data).toEqual({ code: 'CONFLICT', message: 'The class has 2 students; maxStudents cannot be lower than that' });
    const row = await tenant().selectFrom('classes').select(['name', 'maxStudents', 'homeroomTeacherId']).where('id', '=', klass.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: klass.name, maxStudents: 40, homeroomTeacherId: null });
  });

  it('answers 404 for an unknown class', async () => {
    const id = randomUUID();
    for (const [method, body] of [['GET'], ['PATCH', { section: 'D' }], ['DELETE']] as const) {
      const response = await asAdmin(method, `/api/classes/${id}`, body);
      expect(response.statusCode).toBe(404);
      expect(response.data).toEqual({ code: 'NOT_FOUND', message: 'Class not found' });
    }
  });
});

describe('deleting classes', () => {
  it('removes the enrollments, curriculum and lessons in one go and logs how many of each', async () => {
    const klass = await makeClass();
    const [a, b, c] = await students(3);
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, b!.id, c!.id] });
    const math = await makeSubject();
    const art = await makeSubject();
    await tenant()
      .insertInto('curriculum')
      .values([
        { classId: klass.id, subjectId: math.id, teacherId: teacher.id, periodsPerWeek: 4 },
        { classId: klass.id, subjectId: art.id, teacherId: teacher.id, periodsPerWeek: 1 },
      ])
      .execute();
    await makeLesson(klass.id, math.id, teacher.id, 'monday', 7);
    await makeLesson(klass.id, math.id, teacher.id, 'tuesday', 7);
    await makeLesson(klass.id, art.id, teacher.id, 'monday', 8);

    const response = await asAdmin('DELETE', `/api/classes/${klass.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ message: 'Class deleted' });
    expect(await tenant().selectFrom('classes').select('id').where('id', '=', klass.id).execute()).toEqual([]);
    expect(await enrolled(klass.id)).toEqual([]);
    expect(await tenant().selectFrom('curriculum').select('subjectId').where('classId', '=', klass.id).execute()).toEqual([]);
    expect(await tenant().selectFrom('lessons').select('id').where('classId', '=', klass.id).execute()).toEqual([]);
    // The students themselves stay, free to join another class.
    expect(await tenant().selectFrom('users').select('id').where('id', '=', a!.id).execute()).toEqual([{ id: a!.id }]);
    expect(await lastLog(klass.id)).toEqual({
      action: 'delete',
      targetType: 'class',
      targetId: klass.id,
      targetName: klass.name,
      details: { students: 3, curriculum: 2, lessons: 3 },
    });
  });
});

describe('enrolling students', () => {
  it('enrolls students, counts each once, and logs who joined', async () => {
    const klass = await makeClass();
    const [a, b, c] = await students(3);
    const first = await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, b!.id, a!.id] });
    expect(first.statusCode).toBe(200);
    expect(first.data).toEqual({ studentCount: 2 });
    expect(await enrolled(klass.id)).toEqual([a!.id, b!.id].sort());
    expect(await lastLog(klass.id)).toEqual({
      action: 'enroll',
      targetType: 'class',
      targetId: klass.id,
      targetName: klass.name,
      details: { studentIds: [a!.id, b!.id], moved: [] },
    });

    const again = await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [b!.id, c!.id] });
    expect(again.data).toEqual({ studentCount: 3 });
    const idempotent = await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, b!.id, c!.id] });
    expect(idempotent.statusCode).toBe(200);
    expect(idempotent.data).toEqual({ studentCount: 3 });
    expect(await enrolled(klass.id)).toEqual([a!.id, b!.id, c!.id].sort());
    expect((await asAdmin('GET', `/api/classes/${klass.id}`)).data.studentCount).toBe(3);
  });

  it('refuses the whole request with each bad id and why, and enrolls no one', async () => {
    const klass = await makeClass();
    const [good, inactive] = await students(2);
    await asAdmin('PATCH', `/api/users/${inactive!.id}`, { isActive: false });
    const unknown = randomUUID();
    const response = await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [good!.id, unknown, teacher.id, inactive!.id] });
    expect(response.statusCode).toBe(400);
    expect(response.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: expect.any(String),
      details: [
        { field: 'studentIds.1', message: `${unknown} no such user` },
        { field: 'studentIds.2', message: `${teacher.id} is not a student` },
        { field: 'studentIds.3', message: `${inactive!.id} is deactivated` },
      ],
    });
    expect(await enrolled(klass.id)).toEqual([]);
  });

  it('validates the body', async () => {
    const klass = await makeClass();
    for (const body of [{ studentIds: [] }, { studentIds: ['nope'] }, { studentIds: Array.from({ length: 201 }, () => randomUUID()) }, {}]) {
      const response = await asAdmin('POST', `/api/classes/${klass.id}/students`, body);
      expect(response.statusCode).toBe(400);
      expect(response.data.code).toBe('VALIDATION_ERROR');
    }
    const unknownClass = await asAdmin('POST', `/api/classes/${randomUUID()}/students`, { studentIds: [randomUUID()] });
    expect(unknownClass.statusCode).toBe(404);
  });

  it('answers 409 CLASS_FULL with the seats when the newcomers do not fit', async () => {
    const klass = await makeClass({ maxStudents: 3 });
    const [a, b, c, d] = await students(4);
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, b!.id] });
    const response = await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, c!.id, d!.id] });
    expect(response.statusCode).toBe(409);
    expect(response.data).toEqual({
      code: 'CLASS_FULL',
      message: 'The class has 1 free seats; 2 students were to be added',
      maxStudents: 3,
      current: 2,
      requested: 2,
    });
    expect(await enrolled(klass.id)).toEqual([a!.id, b!.id].sort());
    // Those already in count once: filling the last seat still works.
    expect((await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, b!.id, c!.id] })).data).toEqual({ studentCount: 3 });
  });

  it('answers 409 ALREADY_ENROLLED naming the other class, and moves the students with move: true', async () => {
    const from = await makeClass();
    const to = await makeClass();
    const [a, b, c] = await students(3);
    await asAdmin('POST', `/api/classes/${from.id}/students`, { studentIds: [a!.id, b!.id] });

    const refused = await asAdmin('POST', `/api/classes/${to.id}/students`, { studentIds: [c!.id, b!.id, a!.id] });
    expect(refused.statusCode).toBe(409);
    expect(refused.data).toEqual({
      code: 'ALREADY_ENROLLED',
      message: `2 of these students are already in another class (2 in ${from.name}); send move: true to move them`,
      class: { id: from.id, name: from.name },
      studentIds: [b!.id, a!.id],
    });
    expect(await enrolled(to.id)).toEqual([]);

    const moved = await asAdmin('POST', `/api/classes/${to.id}/students`, { studentIds: [c!.id, b!.id], move: true });
    expect(moved.statusCode).toBe(200);
    expect(moved.data).toEqual({ studentCount: 2 });
    expect(await enrolled(to.id)).toEqual([b!.id, c!.id].sort());
    expect(await enrolled(from.id)).toEqual([a!.id]);
    expect((await lastLog(to.id))?.details).toEqual({ studentIds: [c!.id, b!.id], moved: [{ studentId: b!.id, fromClassId: from.id }] });
  });

  it('takes a student out of the class', async () => {
    const klass = await makeClass();
    const [a, b] = await students(2);
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id, b!.id] });
    const response = await asAdmin('DELETE', `/api/classes/${klass.id}/students/${a!.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ studentCount: 1 });
    expect(await enrolled(klass.id)).toEqual([b!.id]);
    expect(await lastLog(klass.id)).toMatchObject({ action: 'unenroll', details: { studentId: a!.id } });

    const again = await asAdmin('DELETE', `/api/classes/${klass.id}/students/${a!.id}`);
    expect(again.statusCode).toBe(404);
    expect(again.data).toEqual({ code: 'NOT_FOUND', message: 'Student in this class not found' });
    expect((await asAdmin('DELETE', `/api/classes/${randomUUID()}/students/${b!.id}`)).data).toEqual({ code: 'NOT_FOUND', message: 'Class not found' });
    expect((await as(teacher, 'DELETE', `/api/classes/${klass.id}/students/${b!.id}`)).statusCode).toBe(403);
  });

  it('goes with the student when the student is deleted', async () => {
    const klass = await makeClass();
    const [a] = await students(1);
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [a!.id] });
    expect((await asAdmin('DELETE', `/api/users/${a!.id}`)).statusCode).toBe(200);
    expect((await asAdmin('GET', `/api/classes/${klass.id}`)).data.studentCount).toBe(0);
  });
});

describe("a class's students", () => {
  let klass: { id: string; name: string };
  let roster: TestUser[];
  let outsider: TestUser;

  beforeAll(async () => {
    klass = await makeClass();
    roster = [
      await createMember(ctx.app, ctx.school, 'student', { name: 'Zoe Zhang', email: 'zoe@school.example' }),
      await createMember(ctx.app, ctx.school, 'student', { name: 'adam Adams' }),
      await createMember(ctx.app, ctx.school, 'student', { name: 'Mia Miller' }),
    ];
    outsider = await createMember(ctx.app, ctx.school, 'student');
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: roster.map((s) => s.id) });
  });

  it('admins and teachers see their accounts, sorted by name', async () => {
    const [zoe, adam, mia] = roster as [TestUser, TestUser, TestUser];
    for (const caller of [undefined, teacher]) {
      const response = caller ? await as(caller, 'GET', `/api/classes/${klass.id}/students`) : await asAdmin('GET', `/api/classes/${klass.id}/students`);
      expect(response.statusCode).toBe(200);
      expectExactShape(ClassStudentList, response.data);
      expect(response.data).toEqual({
        items: [
          { id: adam.id, username: adam.username, name: 'adam Adams', email: null },
          { id: mia.id, username: mia.username, name: 'Mia Miller', email: null },
          { id: zoe.id, username: zoe.username, name: 'Zoe Zhang', email: 'zoe@school.example' },
        ],
        total: 3,
        page: 1,
        limit: 50,
      });
    }
    const page = await asAdmin('GET', `/api/classes/${klass.id}/students?page=2&limit=2`);
    expect(page.data).toMatchObject({ items: [{ id: zoe.id }], total: 3, page: 2, limit: 2 });
  });

  it("a student of the class sees classmates' names only", async () => {
    const [zoe, adam, mia] = roster as [TestUser, TestUser, TestUser];
    const response = await as(mia, 'GET', `/api/classes/${klass.id}/students`);
    expect(response.statusCode).toBe(200);
    expectExactShape(ClassmateList, response.data);
    expect(response.data).toEqual({
      items: [
        { id: adam.id, name: 'adam Adams' },
        { id: mia.id, name: 'Mia Miller' },
        { id: zoe.id, name: 'Zoe Zhang' },
      ],
      total: 3,
      page: 1,
      limit: 50,
    });
  });

  it('a student reads their own class and its curriculum, and gets 403 on any other class', async () => {
    const member = roster[0]!;
    const own = await as(member, 'GET', `/api/classes/${klass.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.data).toMatchObject({ id: klass.id, studentCount: 3, curriculum: [] });
    expect((await as(member, 'GET', `/api/classes/${klass.id}/subjects`)).statusCode).toBe(200);

    const other = await makeClass();
    for (const url of [`/api/classes/${other.id}`, `/api/classes/${other.id}/students`, `/api/classes/${other.id}/subjects`]) {
      const response = await as(member, 'GET', url);
      expect(response.statusCode).toBe(403);
      expect(response.data.code).toBe('FORBIDDEN');
    }
    for (const url of [`/api/classes/${klass.id}`, `/api/classes/${klass.id}/students`]) {
      expect((await as(outsider, 'GET', url)).statusCode).toBe(403);
    }
    // An unknown class is not found for students too.
    expect((await as(member, 'GET', `/api/classes/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('students and teachers change nothing', async () => {
    for (const caller of [roster[0]!, teacher]) {
      expect((await as(caller, 'PATCH', `/api/classes/${klass.id}`, { section: 'Z' })).statusCode).toBe(403);
      expect((await as(caller, 'DELETE', `/api/classes/${klass.id}`)).statusCode).toBe(403);
      expect((await as(caller, 'POST', `/api/classes/${klass.id}/students`, { studentIds: [outsider.id] })).statusCode).toBe(403);
    }
  });
});

describe('my classes', () => {
  it("a teacher gets the classes they lead or teach in, each with the subjects they teach there", async () => {
    const me = await createMember(ctx.app, ctx.school, 'teacher');
    const led = await makeClass({ grade: 9, name: unique('9 Led '), homeroomTeacherId: me.id });
    const taught = await makeClass({ grade: 8, name: unique('8 Taught ') });
    const timetabled = await makeClass({ grade: 8, name: unique('8 Timetabled ') });
    await makeClass({ grade: 8, homeroomTeacherId: teacher.id });
    const biology = await makeSubject(unique('Biology '));
    const chemistry = await makeSubject(unique('Chemistry '));
    const music = await makeSubject(unique('Music '));
    await tenant()
      .insertInto('curriculum')
      .values([
        { classId: taught.id, subjectId: chemistry.id, teacherId: me.id, periodsPerWeek: 2 },
        { classId: taught.id, subjectId: biology.id, teacherId: me.id, periodsPerWeek: 2 },
        { classId: taught.id, subjectId: music.id, teacherId: teacher.id, periodsPerWeek: 1 },
      ])
      .execute();
    // Taught per the timetable only (a substitution), and the same subject in curriculum and lessons once.
    await makeLesson(timetabled.id, music.id, me.id, 'monday', 3);
    await makeLesson(taught.id, biology.id, me.id, 'tuesday', 3);

    const response = await as(me, 'GET', '/api/classes/my-classes');
    expect(response.statusCode).toBe(200);
    expectExactShape(MyClasses, response.data);
    const summary = (klass: { id: string; name: string }, grade: number, homeroomTeacher: unknown) => ({
      id: klass.id,
      name: klass.name,
      grade,
      section: 'A',
      homeroomTeacher,
      studentCount: 0,
      maxStudents: 40,
      compactDays: true,
    });
    expect(response.data).toEqual([
      { ...summary(taught, 8, null), subjects: [{ id: biology.id, name: biology.name }, { id: chemistry.id, name: chemistry.name }] },
      { ...summary(timetabled, 8, null), subjects: [{ id: music.id, name: music.name }] },
      { ...summary(led, 9, { id: me.id, name: me.name }), subjects: [] },
    ]);
  });

  it('a student gets their class with its subjects, or none', async () => {
    const [member] = await students(1);
    expect((await as(member!, 'GET', '/api/classes/my-classes')).data).toEqual([]);
    const klass = await makeClass({ grade: 4 });
    const art = await makeSubject(unique('Art '));
    await tenant().insertInto('curriculum').values({ classId: klass.id, subjectId: art.id, teacherId: teacher.id, periodsPerWeek: 1 }).execute();
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [member!.id] });
    const response = await as(member!, 'GET', '/api/classes/my-classes');
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual([
      { id: klass.id, name: klass.name, grade: 4, section: 'A', homeroomTeacher: null, studentCount: 1, maxStudents: 40, compactDays: true, subjects: [{ id: art.id, name: art.name }] },
    ]);
  });

  it('an admin gets 403', async () => {
    const response = await asAdmin('GET', '/api/classes/my-classes');
    expect(response.statusCode).toBe(403);
    expect(response.data).toEqual({ code: 'FORBIDDEN', message: 'Admins have no classes of their own; list /api/classes instead' });
  });
});

describe.skipIf(!DATABASE_URL)('capacity under concurrency (PostgreSQL)', () => {
  it('50 parallel single-student enrollments into 10 free seats enroll exactly 10', async () => {
    const klass = await makeClass({ maxStudents: 12 });
    const seated = await students(2);
    await asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: seated.map((s) => s.id) });
    // Accounts straight in the table: 50 sign-ups through the API would spend most of the test hashing.
    const rows = await tenant()
      .insertInto('users')
      .values(Array.from({ length: 50 }, (_, i) => ({ username: unique(`race${i}_`), passwordHash: 'x', role: 'student' as const, name: `Racer ${i}` })))
      .returning('id')
      .execute();

    const responses = await Promise.all(rows.map((row) => asAdmin('POST', `/api/classes/${klass.id}/students`, { studentIds: [row.id] })));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(40);
    for (const response of responses.filter((r) => r.statusCode === 409)) {
      expect(response.data).toMatchObject({ code: 'CLASS_FULL', maxStudents: 12, current: 12, requested: 1 });
    }
    expect(await enrolled(klass.id)).toHaveLength(12);
    const logged = await tenant().selectFrom('activityLogs').select('id').where('targetId', '=', klass.id).where('action', '=', 'enroll').execute();
    expect(logged).toHaveLength(11);
  });
});
