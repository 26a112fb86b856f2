import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, testConfig, type TestUser, unique, useSchool } from '../../../test/helpers.js';
import { buildApp } from '../../app.js';
import { seedDemo } from '../demo/seed.js';

const ctx = useSchool();
const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);
const asAdmin = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown) => call(ctx.app, method, url, { token: ctx.school.adminToken, body });
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;

async function subject(name: string) {
  return (await tenant().insertInto('subjects').values({ name: unique(`${name} `) }).returning('id').executeTakeFirstOrThrow()).id;
}
async function room(name: string) {
  return (await tenant().insertInto('rooms').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
}
async function klass(name: string, compactDays = true) {
  const created = await asAdmin('POST', '/api/classes', { name, grade: 7, section: 'A', compactDays });
  expect(created.statusCode).toBe(201);
  return created.data.id as string;
}
async function curriculum(classId: string, rows: Record<string, unknown>[]) {
  const response = await asAdmin('PUT', `/api/classes/${classId}/subjects`, rows);
  expect(response.statusCode, response.body).toBe(200);
  return response.data;
}
const generate = (body: Record<string, unknown>) => asAdmin('POST', '/api/timetables/generate', body);

/** Polls the job until it leaves queued/running, keeping every answer seen. */
async function finish(id: string, token = ctx.school.adminToken, app = ctx.app) {
  const seen: Record<string, any>[] = [];
  for (let i = 0; i < 300; i++) {
    const response = await call(app, 'GET', `/api/timetables/jobs/${id}`, { token });
    expect(response.statusCode).toBe(200);
    seen.push(response.data);
    if (!['queued', 'running'].includes(response.data.status)) return { job: response.data, seen };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('job did not finish');
}

/** A class whose week cannot be compact: its only teacher is never free in period 1. Counting passes; the search cannot. */
async function impossibleClass(teacher: TestUser) {
  const id = await klass(unique('Hard '));
  await asAdmin('PUT', `/api/users/${teacher.id}/availability`, { unavailable: DAYS.map((day) => ({ day, period: 1 })) });
  await curriculum(id, [{ subjectId: await subject('Latin'), teacherId: teacher.id, periodsPerWeek: 5 }]);
  return id;
}

let teachers: TestUser[];
let student: TestUser;
beforeAll(async () => {
  teachers = [];
  for (const name of ['Ana Ortiz', 'Bo Chen', 'Cy Diaz', 'Di Evans', 'Ed Fox']) teachers.push(await createMember(ctx.app, ctx.school, 'teacher', { name }));
  student = await createMember(ctx.app, ctx.school, 'student');
});

describe('teacher availability', () => {
  it('is written by admins, read by staff, and checked against the bell schedule', async () => {
    const teacher = teachers[4]!;
    const body = { unavailable: [{ day: 'friday', period: 8 }, { day: 'monday', period: 1 }, { day: 'friday', period: 8 }], maxPeriodsPerDay: 6, maxGapsPerDay: 1 };
    const put = await asAdmin('PUT', `/api/users/${teacher.id}/availability`, body);
    expect(put.statusCode, put.body).toBe(200);
    const expected = { unavailable: [{ day: 'monday', period: 1 }, { day: 'friday', period: 8 }], maxPeriodsPerDay: 6, maxPeriodsPerWeek: null, maxGapsPerDay: 1 };
    expect(put.data).toEqual(expected);
    expect((await call(ctx.app, 'GET', `/api/users/${teacher.id}/availability`, { token: teachers[0]!.token })).data).toEqual(expected);
    expect((await call(ctx.app, 'GET', `/api/users/${teacher.id}/availability`, { token: student.token })).statusCode).toBe(403);
    expect((await call(ctx.app, 'PUT', `/api/users/${teacher.id}/availability`, { token: teacher.token, body })).statusCode).toBe(403);

    const bad = await asAdmin('PUT', `/api/users/${teacher.id}/availability`, { unavailable: [{ day: 'saturday', period: 1 }, { day: 'monday', period: 9 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.details).toEqual([
      { field: 'unavailable.0.day', message: 'is not a working day (monday, tuesday, wednesday, thursday, friday)' },
      { field: 'unavailable.1.period', message: 'is not a period of the bell schedule (1-8)' },
    ]);
    expect((await asAdmin('PUT', `/api/users/${teacher.id}/availability`, { unavailable: [], maxGapsPerDay: -1 })).statusCode).toBe(400);
    const notTeacher = await asAdmin('PUT', `/api/users/${student.id}/availability`, { unavailable: [] });
    expect({ status: notTeacher.statusCode, code: notTeacher.data.code }).toEqual({ status: 400, code: 'NOT_A_TEACHER' });
    expect((await asAdmin('GET', `/api/users/${ctx.school.admin.id}/availability`)).statusCode).toBe(404);
    expect((await asAdmin('GET', `/api/users/${teacher.id}/availability`)).data).toEqual(expected);
    await asAdmin('PUT', `/api/users/${teacher.id}/availability`, { unavailable: [] });
  });
});

describe('curriculum and class options', () => {
  it('keeps double periods and lessons a day per row, with defaults, and compact days per class', async () => {
    const id = await klass(unique('Opt '), false);
    expect((await asAdmin('GET', `/api/classes/${id}`)).data.compactDays).toBe(false);
    const [a, b, c] = [await subject('A'), await subject('B'), await subject('C')];
    const rows = await curriculum(id, [
      { subjectId: a, teacherId: teachers[0]!.id, periodsPerWeek: 4 },
      { subjectId: b, teacherId: teachers[0]!.id, periodsPerWeek: 6 },
      { subjectId: c, teacherId: teachers[0]!.id, periodsPerWeek: 4, doublePeriods: 2, maxPerDay: 3 },
    ]);
    expect(rows.map((row: any) => [row.periodsPerWeek, row.doublePeriods, row.maxPerDay]).sort()).toEqual([[4, 0, 1], [4, 2, 3], [6, 0, 2]]);
    const refused = await asAdmin('PUT', `/api/classes/${id}/subjects`, [
      { subjectId: a, teacherId: teachers[0]!.id, periodsPerWeek: 3, doublePeriods: 2 },
      { subjectId: b, teacherId: teachers[0]!.id, periodsPerWeek: 3, doublePeriods: 1, maxPerDay: 1 },
    ]);
    expect(refused.data.details).toEqual([
      { field: '0.doublePeriods', message: 'needs 4 periods; the subject has 3 a week' },
      { field: '1.maxPerDay', message: 'must be at least 2 for a subject with double periods' },
    ]);
  });
});

describe('impossible input', () => {
  it('is answered 422 UNSOLVABLE with every reason, before any search', async () => {
    const [t1, t2, t3, ortiz] = [await createMember(ctx.app, ctx.school, 'teacher'), await createMember(ctx.app, ctx.school, 'teacher'), await createMember(ctx.app, ctx.school, 'teacher'), teachers[0]!];
    const full = await klass('7X');
    await curriculum(full, [
      { subjectId: await subject('S1'), teacherId: t1.id, periodsPerWeek: 20, maxPerDay: 4 },
      { subjectId: await subject('S2'), teacherId: t2.id, periodsPerWeek: 20, maxPerDay: 4 },
      { subjectId: await subject('S3'), teacherId: t3.id, periodsPerWeek: 2 },
    ]);
    const busy = DAYS.flatMap((day) => [6, 7].map((period) => ({ day, period }))).concat([{ day: 'monday', period: 8 }, { day: 'friday', period: 8 }]);
    await asAdmin('PUT', `/api/users/${ortiz.id}/availability`, { unavailable: busy, maxPeriodsPerWeek: 30 });
    const [y, z] = [await klass('7Y'), await klass('7Z')];
    await curriculum(y, [{ subjectId: await subject('Y1'), teacherId: ortiz.id, periodsPerWeek: 16, maxPerDay: 4 }]);
    await curriculum(z, [{ subjectId: await subject('Z1'), teacherId: ortiz.id, periodsPerWeek: 15, maxPerDay: 3 }]);
    const lab = await room('Lab 1');
    const labClasses = [await klass('8P'), await klass('8Q'), await klass('8R')];
    for (const [i, id] of labClasses.entries()) {
      const teacher = await createMember(ctx.app, ctx.school, 'teacher');
      await curriculum(id, [{ subjectId: await subject(`L${i}`), teacherId: teacher.id, periodsPerWeek: 15, maxPerDay: 3, roomId: lab }]);
    }
    const daily = await klass('8S');
    await curriculum(daily, [{ subjectId: await subject('Physics'), teacherId: t3.id, periodsPerWeek: 6, maxPerDay: 1 }]);

    const response = await generate({ classIds: [full, y, z, ...labClasses, daily], timeLimitSeconds: 1 });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.data.code).toBe('UNSOLVABLE');
    expect(response.data.reasons).toEqual(
      expect.arrayContaining([
        'Class 7X needs 42 periods a week; its week has 40',
        'Ana Ortiz teaches 31 periods but is available for 28',
        'Ana Ortiz teaches 31 periods a week but may teach at most 30',
        'Room Lab 1 is needed 45 times a week; it has 40 periods',
        expect.stringMatching(/^Physics .* in class 8S needs 6 periods a week but may have at most 1 a day over 5 days$/),
      ]),
    );
    expect(response.data.reasons).toHaveLength(5);
    expect(await tenant().selectFrom('timetableJobs').select('id').execute()).toEqual([]);
    await asAdmin('PUT', `/api/users/${ortiz.id}/availability`, { unavailable: [] });

    const empty = await generate({ classIds: [await klass('Empty')], timeLimitSeconds: 1 });
    expect(empty.data.reasons).toEqual(['The chosen classes have no curriculum: there is nothing to timetable']);
    const unknown = await generate({ classIds: [student.id] });
    expect(unknown.data.details).toEqual([{ field: 'classIds.0', message: 'is not a class of this institution' }]);
  });
});

describe('a generation job', () => {
  let classA: string;
  let classB: string;
  let pinnedId: string;
  let oldId: string;
  let science: string;

  beforeAll(async () => {
    classA = await klass('5A');
    classB = await klass('5B');
    const lab = await room('Science Lab');
    const [maths, english, art] = [await subject('Maths'), await subject('English'), await subject('Art')];
    science = await subject('Science');
    const [t0, t1, t2, t3] = teachers.map((t) => t.id);
    await curriculum(classA, [
      { subjectId: maths, teacherId: t0, periodsPerWeek: 6, doublePeriods: 1 },
      { subjectId: english, teacherId: t1, periodsPerWeek: 5 },
      { subjectId: science, teacherId: t2, periodsPerWeek: 3, roomId: lab },
      { subjectId: art, teacherId: t3, periodsPerWeek: 2 },
    ]);
    await curriculum(classB, [
      { subjectId: maths, teacherId: t0, periodsPerWeek: 5 },
      { subjectId: english, teacherId: t1, periodsPerWeek: 5 },
      { subjectId: science, teacherId: t2, periodsPerWeek: 3, roomId: lab },
    ]);
    await asAdmin('PUT', `/api/users/${t2}/availability`, { unavailable: [{ day: 'monday', period: 1 }, { day: 'monday', period: 2 }] });
    pinnedId = (await tenant().insertInto('lessons').values({ classId: classA, subjectId: art, teacherId: t3!, day: 'monday', period: 1, pinned: true }).returning('id').executeTakeFirstOrThrow()).id;
    oldId = (await tenant().insertInto('lessons').values({ classId: classB, subjectId: maths, teacherId: t0!, day: 'friday', period: 8 }).returning('id').executeTakeFirstOrThrow()).id;
  });

  it('runs queued to succeeded, and its result replaces the unpinned lessons and keeps the pinned one', async () => {
    const started = await generate({ classIds: [classA, classB], timeLimitSeconds: 2, seed: 7 });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.data).toEqual({ job: { id: expect.any(String), status: 'queued' } });
    const { job } = await finish(started.data.job.id, teachers[0]!.token);
    expect(job).toMatchObject({ status: 'succeeded', classIds: [classA, classB], options: { timeLimitSeconds: 2, seed: 7, keepExisting: true }, error: null });
    expect(job.progress).toMatchObject({ total: expect.any(Number), hardViolations: 0 });
    expect(job.result.unplaced).toEqual([]);
    expect(job.result.score.hard).toBe(0);
    expect(job.result.lessons).toHaveLength(16 + 13 - 1);

    const applied = await asAdmin('POST', `/api/timetables/jobs/${job.id}/apply`);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.data).toEqual({ removed: 1, created: 28 });
    const lessons = await tenant().selectFrom('lessons').select(['id', 'classId', 'subjectId', 'teacherId', 'roomId', 'day', 'period', 'pinned']).where('classId', 'in', [classA, classB]).execute();
    expect(lessons).toHaveLength(29);
    expect(lessons.find((l) => l.id === pinnedId)).toMatchObject({ day: 'monday', period: 1, pinned: true });
    expect(lessons.find((l) => l.id === oldId)).toBeUndefined();
    for (const classId of [classA, classB]) {
      for (const day of DAYS) {
        const periods = lessons.filter((l) => l.classId === classId && l.day === day).map((l) => l.period).sort((a, b) => a - b);
        expect(periods, `${classId} ${day} is compact`).toEqual(periods.map((_, i) => i + 1));
      }
    }
    expect(lessons.filter((l) => l.teacherId === teachers[2]!.id && l.day === 'monday' && l.period <= 2)).toEqual([]);
    expect(lessons.filter((l) => l.subjectId === science).every((l) => l.roomId !== null)).toBe(true);
    const log = await tenant().selectFrom('activityLogs').select(['action', 'details']).where('targetType', '=', 'timetableJob').where('action', '=', 'apply').executeTakeFirstOrThrow();
    expect(log.details).toMatchObject({ removed: 1, created: 28, unplaced: 0 });
    const again = await asAdmin('POST', `/api/timetables/jobs/${job.id}/apply`);
    expect(again.data.code).toBe('STALE');
  });

  it('is STALE to apply once a curriculum changed after it started', async () => {
    const started = await generate({ classIds: [classA], timeLimitSeconds: 1 });
    const { job } = await finish(started.data.job.id);
    expect(job.status).toBe('succeeded');
    const rows = (await asAdmin('GET', `/api/classes/${classB}/subjects`)).data.map((row: any) => ({
      subjectId: row.subject.id,
      teacherId: row.teacher.id,
      periodsPerWeek: row.periodsPerWeek === 5 ? 4 : row.periodsPerWeek,
      ...(row.room ? { roomId: row.room.id } : {}),
    }));
    await curriculum(classB, rows);
    const before = await tenant().selectFrom('lessons').select('id').execute();
    const stale = await asAdmin('POST', `/api/timetables/jobs/${job.id}/apply`);
    expect({ status: stale.statusCode, code: stale.data.code }).toEqual({ status: 409, code: 'STALE' });
    expect(await tenant().selectFrom('lessons').select('id').execute()).toEqual(before);
  });

  it('reports progress while it runs, keeps the best timetable at the time limit, and never blocks the event loop', async () => {
    const hard = await impossibleClass(teachers[3]!);
    let maxDrift = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxDrift = Math.max(maxDrift, now - last - 10);
      last = now;
    }, 10);
    const started = await generate({ classIds: [hard], timeLimitSeconds: 2 });
    expect(started.statusCode, started.body).toBe(202);
    const health: number[] = [];
    const { job, seen } = await finish(started.data.job.id);
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await call(ctx.app, 'GET', '/api/health');
      health.push(performance.now() - t0);
    }
    clearInterval(ticker);
    const running = seen.filter((s) => s.status === 'running');
    expect(running.length).toBeGreaterThan(5);
    const elapsed = [...new Set(running.map((s) => s.progress.elapsedMs))];
    expect(elapsed.length, 'progress written at least once a second').toBeGreaterThanOrEqual(2);
    // Its 5 lessons, and the lessons of other classes its teacher already gives.
    expect(running.at(-1)!.progress.total).toBeGreaterThanOrEqual(5);
    expect(maxDrift, 'timer drift while solving').toBeLessThan(200);
    expect(Math.max(...health)).toBeLessThan(200);
    expect(job.status).toBe('succeeded');
    expect(job.result.unplaced).toEqual([expect.objectContaining({ teacherId: teachers[3]!.id, count: expect.any(Number), reason: expect.stringContaining('No period was found') })]);
    expect(job.result.score.hard).toBe(0);
    await asAdmin('PUT', `/api/users/${teachers[3]!.id}/availability`, { unavailable: [] });
    await tenant().deleteFrom('classes').where('id', '=', hard).execute();
  });

  it('runs one at a time per institution, and is cancelled on request', async () => {
    const hard = await impossibleClass(teachers[4]!);
    const started = await generate({ classIds: [hard], timeLimitSeconds: 60 });
    expect(started.statusCode).toBe(202);
    const second = await generate({ classIds: [classA], timeLimitSeconds: 1 });
    expect({ status: second.statusCode, code: second.data.code, job: second.data.job }).toEqual({ status: 409, code: 'JOB_RUNNING', job: { id: started.data.job.id } });
    expect((await call(ctx.app, 'DELETE', `/api/timetables/jobs/${started.data.job.id}`, { token: teachers[0]!.token })).statusCode).toBe(403);
    const cancelled = await asAdmin('DELETE', `/api/timetables/jobs/${started.data.job.id}`);
    expect(cancelled.data).toEqual({ job: { id: started.data.job.id, status: 'cancelled' } });
    const { job } = await finish(started.data.job.id);
    expect(job.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await asAdmin('GET', `/api/timetables/jobs/${job.id}`)).data).toEqual(job);
    expect((await asAdmin('DELETE', `/api/timetables/jobs/${job.id}`)).data.code).toBe('JOB_FINISHED');
    expect((await asAdmin('POST', `/api/timetables/jobs/${job.id}/apply`)).data.code).toBe('JOB_NOT_SUCCEEDED');
    await asAdmin('PUT', `/api/users/${teachers[4]!.id}/availability`, { unavailable: [] });
    await tenant().deleteFrom('classes').where('id', '=', hard).execute();
  });

  it('left queued or running by a stopped server is failed at the next start-up', async () => {
    const insert = (heartbeat: string) =>
      tenant()
        .insertInto('timetableJobs')
        .values({ status: 'running', classIds: [classA], options: JSON.stringify({ timeLimitSeconds: 30, seed: 1, keepExisting: true }), inputHash: 'x', instanceId: 'gone', heartbeatAt: sql`now() - ${sql.raw(heartbeat)}` as never })
        .returning('id')
        .executeTakeFirstOrThrow();
    const lost = await insert("interval '1 minute'");
    const restarted = await buildApp({ config: testConfig(), database: ctx.test.database });
    await restarted.ready();
    await restarted.close();
    const row = await tenant().selectFrom('timetableJobs').select(['status', 'error', 'finishedAt']).where('id', '=', lost.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', error: 'interrupted by a server restart', finishedAt: expect.any(String) });
    // Another instance's job, still beating, is left alone.
    const alive = await insert("interval '1 second'");
    const other = await buildApp({ config: testConfig(), database: ctx.test.database });
    await other.ready();
    await other.close();
    expect((await tenant().selectFrom('timetableJobs').select('status').where('id', '=', alive.id).executeTakeFirstOrThrow()).status).toBe('running');
    await tenant().updateTable('timetableJobs').set({ status: 'failed' }).where('id', '=', alive.id).execute();
  });
});

describe('the demo school', () => {
  // 8 compact classes, 248 lessons, three teachers at 32 of their 40 periods. npm run
  // bench:timetable times it through the API.
  it('is solved through the API with every lesson placed, stopping before its time limit, and applies with compact days and no clash', async () => {
    const demo = await seedDemo(ctx.app, { academic: true, adminUsername: unique('demo_'), institutionName: unique('Demo ') });
    const token = (await call(ctx.app, 'POST', '/api/auth/login', { body: { username: demo.admin.username, password: demo.password } })).data.token as string;
    const started = await call(ctx.app, 'POST', '/api/timetables/generate', { token, body: { timeLimitSeconds: 30 } });
    expect(started.statusCode, started.body).toBe(202);
    const { job } = await finish(started.data.job.id, token);
    expect(job.status).toBe('succeeded');
    expect(job.result.unplaced).toEqual([]);
    expect(job.result.score.hard).toBe(0);
    expect(job.result.lessons).toHaveLength(demo.academic!.lessons);
    expect(job.progress).toMatchObject({ placed: demo.academic!.lessons, total: demo.academic!.lessons, hardViolations: 0 });
    // Ended by the solver's own stopping rule (nothing left to gain), not by the 30 s limit.
    expect(job.progress.elapsedMs).toBeLessThan(30_000);

    const applied = await call(ctx.app, 'POST', `/api/timetables/jobs/${job.id}/apply`, { token });
    expect(applied.data).toEqual({ removed: demo.academic!.lessons, created: demo.academic!.lessons });
    const schema = `tenant_${demo.institution.id.replaceAll('-', '')}`;
    for (const who of ['teacherId', 'classId', 'roomId'] as const) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'lessons')} where ${sql.ref(who)} is not null group by ${sql.ref(who)}, day, period having count(*) > 1`.execute(ctx.app.db);
      expect(rows, who).toEqual([]);
    }
    const { rows: days } = await sql<{ periods: number[] }>`select array_agg(period order by period) as periods from ${sql.id(schema, 'lessons')} group by "classId", day`.execute(ctx.app.db);
    expect(days).toHaveLength(8 * 5);
    for (const { periods } of days) expect(periods).toEqual(periods.map((_, i) => i + 1));
  });
});
