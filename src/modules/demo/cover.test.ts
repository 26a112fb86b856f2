import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../../../test/helpers.js';
import { tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import { type DemoLogins, seedDemo } from './seed.js';

describe('npm run seed:demo cover', () => {
  let t: TestApp;
  let demo: DemoLogins;
  beforeAll(async () => {
    t = await startTestApp();
    demo = await seedDemo(t.app, { adminUsername: 'demo_cover' });
  }, 240_000);
  afterAll(() => t?.close());

  it('records teacher01 away next Monday, with the first lesson covered and the cover teacher told', async () => {
    const db = tenantDb(t.app.db, tenantSchemaName(demo.institution.id));
    const absences = await db.selectFrom('teacherAbsences as a').innerJoin('users as u', 'u.id', 'a.teacherId').select(['a.id', 'u.username', 'a.from', 'a.to']).execute();
    expect(absences).toHaveLength(1);
    expect(absences[0]).toMatchObject({ username: 'teacher01' });
    expect(new Date(`${absences[0]!.from}T00:00:00Z`).getUTCDay()).toBe(1);
    const covers = await db.selectFrom('covers').select(['coverTeacherId', 'lessonId', 'date']).execute();
    expect(covers).toHaveLength(1);
    expect(covers[0]!.date).toBe(absences[0]!.from);
    const notice = await db.selectFrom('messages').select('body').where('receiverId', '=', covers[0]!.coverTeacherId).where('body', 'like', 'Cover:%').execute();
    expect(notice).toHaveLength(1);
    const admin = await call(t.app, 'POST', '/api/auth/login', { body: { username: demo.admin.username, password: demo.password } });
    const absence = await call(t.app, 'GET', `/api/teacher-absences/${absences[0]!.id}`, { token: admin.data.token });
    expect(absence.data.lessons[0].coverStatus).toBe('covered');
    expect(absence.data.lessons.length).toBeGreaterThan(1);
  });
});
