import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectExactShape, registerInstitution, testConfig, type TestInstitution } from '../../../test/helpers.js';
import { silently, settle } from '../../../test/quiet-changes.js';
import { buildApp } from '../../app.js';
import { tenantDb } from '../../db/tenant-schema.js';
import * as queries from './queries.js';
import { MyAssignments } from './schemas.js';
import { type AssignmentSchool, assignmentSchool, fromNow, HOUR, instant, useAssignmentSchool } from './test-school.js';

/**
 * Two API instances on one database, as behind a load balancer: changes go through `first`, and
 * `second` answers GET /api/assignments/my-assignments from its cache until the database's
 * notifications evict what they changed.
 */
const { ctx } = useAssignmentSchool();
let second: FastifyInstance;
beforeAll(async () => {
  second = await buildApp({ config: testConfig({ FILE_SWEEP_INTERVAL_MS: '0' }), database: ctx.test.database });
  await second.ready();
});
afterAll(() => second.close());

const MY = '/api/assignments/my-assignments';
type Row = Record<string, any>;

/** A school of its own per test, so no other test's notifications evict its answers. */
async function freshSchool(): Promise<{ school: TestInstitution; s: AssignmentSchool }> {
  const school = await registerInstitution(ctx.app);
  return { school, s: await assignmentSchool(ctx.app, school) };
}

/** Writes through the first instance. */
function first(token: string) {
  return {
    post: (url: string, body?: unknown) => call(ctx.app, 'POST', url, { token, body }),
    patch: (url: string, body: unknown) => call(ctx.app, 'PATCH', url, { token, body }),
    delete: (url: string) => call(ctx.app, 'DELETE', url, { token }),
  };
}

async function mine(app: FastifyInstance, token: string): Promise<Row[]> {
  const response = await call(app, 'GET', MY, { token });
  expect(response.statusCode, response.body).toBe(200);
  expectExactShape(MyAssignments, response.data);
  return response.data as unknown as Row[];
}

/** The answer as the database gives it now, uncached. */
async function truth(school: TestInstitution, user: { id: string; role: 'teacher' | 'student' }): Promise<Row[]> {
  const db = tenantDb(ctx.app.db, school.schemaName);
  const answer =
    user.role === 'student' ? await queries.studentAssignmentsJson(db, { studentId: user.id }) : await queries.teacherAssignmentsJson(db, { teacherId: user.id });
  return JSON.parse(answer.items) as Row[];
}

/** Reads `second` until it answers `expected` (notifications arrive on their own time), then returns it. */
async function eventually(token: string, expected: unknown): Promise<Row[]> {
  let last: Row[] = [];
  for (let attempt = 0; attempt < 150; attempt++) {
    last = await mine(second, token);
    try {
      expect(last).toEqual(expected);
      return last;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  expect(last).toEqual(expected);
  return last;
}

const counts = (students: number, rest: Partial<Record<'submitted' | 'graded' | 'late' | 'missing', number>> = {}) => ({
  students,
  submitted: 0,
  graded: 0,
  late: 0,
  missing: 0,
  ...rest,
});

describe('my assignments, cached across instances', () => {
  it('serves an answer from memory: a change the database keeps quiet about is not seen', async () => {
    const { school, s } = await freshSchool();
    const dueAt = fromNow(HOUR);
    const created = (await first(s.teacher.token).post('/api/assignments', { title: 'Essay', subjectId: s.subject.id, classIds: [s.classA.id], dueAt, maxPoints: 20 })).data;
    const expected = [
      {
        id: created.id,
        title: 'Essay',
        subject: s.subject,
        teacher: { id: s.teacher.id, name: s.teacher.name },
        dueAt: instant(dueAt),
        maxPoints: 20,
        allowLate: false,
        status: 'pending',
        late: false,
        submissionId: null,
        submittedAt: null,
        points: null,
        feedback: null,
        gradedAt: null,
      },
    ];
    await eventually(s.ana.token, expected);
    const teacherExpected = [
      { id: created.id, title: 'Essay', subject: s.subject, classes: [s.classA], dueAt: instant(dueAt), maxPoints: 20, allowLate: false, counts: counts(2) },
    ];
    await eventually(s.teacher.token, teacherExpected);
    await settle();
    const before = await eventually(s.ana.token, expected);
    const teacherBefore = await eventually(s.teacher.token, teacherExpected);
    await silently(ctx.app.db, school.schemaName, (db) => db.updateTable('assignments').set({ title: 'Quiet' }).where('id', '=', created.id).execute());
    expect(await mine(second, s.ana.token)).toEqual(before);
    expect(await mine(second, s.teacher.token)).toEqual(teacherBefore);
    // The instance that made no write and heard nothing still answers from memory; the database says otherwise.
    expect((await truth(school, s.ana))[0]!.title).toBe('Quiet');
  });

  it('shows each kind of change made through the other instance: set, hand in, grade, hand back, change, delete', async () => {
    const { school, s } = await freshSchool();
    await mine(second, s.ana.token);
    await mine(second, s.teacher.token);
    const created = (await first(s.teacher.token).post('/api/assignments', { title: 'Lab', classIds: [s.classA.id], dueAt: fromNow(HOUR), allowLate: true })).data;
    const ana = await eventually(s.ana.token, await truth(school, s.ana));
    expect(ana.map((row) => [row.id, row.status])).toEqual([[created.id, 'pending']]);
    await eventually(s.teacher.token, await truth(school, s.teacher));

    const handedIn = (await first(s.ana.token).post(`/api/assignments/${created.id}/submissions`, { text: 'done' })).data;
    expect((await eventually(s.ana.token, await truth(school, s.ana)))[0]).toMatchObject({ status: 'submitted', submissionId: handedIn.id, submittedAt: handedIn.submittedAt });
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]!.counts).toEqual(counts(2, { submitted: 1 }));

    await first(s.teacher.token).post(`/api/submissions/${handedIn.id}/grade`, { points: 70, feedback: 'Good', version: 1 });
    expect((await eventually(s.ana.token, await truth(school, s.ana)))[0]).toMatchObject({ status: 'graded', points: 70, feedback: 'Good' });
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]!.counts).toEqual(counts(2, { submitted: 1, graded: 1 }));

    await first(s.teacher.token).post(`/api/submissions/${handedIn.id}/reassign`, { feedback: 'Redo' });
    expect((await eventually(s.ana.token, await truth(school, s.ana)))[0]).toMatchObject({ status: 'reassigned', points: null, feedback: 'Redo' });
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]!.counts).toEqual(counts(2));

    const dueAt = fromNow(2 * HOUR);
    await first(s.teacher.token).patch(`/api/assignments/${created.id}`, { title: 'Lab report', dueAt, maxPoints: 50, subjectId: s.subject.id });
    const changed = { title: 'Lab report', dueAt: instant(dueAt), maxPoints: 50, subject: s.subject };
    expect((await eventually(s.ana.token, await truth(school, s.ana)))[0]).toMatchObject(changed);
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]).toMatchObject(changed);

    // A class added: its students see the assignment, its teacher's counts grow.
    await mine(second, s.cleo.token);
    await call(ctx.app, 'PATCH', `/api/assignments/${created.id}`, { token: school.adminToken, body: { classIds: [s.classA.id, s.classB.id] } });
    expect((await eventually(s.cleo.token, await truth(school, s.cleo))).map((row) => row.id)).toEqual([created.id]);
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]).toMatchObject({ classes: [s.classA, s.classB].sort((a, b) => a.name.localeCompare(b.name)), counts: counts(3) });

    await first(s.teacher.token).delete(`/api/assignments/${created.id}`);
    for (const user of [s.ana, s.cleo, s.teacher]) await eventually(user.token, []);
  });

  it('shows enrollments and renames of teachers, subjects and classes', async () => {
    const { school, s } = await freshSchool();
    const dueAt = fromNow(HOUR);
    const created = (await first(s.teacher.token).post('/api/assignments', { title: 'Map', subjectId: s.subject.id, classIds: [s.classA.id], dueAt })).data;
    await eventually(s.cleo.token, []);
    await eventually(s.teacher.token, await truth(school, s.teacher));
    const admin = first(school.adminToken);

    // Cleo moves into class A: she sees its work, and its teacher counts her.
    await admin.post(`/api/classes/${s.classA.id}/students`, { studentIds: [s.cleo.id], move: true });
    expect((await eventually(s.cleo.token, await truth(school, s.cleo))).map((row) => [row.id, row.status])).toEqual([[created.id, 'pending']]);
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]!.counts).toEqual(counts(3));

    await admin.patch(`/api/users/${s.teacher.id}`, { name: 'Renamed Teacher' });
    expect((await eventually(s.ana.token, await truth(school, s.ana)))[0]!.teacher).toEqual({ id: s.teacher.id, name: 'Renamed Teacher' });

    await admin.patch(`/api/subjects/${s.subject.id}`, { name: 'Geography' });
    expect((await eventually(s.ana.token, await truth(school, s.ana)))[0]!.subject).toEqual({ id: s.subject.id, name: 'Geography' });
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]!.subject).toEqual({ id: s.subject.id, name: 'Geography' });

    await admin.patch(`/api/classes/${s.classA.id}`, { name: 'Class Alpha' });
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]!.classes).toEqual([{ id: s.classA.id, name: 'Class Alpha' }]);

    // Ben leaves class A: his list empties, the teacher counts one fewer.
    await tenantDb(ctx.app.db, school.schemaName).deleteFrom('enrollments').where('studentId', '=', s.ben.id).execute();
    await eventually(s.ben.token, []);
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]!.counts).toEqual(counts(2));
  });

  it("evicts only the answers a hand-in changes: the student's and the teacher's, not a classmate's", async () => {
    const { school, s } = await freshSchool();
    const created = (await first(s.teacher.token).post('/api/assignments', { title: 'Poem', classIds: [s.classA.id], dueAt: fromNow(HOUR) })).data;
    await eventually(s.ana.token, await truth(school, s.ana));
    await eventually(s.ben.token, await truth(school, s.ben));
    await eventually(s.teacher.token, await truth(school, s.teacher));
    await settle();
    for (const user of [s.ana, s.ben, s.teacher]) await mine(second, user.token);
    // A quiet change every answer would show, were it read again.
    await silently(ctx.app.db, school.schemaName, (db) => db.updateTable('assignments').set({ maxPoints: 99 }).where('id', '=', created.id).execute());
    const anaBefore = await mine(second, s.ana.token);
    expect(anaBefore[0]!.maxPoints).toBe(100);

    await first(s.ben.token).post(`/api/assignments/${created.id}/submissions`, { text: 'roses' });
    expect((await eventually(s.ben.token, await truth(school, s.ben)))[0]).toMatchObject({ status: 'submitted', maxPoints: 99 });
    expect((await eventually(s.teacher.token, await truth(school, s.teacher)))[0]).toMatchObject({ maxPoints: 99, counts: counts(2, { submitted: 1 }) });
    expect(await mine(second, s.ana.token)).toEqual(anaBefore);
  });

  it('turns pending into missing when the due date passes, with no write in between', async () => {
    const { school, s } = await freshSchool();
    const later = (await first(s.teacher.token).post('/api/assignments', { title: 'Later', classIds: [s.classA.id], dueAt: fromNow(HOUR) })).data;
    const dueAt = fromNow(3000);
    const soon = (await first(s.teacher.token).post('/api/assignments', { title: 'Soon', classIds: [s.classA.id], dueAt })).data;
    const before = await eventually(s.ana.token, await truth(school, s.ana));
    expect(before.map((row) => [row.id, row.status])).toEqual([[soon.id, 'pending'], [later.id, 'pending']]);
    expect((await eventually(s.teacher.token, await truth(school, s.teacher))).map((row) => row.counts)).toEqual([counts(2), counts(2)]);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(dueAt) - Date.now() + 50));
    expect(await mine(second, s.ana.token)).toEqual([{ ...before[0], status: 'missing' }, before[1]]);
    expect((await mine(second, s.teacher.token)).map((row) => row.counts)).toEqual([counts(2, { missing: 2 }), counts(2)]);
  });
});
