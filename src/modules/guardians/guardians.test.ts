import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, expectErrorShape, expectExactShape, type TestUser, unique, useSchool } from '../../../test/helpers.js';
import { ChildList, GuardianLink } from './schemas.js';

const ctx = useSchool();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const asAdmin = (method: Method, url: string, body?: unknown) => call(ctx.app, method, url, { token: ctx.school.adminToken, body });
const as = (user: TestUser, method: Method, url: string, body?: unknown) => call(ctx.app, method, url, { token: user.token, body });
const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);

const links = (studentId: string) =>
  tenant().selectFrom('guardianLinks').select(['guardianId', 'relationship', 'primary']).where('studentId', '=', studentId).orderBy('guardianId').execute();

async function makeClass(name: string, homeroomTeacherId: string, studentIds: string[]) {
  const created = await asAdmin('POST', '/api/classes', { name, grade: 5, section: name.slice(-1), homeroomTeacherId });
  expect(created.statusCode, created.body).toBe(201);
  const enrolled = await asAdmin('POST', `/api/classes/${created.data.id}/students`, { studentIds });
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  return created.data.id as string;
}

async function link(studentId: string, guardianId: string, relationship = 'mother', primary?: boolean) {
  const response = await asAdmin('POST', `/api/students/${studentId}/guardians`, { guardianId, relationship, ...(primary === undefined ? {} : { primary }) });
  expect(response.statusCode, response.body).toBe(201);
  return response.data;
}

function expectRefused(response: { statusCode: number; body: string; data: { code?: string } }, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expectErrorShape(response);
  expect(response.data.code).toBe(code);
}

// Two families: the guardian of two children in two classes, and a stranger's guardian.
let teacherA: TestUser;
let teacherB: TestUser;
let teacherC: TestUser;
let kidA: TestUser;
let kidB: TestUser;
let stranger: TestUser;
let parent: TestUser;
let otherParent: TestUser;
let classA: string;
let classB: string;

beforeAll(async () => {
  teacherA = await createMember(ctx.app, ctx.school, 'teacher', { name: 'Ada Teacher' });
  teacherB = await createMember(ctx.app, ctx.school, 'teacher', { name: 'Bea Teacher' });
  teacherC = await createMember(ctx.app, ctx.school, 'teacher', { name: 'Cal Teacher' });
  kidA = await createMember(ctx.app, ctx.school, 'student', { name: 'Anna Kid', dateOfBirth: '2015-05-09' });
  kidB = await createMember(ctx.app, ctx.school, 'student', { name: 'Ben Kid' });
  stranger = await createMember(ctx.app, ctx.school, 'student', { name: 'Sam Stranger' });
  parent = await createMember(ctx.app, ctx.school, 'guardian', { name: 'Pat Parent', phone: '+1 555 0100' });
  otherParent = await createMember(ctx.app, ctx.school, 'guardian', { name: 'Oli Other' });
  classA = await makeClass(unique('Class ') + 'A', teacherA.id, [kidA.id, stranger.id]);
  classB = await makeClass(unique('Class ') + 'B', teacherB.id, [kidB.id]);
  await link(kidA.id, parent.id, 'mother', true);
  await link(kidB.id, parent.id, 'mother');
  await link(stranger.id, otherParent.id, 'father', true);
});

describe('guardian accounts', () => {
  it('are created like other users and sign in as guardians', async () => {
    expect(parent.role).toBe('guardian');
    const me = await as(parent, 'GET', '/api/auth/me');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.data.user).toEqual({ id: parent.id, username: parent.username, name: 'Pat Parent', email: null, role: 'guardian' });
  });
});

describe('linking', () => {
  it('links a guardian, answers the link, logs it, and lists it for admins and the student\'s teachers', async () => {
    const kid = await createMember(ctx.app, ctx.school, 'student');
    const guardian = await createMember(ctx.app, ctx.school, 'guardian', { name: 'Gil Guardian', email: 'gil@example.org' });
    const response = await asAdmin('POST', `/api/students/${kid.id}/guardians`, { guardianId: guardian.id, relationship: 'father' });
    expect(response.statusCode, response.body).toBe(201);
    expectExactShape(GuardianLink, response.data);
    expect(response.data).toEqual({
      guardianId: guardian.id,
      name: 'Gil Guardian',
      username: guardian.username,
      email: 'gil@example.org',
      phone: null,
      isActive: true,
      relationship: 'father',
      primary: false,
      createdAt: expect.any(String),
    });
    expect(await links(kid.id)).toEqual([{ guardianId: guardian.id, relationship: 'father', primary: false }]);
    const log = await tenant().selectFrom('activityLogs').select(['action', 'targetType', 'details']).where('targetId', '=', kid.id).where('action', '=', 'link_guardian').execute();
    expect(log).toEqual([{ action: 'link_guardian', targetType: 'student', details: { guardianId: guardian.id, relationship: 'father', primary: false, previousPrimary: null } }]);
    const list = await asAdmin('GET', `/api/students/${kid.id}/guardians`);
    expect(list.statusCode).toBe(200);
    expect(list.data).toEqual([response.data]);
  });

  it('keeps one primary guardian per student: a new primary takes the mark', async () => {
    const kid = await createMember(ctx.app, ctx.school, 'student');
    const first = await createMember(ctx.app, ctx.school, 'guardian', { name: 'Zed First' });
    const second = await createMember(ctx.app, ctx.school, 'guardian', { name: 'Amy Second' });
    await link(kid.id, first.id, 'mother', true);
    await link(kid.id, second.id, 'father', true);
    expect(await links(kid.id)).toEqual(
      [
        { guardianId: first.id, relationship: 'mother', primary: false },
        { guardianId: second.id, relationship: 'father', primary: true },
      ].sort((a, b) => a.guardianId.localeCompare(b.guardianId)),
    );
    const list = await asAdmin('GET', `/api/students/${kid.id}/guardians`);
    expect(list.data.map((entry: { guardianId: string; primary: boolean }) => [entry.guardianId, entry.primary])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
  });

  it('refuses a second link of the same pair (409), a non-student (400 on id), a non-guardian (400 on guardianId), an unknown student (404)', async () => {
    const again = await asAdmin('POST', `/api/students/${kidA.id}/guardians`, { guardianId: parent.id, relationship: 'mother' });
    expectRefused(again, 409, 'CONFLICT');
    const notStudent = await asAdmin('POST', `/api/students/${teacherA.id}/guardians`, { guardianId: parent.id, relationship: 'mother' });
    expectRefused(notStudent, 400, 'VALIDATION_ERROR');
    expect(notStudent.data.details).toEqual([{ field: 'id', message: 'is a teacher, not a student' }]);
    const notGuardian = await asAdmin('POST', `/api/students/${kidA.id}/guardians`, { guardianId: stranger.id, relationship: 'other' });
    expectRefused(notGuardian, 400, 'VALIDATION_ERROR');
    expect(notGuardian.data.details).toEqual([{ field: 'guardianId', message: 'is a student, not a guardian' }]);
    const unknownGuardian = await asAdmin('POST', `/api/students/${kidA.id}/guardians`, { guardianId: randomUUID(), relationship: 'other' });
    expect(unknownGuardian.data.details).toEqual([{ field: 'guardianId', message: 'is no user of this institution' }]);
    expectRefused(await asAdmin('POST', `/api/students/${randomUUID()}/guardians`, { guardianId: parent.id, relationship: 'mother' }), 404, 'NOT_FOUND');
    const badRelationship = await asAdmin('POST', `/api/students/${kidA.id}/guardians`, { guardianId: otherParent.id, relationship: 'aunt' });
    expectRefused(badRelationship, 400, 'VALIDATION_ERROR');
    expect(await links(kidA.id)).toEqual([{ guardianId: parent.id, relationship: 'mother', primary: true }]);
  });

  it('unlinks (200, then 404), and only admins change links', async () => {
    const kid = await createMember(ctx.app, ctx.school, 'student');
    await link(kid.id, otherParent.id, 'other');
    expectRefused(await as(teacherA, 'POST', `/api/students/${kid.id}/guardians`, { guardianId: parent.id, relationship: 'other' }), 403, 'FORBIDDEN');
    expectRefused(await as(teacherA, 'DELETE', `/api/students/${kid.id}/guardians/${otherParent.id}`), 403, 'FORBIDDEN');
    const removed = await asAdmin('DELETE', `/api/students/${kid.id}/guardians/${otherParent.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.data).toEqual({ message: 'Guardian unlinked' });
    expect(await links(kid.id)).toEqual([]);
    expectRefused(await asAdmin('DELETE', `/api/students/${kid.id}/guardians/${otherParent.id}`), 404, 'NOT_FOUND');
  });

  it("shows a student's guardians to the teachers of their class and no one else", async () => {
    const ofKidA = await as(teacherA, 'GET', `/api/students/${kidA.id}/guardians`);
    expect(ofKidA.statusCode, ofKidA.body).toBe(200);
    expect(ofKidA.data.map((entry: { guardianId: string }) => entry.guardianId)).toEqual([parent.id]);
    expectRefused(await as(teacherC, 'GET', `/api/students/${kidA.id}/guardians`), 403, 'FORBIDDEN');
    expectRefused(await as(parent, 'GET', `/api/students/${kidA.id}/guardians`), 403, 'FORBIDDEN');
    expectRefused(await as(kidA, 'GET', `/api/students/${kidA.id}/guardians`), 403, 'FORBIDDEN');
  });

  it('goes with a deleted account', async () => {
    const kid = await createMember(ctx.app, ctx.school, 'student');
    const guardian = await createMember(ctx.app, ctx.school, 'guardian');
    await link(kid.id, guardian.id, 'guardian');
    expect((await asAdmin('DELETE', `/api/users/${guardian.id}`)).statusCode).toBe(200);
    expect(await links(kid.id)).toEqual([]);
  });
});

describe('a guardian of two children in two classes', () => {
  it('lists both children with their class and homeroom teacher', async () => {
    const response = await as(parent, 'GET', '/api/guardians/me/children');
    expect(response.statusCode, response.body).toBe(200);
    expectExactShape(ChildList, response.data);
    const klass = async (id: string) => tenant().selectFrom('classes').select(['id', 'name', 'grade', 'section']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(response.data).toEqual([
      {
        id: kidA.id,
        name: 'Anna Kid',
        username: kidA.username,
        dateOfBirth: '2015-05-09',
        relationship: 'mother',
        primary: true,
        class: await klass(classA),
        homeroomTeacher: { id: teacherA.id, name: 'Ada Teacher' },
      },
      {
        id: kidB.id,
        name: 'Ben Kid',
        username: kidB.username,
        dateOfBirth: null,
        relationship: 'mother',
        primary: false,
        class: await klass(classB),
        homeroomTeacher: { id: teacherB.id, name: 'Bea Teacher' },
      },
    ]);
    const other = await as(otherParent, 'GET', '/api/guardians/me/children');
    expect(other.data.map((child: { id: string }) => child.id)).toEqual([stranger.id]);
    expectRefused(await as(teacherA, 'GET', '/api/guardians/me/children'), 403, 'FORBIDDEN');
  });

  it("reads each child's timetable, and no other student's", async () => {
    const subject = await tenant().insertInto('subjects').values({ name: unique('Maths '), color: '#336699' }).returning('id').executeTakeFirstOrThrow();
    await tenant().insertInto('lessons').values({ classId: classA, subjectId: subject.id, teacherId: teacherA.id, day: 'monday', period: 1 }).execute();
    await tenant().insertInto('lessons').values({ classId: classB, subjectId: subject.id, teacherId: teacherB.id, day: 'tuesday', period: 2 }).execute();
    for (const [kid, classId] of [[kidA, classA], [kidB, classB]] as const) {
      const response = await as(parent, 'GET', `/api/timetable/students/${kid.id}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.data.lessons.map((lesson: { class: { id: string } }) => lesson.class.id)).toEqual([classId]);
      const own = await as(kid, 'GET', '/api/timetable/me');
      expect(response.data).toEqual(own.data);
    }
    const dated = await as(parent, 'GET', `/api/timetable/students/${kidA.id}?week=2026-W48`);
    expect(dated.statusCode, dated.body).toBe(200);
    expect(dated.data.week).toBe('2026-W48');
    expectRefused(await as(parent, 'GET', `/api/timetable/students/${stranger.id}`), 403, 'FORBIDDEN');
    expectRefused(await as(parent, 'GET', `/api/timetable/students/${teacherA.id}`), 400, 'VALIDATION_ERROR');
    expectRefused(await as(parent, 'GET', `/api/timetable/students/${randomUUID()}`), 404, 'NOT_FOUND');
    expectRefused(await as(kidA, 'GET', `/api/timetable/students/${kidB.id}`), 403, 'FORBIDDEN');
    expect((await as(teacherA, 'GET', `/api/timetable/students/${kidA.id}`)).statusCode).toBe(200);
    expectRefused(await as(teacherA, 'GET', `/api/timetable/students/${kidB.id}`), 403, 'FORBIDDEN');
  });

  it("reads each child's assignments with their standing, as the child sees them", async () => {
    const set = await as(teacherA, 'POST', '/api/assignments', { title: 'River survey', classIds: [classA], dueAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(set.statusCode, set.body).toBe(201);
    const response = await as(parent, 'GET', `/api/students/${kidA.id}/assignments`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.data).toEqual((await as(kidA, 'GET', '/api/assignments/my-assignments')).data);
    expect(response.data).toEqual([expect.objectContaining({ id: set.data.id, title: 'River survey', status: 'pending', points: null })]);
    expect((await as(parent, 'GET', `/api/students/${kidB.id}/assignments`)).data).toEqual([]);
    expectRefused(await as(parent, 'GET', `/api/students/${stranger.id}/assignments`), 403, 'FORBIDDEN');
    expectRefused(await as(otherParent, 'GET', `/api/students/${kidA.id}/assignments`), 403, 'FORBIDDEN');
    expectRefused(await as(parent, 'GET', `/api/assignments/${set.data.id}`), 403, 'FORBIDDEN');
  });

  it("reads the calendar of the children's classes, and of no other class", async () => {
    const event = async (title: string, audience: unknown) => {
      const created = await asAdmin('POST', '/api/calendar/events', { title, type: 'event', allDay: true, date: '2026-11-26', endDate: '2026-11-26', audience });
      expect(created.statusCode, created.body).toBe(201);
    };
    await event('Whole school fair', { all: true });
    await event('Class A trip', { classIds: [classA] });
    await event('Class B play', { classIds: [classB] });
    await event('Staff meeting', { teachersOnly: true });
    const titles = async (user: TestUser, query = '') => {
      const response = await as(user, 'GET', `/api/calendar?from=2026-11-26&to=2026-11-26${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.data.occurrences.map((occurrence: { title: string }) => occurrence.title).sort();
    };
    expect(await titles(parent)).toEqual(['Class A trip', 'Class B play', 'Whole school fair']);
    expect(await titles(parent, `&studentId=${kidA.id}`)).toEqual(['Class A trip', 'Whole school fair']);
    expect(await titles(parent, `&studentId=${kidB.id}`)).toEqual(['Class B play', 'Whole school fair']);
    expect(await titles(otherParent)).toEqual(['Class A trip', 'Whole school fair']);
    const foreign = await as(parent, 'GET', `/api/calendar?from=2026-11-26&to=2026-11-26&studentId=${stranger.id}`);
    expectRefused(foreign, 403, 'FORBIDDEN');
    expectRefused(await as(kidA, 'GET', `/api/calendar?from=2026-11-26&to=2026-11-26&studentId=${kidB.id}`), 403, 'FORBIDDEN');
  });

  it('gets nothing else: no class, roster, teacher timetable, user list or assignment list', async () => {
    for (const url of [
      `/api/classes/${classA}`,
      `/api/classes/${classA}/students`,
      '/api/classes',
      `/api/timetable/classes/${classA}`,
      `/api/timetable/teachers/${teacherA.id}`,
      '/api/timetable/me',
      '/api/assignments',
      '/api/assignments/my-assignments',
      '/api/users',
      '/api/subjects',
      '/api/rooms',
    ]) {
      expectRefused(await as(parent, 'GET', url), 403, 'FORBIDDEN');
    }
  });
});

describe('messages between guardians and the school', () => {
  const send = (from: TestUser, to: { id: string }, extra: Record<string, unknown> = {}) =>
    as(from, 'POST', '/api/messages', { receiverId: to.id, message: 'About tomorrow', ...extra });

  it("go between a guardian and their children's teachers and admins, naming a shared child", async () => {
    const toTeacher = await send(parent, teacherA, { aboutStudentId: kidA.id });
    expect(toTeacher.statusCode, toTeacher.body).toBe(201);
    expect(toTeacher.data).toMatchObject({ senderId: parent.id, receiverId: teacherA.id, aboutStudentId: kidA.id });
    const row = await tenant().selectFrom('messages').select(['senderId', 'receiverId', 'aboutStudentId']).where('id', '=', toTeacher.data.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ senderId: parent.id, receiverId: teacherA.id, aboutStudentId: kidA.id });
    expect((await send(parent, teacherB, { aboutStudentId: kidB.id })).statusCode).toBe(201);
    const toAdmin = await send(parent, { id: ctx.school.admin.id }, { aboutStudentId: kidB.id });
    expect(toAdmin.statusCode, toAdmin.body).toBe(201);
    const back = await send(teacherA, parent, { aboutStudentId: kidA.id });
    expect(back.statusCode, back.body).toBe(201);
    expect(back.data.aboutStudentId).toBe(kidA.id);
    expect((await asAdmin('POST', '/api/messages', { receiverId: parent.id, message: 'Welcome' })).data.aboutStudentId).toBeNull();
  });

  it('are refused to anyone else (403)', async () => {
    for (const [from, to] of [
      [parent, teacherC],
      [parent, stranger],
      [parent, otherParent],
      [parent, kidA],
      [teacherC, parent],
      [kidA, parent],
      [otherParent, teacherB],
    ] as const) {
      expectRefused(await send(from, to), 403, 'FORBIDDEN');
    }
  });

  it('name only a child both sides share (400 on aboutStudentId)', async () => {
    const refused = async (from: TestUser, to: { id: string }, studentId: string, message: string) => {
      const response = await send(from, to, { aboutStudentId: studentId });
      expectRefused(response, 400, 'VALIDATION_ERROR');
      expect(response.data.details).toEqual([{ field: 'aboutStudentId', message }]);
    };
    await refused(parent, teacherA, kidB.id, "is not a student of the teacher's classes");
    await refused(parent, teacherA, stranger.id, "is not the guardian's child");
    await refused(teacherA, parent, stranger.id, "is not the guardian's child");
    await refused(parent, { id: ctx.school.admin.id }, stranger.id, "is not the guardian's child");
    await refused(teacherA, teacherB, kidA.id, 'names a child only on messages between a guardian and the school');
    const count = await tenant().selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('aboutStudentId', '=', stranger.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
