import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../../../test/helpers.js';
import { tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import { type DemoLogins, seedDemo } from './seed.js';

describe('npm run seed:demo attendance', () => {
  let t: TestApp;
  let demo: DemoLogins;
  beforeAll(async () => {
    t = await startTestApp();
    demo = await seedDemo(t.app, { adminUsername: 'demo_registrar' });
  }, 240_000);
  afterAll(() => t?.close());

  it("takes last week's registers for every lesson but two, as the API would have left them", async () => {
    const db = tenantDb(t.app.db, tenantSchemaName(demo.institution.id));
    const today = Temporal.Now.plainDateISO('UTC');
    const monday = today.subtract({ days: today.dayOfWeek - 1, weeks: 1 });
    const friday = monday.add({ days: 4 }).toString();
    const lessons = await db.selectFrom('lessons').select(['id', 'teacherId']).execute();
    const registers = await db.selectFrom('attendanceRegisters').select(['id', 'lessonId', 'date', 'takenBy', 'teacherId']).execute();
    expect(registers).toHaveLength(lessons.length - 2);
    expect(registers.every((r) => r.date >= monday.toString() && r.date <= friday && r.takenBy === r.teacherId)).toBe(true);
    // Each register marks exactly the class's students.
    const mismatched = await db
      .selectFrom('attendanceRegisters as r')
      .select('r.id')
      .where((eb) =>
        eb(
          eb.selectFrom('attendanceMarks as m').select((inner) => inner.fn.countAll<number>().as('n')).whereRef('m.registerId', '=', 'r.id'),
          '<>',
          eb.selectFrom('enrollments as e').select((inner) => inner.fn.countAll<number>().as('n')).whereRef('e.classId', '=', 'r.classId'),
        ),
      )
      .execute();
    expect(mismatched).toEqual([]);
    const logged = await db.selectFrom('activityLogs').select((eb) => eb.fn.countAll<number>().as('n')).where('targetType', '=', 'attendance-register').executeTakeFirstOrThrow();
    expect(Number(logged.n)).toBe(registers.length);
    const [absence] = await db.selectFrom('studentAbsences').select(['studentId', 'fromDate', 'reason']).execute();
    expect(absence).toMatchObject({ fromDate: monday.add({ days: 2 }).toString(), reason: 'Medical appointment' });
    const excused = await db.selectFrom('attendanceMarks').select('studentId').distinct().where('status', '=', 'excused').execute();
    expect(excused).toEqual([{ studentId: absence!.studentId }]);

    const admin = (await call(t.app, 'POST', '/api/auth/login', { body: { username: demo.admin.username, password: demo.password } })).data.token;
    const missing = await call(t.app, 'GET', `/api/attendance/missing?date=${friday}`, { token: admin });
    expect(missing.data.lessons.map((lesson: { class: { name: string } }) => lesson.class.name)).toEqual(['1A', '1A']);
    const classes = (await call(t.app, 'GET', '/api/classes?limit=200', { token: admin })).data.items as { id: string; name: string }[];
    const report = await call(t.app, 'GET', `/api/classes/${classes[0]!.id}/attendance?from=${monday.toString()}&to=${friday}`, { token: admin });
    expect(report.data.dates).toHaveLength(5);
    for (const { rate } of report.data.students as { rate: number }[]) expect(rate).toBeGreaterThan(0.5);
  });
});
