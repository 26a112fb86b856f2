import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  call,
  createMember,
  PASSWORD,
  registerInstitution,
  useSchool,
  unique,
  expectExactShape,
} from '../../../test/helpers.js';
import { ActivityLogFilterValues, ActivityLogList } from './schemas.js';

const ctx = useSchool();

const logs = (query = '', institution = ctx.school) => call(ctx.app, 'GET', `/api/activity-logs${query}`, { token: institution.adminToken });

describe('GET /api/activity-logs', () => {
  it('records each state change once, with who, what, from where and when', async () => {
    const fresh = await registerInstitution(ctx.app);
    const before = Date.now();
    const teacher = await createMember(ctx.app, fresh, 'teacher'); // create + teacher login
    await call(ctx.app, 'PATCH', `/api/users/${teacher.id}`, { token: fresh.adminToken, body: { phone: '555 0100' } });
    await call(ctx.app, 'POST', '/api/auth/change-password', {
      token: teacher.token,
      body: { currentPassword: PASSWORD, newPassword: 'another-password' },
    });
    await call(ctx.app, 'DELETE', `/api/users/${teacher.id}`, { token: fresh.adminToken });

    const response = await logs('?limit=100', fresh);
    expect(response.statusCode).toBe(200);
    const actions = (response.data.items as { action: string; targetType: string }[]).map((e) => `${e.action}:${e.targetType}`);
    // Newest first: the admin's sign-up and first login come last.
    expect(actions).toEqual(['delete:user', 'change_password:teacher', 'update:user', 'login:teacher', 'create:user', 'login:admin', 'create:institution']);
    const created = response.data.items.find((e: { action: string; targetType: string }) => e.action === 'create' && e.targetType === 'user');
    expect(created).toEqual({
      id: expect.any(String),
      userId: fresh.admin.id,
      userRole: 'admin',
      userName: 'Ada Admin',
      action: 'create',
      targetType: 'user',
      targetId: teacher.id,
      targetName: teacher.username,
      details: { role: 'teacher', name: teacher.name },
      ip: '127.0.0.1',
      userAgent: 'lightMyRequest',
      createdAt: expect.any(String),
    });
    expect(new Date(created.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(response.body).not.toContain(PASSWORD);
    expect(response.body).not.toContain('another-password');
  });

  it('does not log failed attempts as changes', async () => {
    const fresh = await registerInstitution(ctx.app);
    const before = (await logs('', fresh)).data.total;
    await call(ctx.app, 'POST', '/api/users', { token: fresh.adminToken, body: { username: 'x', password: 'short', role: 'student', name: 'X' } });
    await call(ctx.app, 'DELETE', '/api/users/00000000-0000-4000-8000-000000000000', { token: fresh.adminToken });
    expect((await logs('', fresh)).data.total).toBe(before);
  });

  it('filters by user, action, target type and time, and pages', async () => {
    const student = await createMember(ctx.app, ctx.school, 'student');
    await call(ctx.app, 'POST', '/api/auth/logout', { token: student.token });

    const byUser = await logs(`?userId=${student.id}`);
    expect(byUser.data.items.map((e: { action: string }) => e.action)).toEqual(['logout', 'login']);
    const logins = await logs('?action=login');
    expect(logins.data.items.every((e: { action: string }) => e.action === 'login')).toBe(true);
    const userTargets = await logs('?targetType=user');
    expect(userTargets.data.items.every((e: { targetType: string }) => e.targetType === 'user')).toBe(true);

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await logs(`?from=${encodeURIComponent(future)}`)).data.total).toBe(0);
    const past = new Date(Date.now() - 60_000).toISOString();
    const all = (await logs()).data.total;
    expect((await logs(`?from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`)).data.total).toBe(all);
    expect((await logs(`?to=${encodeURIComponent(past)}`)).data.total).toBe(0);

    const page = await logs('?limit=2&page=2');
    expect(page.data).toMatchObject({ page: 2, limit: 2, total: all });
    const newestFour = (await logs('?limit=4')).data.items;
    expect(page.data.items).toEqual(newestFour.slice(2, 4));
    expectExactShape(ActivityLogList, (await logs()).data);
    expect((await logs('?from=yesterday')).statusCode).toBe(400);
  });

  it('is for admins only', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const response = await call(ctx.app, 'GET', '/api/activity-logs', { token: teacher.token });
    expect(response.statusCode).toBe(403);
    expect((await call(ctx.app, 'GET', '/api/activity-logs/filters', { token: teacher.token })).statusCode).toBe(403);
  });

  it('lists the actions, target types and acting users the log holds, the admin and deleted users included', async () => {
    const fresh = await registerInstitution(ctx.app);
    const teacher = await createMember(ctx.app, fresh, 'teacher', { name: 'Tess Teacher' });
    const student = await createMember(ctx.app, fresh, 'student', { name: 'Sam Student' });
    await call(ctx.app, 'POST', '/api/auth/logout', { token: student.token });
    await call(ctx.app, 'DELETE', `/api/users/${student.id}`, { token: fresh.adminToken });

    const response = await call(ctx.app, 'GET', '/api/activity-logs/filters', { token: fresh.adminToken });
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({
      actions: ['create', 'delete', 'login', 'logout'],
      // A sign-in's target is the role that signed in.
      targetTypes: ['admin', 'institution', 'student', 'teacher', 'user'],
      users: [
        { id: fresh.admin.id, name: 'Ada Admin', role: 'admin' },
        { id: student.id, name: 'Sam Student', role: 'student' },
        { id: teacher.id, name: 'Tess Teacher', role: 'teacher' },
      ],
    });
    expectExactShape(ActivityLogFilterValues, response.data);
  });

  it('commits no change without its entry: when the log cannot be written, the change is rolled back', async () => {
    const broken = await registerInstitution(ctx.app);
    await sql.raw(`drop table "${broken.schemaName}"."activityLogs"`).execute(ctx.app.db);
    const username = unique('unlogged');
    const response = await call(ctx.app, 'POST', '/api/users', {
      token: broken.adminToken,
      body: { username, password: PASSWORD, role: 'student', name: 'Unlogged' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.data).toEqual({ code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' });
    const users = await ctx.app.db.withSchema(broken.schemaName).selectFrom('users').select('id').where('username', '=', username).execute();
    expect(users).toEqual([]);
  });
});
