import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../../../test/helpers.js';
import { tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import { type DemoLogins, seedDemo } from './seed.js';

describe('npm run seed:demo announcements', () => {
  let t: TestApp;
  let demo: DemoLogins;
  beforeAll(async () => {
    t = await startTestApp();
    demo = await seedDemo(t.app, { adminUsername: 'demo_announcer' });
  }, 240_000);
  afterAll(() => t?.close());

  it('posts a pinned welcome for everyone with some confirmations, and a class trip by its homeroom teacher', async () => {
    const db = tenantDb(t.app.db, tenantSchemaName(demo.institution.id));
    const rows = await db.selectFrom('announcements').select(['id', 'title', 'audience', 'requireConfirmation']).orderBy('createdAt').execute();
    expect(rows.map(({ title, audience, requireConfirmation }) => ({ title, audience, requireConfirmation }))).toEqual([
      { title: 'Welcome to the new term', audience: 'all', requireConfirmation: true },
      { title: '1A: museum trip on Friday', audience: 'classes', requireConfirmation: false },
    ]);
    const login = await call(t.app, 'POST', '/api/auth/login', { body: { username: demo.admin.username, password: demo.password } });
    const reads = await call(t.app, 'GET', `/api/announcements/${rows[0]!.id}/reads`, { token: login.data.token });
    // Everyone: the admin and every account (guardians too, once the seed has them).
    const accounts = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('isActive', '=', true).executeTakeFirstOrThrow();
    expect(reads.data).toMatchObject({ audience: 1 + Number(accounts.n), readCount: 5 });
    const student = await call(t.app, 'POST', '/api/auth/login', { body: { username: 'student001', password: demo.password, institutionCode: demo.institution.code } });
    const seen = await call(t.app, 'GET', '/api/announcements', { token: student.data.token });
    expect(seen.data.items.map((item: { title: string; pinned: boolean; read: boolean }) => [item.title, item.pinned, item.read])).toEqual([
      ['Welcome to the new term', true, true],
      ['1A: museum trip on Friday', false, false],
    ]);
  });
});
