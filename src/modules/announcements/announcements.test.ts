import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, expectErrorShape, expectExactShape, type TestUser, useSchool } from '../../../test/helpers.js';
import { tenantDb } from '../../db/tenant-schema.js';
import { AnnouncementList, AnnouncementView, ReadsView } from './schemas.js';

const ctx = useSchool();
const tenant = () => tenantDb(ctx.app.db, ctx.school.schemaName);
const admin = () => ctx.school.adminToken;

/** Teachers: `teacher` teaches 5A (a lesson), `homeroom` leads 5B. Students: `pupilA` in 5A, `pupilB` in 5B, `leaver` in 5A (deactivated). */
let teacher: TestUser;
let homeroom: TestUser;
let pupilA: TestUser;
let pupilB: TestUser;
let leaver: TestUser;
/** `parentA` of pupilA; `parentAB` of both (two children in two classes); `parentNone` of nobody. */
let parentA: TestUser;
let parentAB: TestUser;
let parentNone: TestUser;
let classA: string;
let classB: string;

const MARKDOWN = '# Trip\n\nBring **lunch** and <script>alert(1)</script> [a link](javascript:alert(1)).\n';

const post = (token: string, body: Record<string, unknown>) => call(ctx.app, 'POST', '/api/announcements', { token, body });
const list = (token: string, query = '') => call(ctx.app, 'GET', `/api/announcements${query}`, { token });
const titles = async (token: string, query = '') => ((await list(token, query)).data.items as { title: string }[]).map((item) => item.title);

async function posted(token: string, body: Record<string, unknown>) {
  const response = await post(token, body);
  expect(response.statusCode, response.body).toBe(201);
  expectExactShape(AnnouncementView, response.data);
  return response.data as { id: string; readAt: string; createdAt: string };
}

/** Who got `announcement.created` for this announcement. */
async function recipients(announcementId: string) {
  const rows = await tenant().selectFrom('events').select(['userId', 'data']).where('type', '=', 'announcement.created').execute();
  return rows.filter((row) => row.data.announcementId === announcementId).map((row) => row.userId).sort();
}

const ids = (...people: { id: string }[]) => people.map((person) => person.id).sort();

async function guardian(): Promise<TestUser> {
  return createMember(ctx.app, ctx.school, 'guardian' as 'student');
}

beforeAll(async () => {
  [teacher, homeroom, pupilA, pupilB, leaver, parentA, parentAB, parentNone] = await Promise.all([
    createMember(ctx.app, ctx.school, 'teacher', { name: 'Tess Teacher' }),
    createMember(ctx.app, ctx.school, 'teacher', { name: 'Hank Homeroom' }),
    createMember(ctx.app, ctx.school, 'student', { name: 'Ann Pupil' }),
    createMember(ctx.app, ctx.school, 'student', { name: 'Ben Pupil' }),
    createMember(ctx.app, ctx.school, 'student', { name: 'Lee Leaver' }),
    guardian(),
    guardian(),
    guardian(),
  ]);
  const db = tenant();
  const subject = await db.insertInto('subjects').values({ name: 'Maths' }).returning('id').executeTakeFirstOrThrow();
  classA = (await db.insertInto('classes').values({ name: '5A', grade: 5, section: 'A' }).returning('id').executeTakeFirstOrThrow()).id;
  classB = (await db.insertInto('classes').values({ name: '5B', grade: 5, section: 'B', homeroomTeacherId: homeroom.id }).returning('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('enrollments').values([{ studentId: pupilA.id, classId: classA }, { studentId: leaver.id, classId: classA }, { studentId: pupilB.id, classId: classB }]).execute();
  await db.insertInto('lessons').values({ classId: classA, subjectId: subject.id, teacherId: teacher.id, day: 'monday', period: 1 }).execute();
  await db
    .insertInto('guardianLinks')
    .values([
      { studentId: pupilA.id, guardianId: parentA.id, relationship: 'mother' },
      { studentId: pupilA.id, guardianId: parentAB.id, relationship: 'father' },
      { studentId: pupilB.id, guardianId: parentAB.id, relationship: 'father' },
    ])
    .execute();
  expect((await call(ctx.app, 'PATCH', `/api/users/${leaver.id}`, { token: admin(), body: { isActive: false } })).statusCode).toBe(200);
});

describe('posting', () => {
  it('refuses what the caller may not post, unknown classes and bad fields, writing nothing', async () => {
    const body = { title: 'Trip', body: 'Bring lunch' };
    for (const [token, extra, status] of [
      [teacher.token, { audience: { all: true } }, 403],
      [teacher.token, { audience: { roles: ['teacher'] } }, 403],
      [teacher.token, { audience: { classIds: [classB] } }, 403],
      [teacher.token, { audience: { classIds: [classA, classB] } }, 403],
      // Leading 5B as homeroom teacher makes no one a teacher of 5A.
      [homeroom.token, { audience: { classIds: [classA] } }, 403],
      [pupilA.token, { audience: { classIds: [classA] } }, 403],
      [parentA.token, { audience: { classIds: [classA] } }, 403],
      [admin(), { audience: { classIds: ['7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f'] } }, 404],
      [admin(), { audience: { all: true, roles: ['student'] } }, 400],
      [admin(), { audience: { roles: [] } }, 400],
      [admin(), { audience: { roles: ['janitor'] } }, 400],
      [admin(), { audience: {} }, 400],
      [admin(), { audience: { all: true }, pinnedUntil: '2020-01-01T00:00:00Z' }, 400],
      [admin(), { audience: { all: true }, title: '   ' }, 400],
      [admin(), { audience: { all: true }, body: 'x'.repeat(20_001) }, 400],
      [admin(), { audience: { all: true }, body: '' }, 400],
    ] as const) {
      const response = await post(token, { ...body, ...extra });
      expect(response.statusCode, `${JSON.stringify(extra)} ${response.body}`).toBe(status);
      expectErrorShape(response);
    }
    const pinned = await post(admin(), { ...body, audience: { all: true }, pinnedUntil: '2020-01-01T00:00:00Z', title: ' ' });
    expect(pinned.data.details).toEqual([
      { field: 'title', message: 'must not be blank' },
      { field: 'pinnedUntil', message: 'must be in the future' },
    ]);
    expect(await tenant().selectFrom('announcements').select('id').execute()).toEqual([]);
  });

  it('stores the Markdown body as given, counts the author as a reader, logs it and tells everyone in the audience', async () => {
    const body = `${MARKDOWN}${'x'.repeat(20_000 - MARKDOWN.length)}`;
    const created = await posted(admin(), { title: '  Parents evening ', body, audience: { all: true }, requireConfirmation: true });
    expect(created).toEqual({
      id: expect.any(String),
      title: 'Parents evening',
      body,
      audience: { all: true },
      pinnedUntil: null,
      pinned: false,
      requireConfirmation: true,
      author: { id: ctx.school.admin.id, name: ctx.school.admin.name, role: 'admin' },
      read: true,
      readAt: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const row = await tenant().selectFrom('announcements').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: 'Parents evening', body, audience: 'all', roles: [], pinnedUntil: null, requireConfirmation: true, authorId: ctx.school.admin.id });
    expect(await tenant().selectFrom('announcementReads').select('readerId').where('announcementId', '=', created.id).execute()).toEqual([{ readerId: ctx.school.admin.id }]);
    const log = await tenant().selectFrom('activityLogs').select(['action', 'targetType', 'targetName', 'details']).where('targetId', '=', created.id).execute();
    expect(log).toEqual([
      { action: 'create', targetType: 'announcement', targetName: 'Parents evening', details: { audience: { all: true }, pinnedUntil: null, requireConfirmation: true } },
    ]);
    // Everyone active, guardians included; the deactivated student not.
    expect(await recipients(created.id)).toEqual(ids(ctx.school.admin, teacher, homeroom, pupilA, pupilB, parentA, parentAB, parentNone));
  });

  it('for classes reaches their students, those students\' guardians and the classes\' teachers, plus admins', async () => {
    const trip = await posted(teacher.token, { title: 'Museum trip', body: 'Friday', audience: { classIds: [classA] } });
    expect(await recipients(trip.id)).toEqual(ids(ctx.school.admin, teacher, pupilA, parentA, parentAB));
    const both = await posted(admin(), { title: 'Sports day', body: 'Both classes', audience: { classIds: [classB, classA] } });
    expect((await call(ctx.app, 'GET', `/api/announcements/${both.id}`, { token: pupilB.token })).data.audience).toEqual({ classIds: [classA, classB].sort() });
    expect(await recipients(both.id)).toEqual(ids(ctx.school.admin, teacher, homeroom, pupilA, pupilB, parentA, parentAB));
    expect(await tenant().selectFrom('announcementClasses').select('classId').where('announcementId', '=', both.id).orderBy('classId').execute()).toEqual(
      [classA, classB].sort().map((classId) => ({ classId })),
    );
  });

  it('for roles reaches the accounts with those roles', async () => {
    const parents = await posted(admin(), { title: 'Parents only', body: 'Fees', audience: { roles: ['guardian'] } });
    expect(await recipients(parents.id)).toEqual(ids(ctx.school.admin, parentA, parentAB, parentNone));
    const staff = await posted(admin(), { title: 'Staff', body: 'Meeting', audience: { roles: ['teacher', 'admin'] } });
    expect((await call(ctx.app, 'GET', `/api/announcements/${staff.id}`, { token: teacher.token })).data.audience).toEqual({ roles: ['admin', 'teacher'] });
    expect(await recipients(staff.id)).toEqual(ids(ctx.school.admin, teacher, homeroom));
  });
});

describe('reading', () => {
  it('lists what each caller sees, newest first, with their own read flag', async () => {
    expect(await titles(admin())).toEqual(['Staff', 'Parents only', 'Sports day', 'Museum trip', 'Parents evening']);
    expect(await titles(teacher.token)).toEqual(['Staff', 'Sports day', 'Museum trip', 'Parents evening']);
    expect(await titles(homeroom.token)).toEqual(['Staff', 'Sports day', 'Parents evening']);
    expect(await titles(pupilA.token)).toEqual(['Sports day', 'Museum trip', 'Parents evening']);
    expect(await titles(pupilB.token)).toEqual(['Sports day', 'Parents evening']);
    expect(await titles(parentA.token)).toEqual(['Parents only', 'Sports day', 'Museum trip', 'Parents evening']);
    expect(await titles(parentAB.token)).toEqual(['Parents only', 'Sports day', 'Museum trip', 'Parents evening']);
    expect(await titles(parentNone.token)).toEqual(['Parents only', 'Parents evening']);
    const page = await list(pupilA.token, '?limit=2&page=2');
    expectExactShape(AnnouncementList, page.data);
    expect(page.data).toMatchObject({ total: 3, page: 2, limit: 2, items: [{ title: 'Parents evening', read: false, readAt: null, requireConfirmation: true }] });
  });

  it('answers 404 for an announcement the caller does not see', async () => {
    const trip = (await list(teacher.token)).data.items.find((item: { title: string }) => item.title === 'Museum trip');
    for (const token of [pupilB.token, homeroom.token, parentNone.token]) {
      for (const [method, url] of [['GET', `/api/announcements/${trip.id}`], ['POST', `/api/announcements/${trip.id}/read`]] as const) {
        const response = await call(ctx.app, method, url, { token });
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expectErrorShape(response);
      }
    }
    expect(await tenant().selectFrom('announcementReads').select('readerId').where('announcementId', '=', trip.id).execute()).toEqual([{ readerId: teacher.id }]);
  });

  it('marks read once: again answers the first time and logs nothing more', async () => {
    const evening = (await list(pupilA.token)).data.items.find((item: { title: string }) => item.title === 'Parents evening');
    const first = await call(ctx.app, 'POST', `/api/announcements/${evening.id}/read`, { token: pupilA.token });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.data).toEqual({ announcementId: evening.id, readAt: expect.any(String) });
    const again = await call(ctx.app, 'POST', `/api/announcements/${evening.id}/read`, { token: pupilA.token });
    expect(again.data).toEqual(first.data);
    expect((await call(ctx.app, 'POST', `/api/announcements/${evening.id}/read`, { token: parentAB.token })).statusCode).toBe(200);
    const marks = await tenant().selectFrom('announcementReads').select('readerId').where('announcementId', '=', evening.id).orderBy('readAt').execute();
    expect(marks).toEqual([{ readerId: ctx.school.admin.id }, { readerId: pupilA.id }, { readerId: parentAB.id }]);
    const log = await tenant().selectFrom('activityLogs').select(['userId', 'action']).where('targetId', '=', evening.id).where('action', '=', 'read').orderBy('createdAt').execute();
    expect(log).toEqual([{ userId: pupilA.id, action: 'read' }, { userId: parentAB.id, action: 'read' }]);
    const seen = await call(ctx.app, 'GET', `/api/announcements/${evening.id}`, { token: pupilA.token });
    expect(seen.data).toMatchObject({ read: true, readAt: first.data.readAt });
    expect(await titles(pupilA.token, '?unread=true')).toEqual(['Sports day', 'Museum trip']);
    expect(await titles(pupilA.token, '?unread=false')).toEqual(['Parents evening']);
  });

  it('shows its author and admins who of the audience, resolved now, has read it and who has not', async () => {
    const evening = (await list(admin())).data.items.find((item: { title: string }) => item.title === 'Parents evening');
    const reads = await call(ctx.app, 'GET', `/api/announcements/${evening.id}/reads`, { token: admin() });
    expect(reads.statusCode, reads.body).toBe(200);
    expectExactShape(ReadsView, reads.data);
    const person = (user: { id: string; name: string }, role: string) => ({ id: user.id, name: user.name, role });
    expect(reads.data).toEqual({
      audience: 8,
      readCount: 3,
      read: [
        { ...person(ctx.school.admin, 'admin'), readAt: expect.any(String) },
        { ...person(pupilA, 'student'), readAt: expect.any(String) },
        { ...person(parentAB, 'guardian'), readAt: expect.any(String) },
      ],
      // By name: the guardians' generated names are "guardian guardian_<hex>".
      unread: [
        person(pupilB, 'student'),
        ...[person(parentA, 'guardian'), person(parentNone, 'guardian')].sort((a, b) => (a.name < b.name ? -1 : 1)),
        person(homeroom, 'teacher'),
        person(teacher, 'teacher'),
      ],
    });

    const trip = (await list(teacher.token)).data.items.find((item: { title: string }) => item.title === 'Museum trip');
    await call(ctx.app, 'POST', `/api/announcements/${trip.id}/read`, { token: parentA.token });
    const tripReads = await call(ctx.app, 'GET', `/api/announcements/${trip.id}/reads`, { token: teacher.token });
    expect(tripReads.data).toMatchObject({ audience: 4, readCount: 2, read: [{ id: teacher.id }, { id: parentA.id }] });
    expect(ids(...tripReads.data.unread)).toEqual(ids(pupilA, parentAB));

    // Seen but not theirs: 403. Not seen: 404. Students and guardians are not let in at all.
    for (const [token, id, status] of [
      [teacher.token, evening.id, 403],
      [homeroom.token, trip.id, 404],
      [pupilA.token, trip.id, 403],
      [parentA.token, trip.id, 403],
    ] as const) {
      const response = await call(ctx.app, 'GET', `/api/announcements/${id}/reads`, { token });
      expect(response.statusCode).toBe(status);
      expectErrorShape(response);
    }
  });
});

describe('pinning', () => {
  it('puts pinned announcements first while the pin lasts, then back in date order', async () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const evening = (await list(admin())).data.items.find((item: { title: string }) => item.title === 'Parents evening');
    const pinned = await call(ctx.app, 'PATCH', `/api/announcements/${evening.id}`, { token: admin(), body: { pinnedUntil: soon } });
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.data).toMatchObject({ pinned: true, pinnedUntil: expect.any(String) });
    expect(Date.parse(pinned.data.pinnedUntil)).toBe(Date.parse(soon));
    await posted(admin(), { title: 'Snow day', body: 'Closed', audience: { all: true }, pinnedUntil: soon });
    expect(await titles(pupilA.token)).toEqual(['Snow day', 'Parents evening', 'Sports day', 'Museum trip']);
    await tenant().updateTable('announcements').set({ pinnedUntil: new Date(Date.now() - 1000) }).where('title', '=', 'Parents evening').execute();
    const after = (await list(pupilA.token)).data.items as { title: string; pinned: boolean }[];
    expect(after.map((item) => [item.title, item.pinned])).toEqual([
      ['Snow day', true],
      ['Sports day', false],
      ['Museum trip', false],
      ['Parents evening', false],
    ]);
    const unpinned = await call(ctx.app, 'PATCH', `/api/announcements/${evening.id}`, { token: admin(), body: { pinnedUntil: null } });
    expect(unpinned.data).toMatchObject({ pinned: false, pinnedUntil: null });
  });
});

describe('changing and deleting', () => {
  it('is for admins and the author while they may post to the audience, logged, with the read marks kept or deleted along', async () => {
    const items = (await list(admin())).data.items as { id: string; title: string }[];
    const trip = items.find((item) => item.title === 'Museum trip')!;
    const staff = items.find((item) => item.title === 'Staff')!;
    const edited = await call(ctx.app, 'PATCH', `/api/announcements/${trip.id}`, { token: teacher.token, body: { title: 'Museum trip (moved)', body: 'Saturday', requireConfirmation: true } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.data).toMatchObject({ title: 'Museum trip (moved)', body: 'Saturday', requireConfirmation: true, audience: { classIds: [classA] }, read: true });
    for (const [token, id, status] of [
      [teacher.token, staff.id, 403],
      [homeroom.token, trip.id, 404],
      [pupilA.token, trip.id, 403],
    ] as const) {
      const patch = await call(ctx.app, 'PATCH', `/api/announcements/${id}`, { token, body: { title: 'x' } });
      expect(patch.statusCode).toBe(status);
      expectErrorShape(patch);
      expect((await call(ctx.app, 'DELETE', `/api/announcements/${id}`, { token })).statusCode).toBe(status);
    }
    // The teacher no longer teaches 5A: their announcement is no longer theirs to change.
    await tenant().deleteFrom('lessons').where('teacherId', '=', teacher.id).execute();
    expect((await call(ctx.app, 'PATCH', `/api/announcements/${trip.id}`, { token: teacher.token, body: { title: 'y' } })).statusCode).toBe(403);

    expect((await call(ctx.app, 'DELETE', `/api/announcements/${trip.id}`, { token: admin() })).data).toEqual({ message: 'Announcement deleted' });
    expect(await tenant().selectFrom('announcements').select('id').where('id', '=', trip.id).execute()).toEqual([]);
    expect(await tenant().selectFrom('announcementReads').select('readerId').where('announcementId', '=', trip.id).execute()).toEqual([]);
    const log = await tenant().selectFrom('activityLogs').select(['action', 'userId']).where('targetId', '=', trip.id).where('action', 'in', ['create', 'update', 'delete']).orderBy('createdAt').execute();
    expect(log).toEqual([
      { action: 'create', userId: teacher.id },
      { action: 'update', userId: teacher.id },
      { action: 'delete', userId: ctx.school.admin.id },
    ]);
    expect((await call(ctx.app, 'GET', `/api/announcements/${trip.id}`, { token: admin() })).statusCode).toBe(404);
  });
});
