import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSigner } from 'fast-jwt';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  call,
  createMember,
  PASSWORD,
  registerInstitution,
  useSchool,
} from '../../../test/helpers.js';
import { institutionFilesDir } from '../../lib/storage/local.js';

const ctx = useSchool();

const login = (body: Record<string, unknown>) => call(ctx.app, 'POST', '/api/auth/login', { body });
const me = (token: string) => call(ctx.app, 'GET', '/api/auth/me', { token });

describe('POST /api/auth/login', () => {
  it('signs an admin in by username alone and records it in both logs', async () => {
    const response = await login({ username: ctx.school.admin.username.toUpperCase(), password: PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({
      token: expect.any(String),
      user: { id: ctx.school.admin.id, username: ctx.school.admin.username, name: 'Ada Admin', email: null, role: 'admin' },
      institution: { id: ctx.school.id, name: ctx.school.name, code: ctx.school.code },
    });
    const master = await ctx.app.db
      .selectFrom('registry.masterActivityLogs')
      .select('action')
      .where('institutionId', '=', ctx.school.id)
      .where('action', '=', 'login')
      .execute();
    expect(master.length).toBeGreaterThan(0);
  });

  it('signs a teacher in with the institution code, in any letter case', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const response = await login({ username: teacher.username, password: PASSWORD, institutionCode: ctx.school.code.toLowerCase() });
    expect(response.statusCode).toBe(200);
    expect(response.data.user).toMatchObject({ id: teacher.id, role: 'teacher' });
    expect(response.data.institution.code).toBe(ctx.school.code);
  });

  it('answers wrong passwords, unknown users and unknown codes identically', async () => {
    const student = await createMember(ctx.app, ctx.school, 'student');
    const attempts = [
      { username: ctx.school.admin.username, password: 'wrong-password' },
      { username: 'nobody_here', password: PASSWORD },
      { username: student.username, password: 'wrong-password', institutionCode: ctx.school.code },
      { username: 'nobody_here', password: PASSWORD, institutionCode: ctx.school.code },
      { username: student.username, password: PASSWORD, institutionCode: 'ZZZZZZ' },
      // A student does not exist without the code: members are found only within their institution.
      { username: student.username, password: PASSWORD },
    ];
    const answers = await Promise.all(attempts.map(login));
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.data).toEqual({ code: 'INVALID_CREDENTIALS', message: 'Invalid username, password or institution code' });
    }
  });

  it('refuses a deactivated account even with the right password', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    await call(ctx.app, 'PATCH', `/api/users/${teacher.id}`, { token: ctx.school.adminToken, body: { isActive: false } });
    const response = await login({ username: teacher.username, password: PASSWORD, institutionCode: ctx.school.code });
    expect(response.statusCode).toBe(403);
    expect(response.data.code).toBe('ACCOUNT_DEACTIVATED');
    expect(response.data.token).toBeUndefined();
  });
});

describe('tokens', () => {
  it('GET /api/auth/me returns the signed-in account and institution', async () => {
    const student = await createMember(ctx.app, ctx.school, 'student');
    const response = await me(student.token);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({
      user: { id: student.id, username: student.username, name: student.name, email: null, role: 'student' },
      institution: { id: ctx.school.id, name: ctx.school.name, code: ctx.school.code },
    });
  });

  it('rejects a missing, malformed, forged, expired, foreign-audience or alg=none token', async () => {
    const { jwt } = ctx.app.config;
    const claims = { sub: ctx.school.admin.id, iid: ctx.school.id, role: 'admin', ver: 0 };
    // Synchronous signers: every option here has a string key or none.
    const signer = createSigner as unknown as (options: Record<string, unknown>) => (payload: object) => string;
    const sign = (options: Record<string, unknown>, payload: object = claims) => signer(options)(payload);
    const forged = sign({ key: 'another-secret-another-secret-another-secret', iss: jwt.issuer, aud: jwt.audience });
    const expired = sign({ key: jwt.secret, iss: jwt.issuer, aud: jwt.audience }, { ...claims, exp: Math.floor(Date.now() / 1000) - 10 });
    const otherAudience = sign({ key: jwt.secret, iss: jwt.issuer, aud: 'another-app', expiresIn: 60_000 });
    const unsigned = sign({ algorithm: 'none', iss: jwt.issuer, aud: jwt.audience, expiresIn: 60_000 });
    const noExpiry = sign({ key: jwt.secret, iss: jwt.issuer, aud: jwt.audience });
    for (const token of ['', 'not.a.token', forged, expired, otherAudience, unsigned, noExpiry]) {
      const response = await me(token);
      expect(response.statusCode).toBe(401);
      expect(response.data.code).toBe('UNAUTHORIZED');
    }
    const valid = sign({ key: jwt.secret, iss: jwt.issuer, aud: jwt.audience, expiresIn: 60_000 });
    expect((await me(valid)).statusCode).toBe(200);
  });

  it('logout ends the token at once', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const logout = await call(ctx.app, 'POST', '/api/auth/logout', { token: teacher.token });
    expect(logout.statusCode).toBe(200);
    expect((await me(teacher.token)).statusCode).toBe(401);
    const logs = await call(ctx.app, 'GET', `/api/activity-logs?userId=${teacher.id}&action=logout`, { token: ctx.school.adminToken });
    expect(logs.data.total).toBe(1);
  });

  it('change-password checks the current password, revokes old tokens and returns a working new one', async () => {
    const student = await createMember(ctx.app, ctx.school, 'student');
    const wrong = await call(ctx.app, 'POST', '/api/auth/change-password', {
      token: student.token,
      body: { currentPassword: 'not-my-password', newPassword: 'brand-new-password' },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await me(student.token)).statusCode).toBe(200);

    const tooShort = await call(ctx.app, 'POST', '/api/auth/change-password', {
      token: student.token,
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(tooShort.statusCode).toBe(400);

    const changed = await call(ctx.app, 'POST', '/api/auth/change-password', {
      token: student.token,
      body: { currentPassword: PASSWORD, newPassword: 'brand-new-password' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await me(student.token)).statusCode).toBe(401);
    expect((await me(changed.data.token)).statusCode).toBe(200);
    const oldLogin = await login({ username: student.username, password: PASSWORD, institutionCode: ctx.school.code });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await login({ username: student.username, password: 'brand-new-password', institutionCode: ctx.school.code });
    expect(newLogin.statusCode).toBe(200);
  });

  it('an admin can change their own password too', async () => {
    const other = await registerInstitution(ctx.app);
    const changed = await call(ctx.app, 'POST', '/api/auth/change-password', {
      token: other.adminToken,
      body: { currentPassword: PASSWORD, newPassword: 'admin-new-password' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await me(other.adminToken)).statusCode).toBe(401);
    expect((await login({ username: other.admin.username, password: 'admin-new-password' })).statusCode).toBe(200);
  });
});

describe('DELETE /api/auth/delete-account', () => {
  it('is for admins only and needs the right password', async () => {
    const other = await registerInstitution(ctx.app);
    const teacher = await createMember(ctx.app, other, 'teacher');
    const byTeacher = await call(ctx.app, 'DELETE', '/api/auth/delete-account', { token: teacher.token, body: { password: PASSWORD } });
    expect(byTeacher.statusCode).toBe(403);
    const wrong = await call(ctx.app, 'DELETE', '/api/auth/delete-account', { token: other.adminToken, body: { password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.data.code).toBe('INVALID_PASSWORD');
    expect((await me(other.adminToken)).statusCode).toBe(200);
  });

  it('removes the schema, the files and the registry row, and every token of the institution stops working', async () => {
    const doomed = await registerInstitution(ctx.app);
    const teacher = await createMember(ctx.app, doomed, 'teacher');
    const student = await createMember(ctx.app, doomed, 'student');
    const filesDir = institutionFilesDir(ctx.app.config.dataDir, doomed.id);
    mkdirSync(path.join(filesDir, 'assignments'), { recursive: true });
    writeFileSync(path.join(filesDir, 'assignments', 'essay.pdf'), 'pdf bytes');

    const response = await call(ctx.app, 'DELETE', '/api/auth/delete-account', { token: doomed.adminToken, body: { password: PASSWORD } });
    expect(response.statusCode).toBe(200);

    for (const token of [doomed.adminToken, teacher.token, student.token]) {
      expect((await me(token)).statusCode).toBe(401);
      expect((await call(ctx.app, 'GET', '/api/users', { token })).statusCode).toBe(401);
    }
    expect(existsSync(filesDir)).toBe(false);
    const schema = await sql`select 1 from pg_namespace where nspname = ${doomed.schemaName}`.execute(ctx.app.db);
    expect(schema.rows).toHaveLength(0);
    const registry = await ctx.app.db.selectFrom('registry.institutions').select('id').where('id', '=', doomed.id).execute();
    expect(registry).toHaveLength(0);
    const admins = await ctx.app.db.selectFrom('registry.admins').select('id').where('institutionId', '=', doomed.id).execute();
    expect(admins).toHaveLength(0);
    const master = await ctx.app.db
      .selectFrom('registry.masterActivityLogs')
      .select(['action', 'username'])
      .where('institutionId', '=', doomed.id)
      .where('action', '=', 'delete')
      .execute();
    expect(master).toEqual([{ action: 'delete', username: doomed.admin.username }]);
    expect((await login({ username: doomed.admin.username, password: PASSWORD })).statusCode).toBe(401);

    // Other institutions are untouched.
    expect((await me(ctx.school.adminToken)).statusCode).toBe(200);
  });
});
