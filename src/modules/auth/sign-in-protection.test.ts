import { createSigner } from 'fast-jwt';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { call, createMember, PASSWORD, registerInstitution, testConfig, unique, useSchool } from '../../../test/helpers.js';
import { deviceCookieName } from './device-trust.js';

const MAX_FAILURES = 3;
const ctx = useSchool({ AUTH_RATE_LIMIT_PER_USERNAME: String(MAX_FAILURES) });

const login = (body: Record<string, unknown>, options: { cookie?: string; ip?: string } = {}) =>
  call(ctx.app, 'POST', '/api/auth/login', {
    body,
    remoteAddress: options.ip ?? '10.20.0.1',
    ...(options.cookie ? { headers: { cookie: options.cookie } } : {}),
  });

/** The `name=value` part of the device cookie a sign-in answer set. */
function deviceCookie(response: { headers: Record<string, unknown> }): string {
  const header = String(response.headers['set-cookie'] ?? '');
  return header.split(';')[0]!;
}

async function newAdminSchool() {
  const school = await registerInstitution(ctx.app);
  return { school, credentials: { username: school.admin.username, password: PASSWORD } };
}

describe('admin sign-in with the institution code', () => {
  it("accepts the admin's own code in any letter case, and answers a wrong code like any failure", async () => {
    const { school, credentials } = await newAdminSchool();
    const withCode = await login({ ...credentials, institutionCode: school.code.toLowerCase() });
    expect(withCode.statusCode).toBe(200);
    expect(withCode.data.user).toEqual({ id: school.admin.id, username: school.admin.username, name: 'Ada Admin', email: null, role: 'admin' });
    expect(withCode.data.institution).toEqual({ id: school.id, name: school.name, code: school.code });

    const other = await registerInstitution(ctx.app);
    for (const institutionCode of [other.code, 'ZZZZZZ']) {
      const wrong = await login({ ...credentials, institutionCode });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.data).toEqual({ code: 'INVALID_CREDENTIALS', message: 'Invalid username, password or institution code' });
    }
  });
});

describe('lockout cannot be used to keep the owner out', () => {
  it('locks guessing clients after the limit, while the browser that signed in before still gets in', async () => {
    const { school, credentials } = await newAdminSchool();
    const owner = await login(credentials, { ip: '10.20.1.1' });
    expect(owner.statusCode).toBe(200);
    const cookie = deviceCookie(owner);
    expect(cookie.startsWith(`${deviceCookieName(school.admin.id)}=`)).toBe(true);
    expect(String(owner.headers['set-cookie'])).toMatch(/; Path=\/api\/auth; Max-Age=\d+; HttpOnly; SameSite=Strict$/);

    // An attacker guesses from many addresses until the account is locked for everyone else.
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expect((await login({ ...credentials, password: `guess-${i}` }, { ip: `10.20.2.${i}` })).statusCode).toBe(401);
    }
    const attacker = await login(credentials, { ip: '10.20.3.1' });
    expect(attacker.statusCode).toBe(429);
    expect(attacker.data.code).toBe('RATE_LIMITED');
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);
    // Even a forged cookie or one for another account does not help the attacker.
    const forged = cookie.replace(/.(?=.{4}$)/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await login(credentials, { cookie: forged, ip: '10.20.3.2' })).statusCode).toBe(429);

    // The owner's browser is judged by its own failures.
    const ownerAgain = await login(credentials, { cookie, ip: '10.20.1.2' });
    expect(ownerAgain.statusCode).toBe(200);
    expect(deviceCookie(ownerAgain).split('.')[0]).toBe(cookie.split('.')[0]);
  });

  it('still throttles guessing from a trusted browser, per browser', async () => {
    const { credentials } = await newAdminSchool();
    const cookie = deviceCookie(await login(credentials));
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expect((await login({ ...credentials, password: `guess-${i}` }, { cookie })).statusCode).toBe(401);
    }
    expect((await login(credentials, { cookie })).statusCode).toBe(429);
    // The account itself was not locked by that browser's failures.
    expect((await login(credentials, { ip: '10.20.4.1' })).statusCode).toBe(200);
  });

  it('counts failures per account whatever name form is typed, and per typed name when no account matches', async () => {
    const { school, credentials } = await newAdminSchool();
    await login({ ...credentials, password: 'guess-a' });
    await login({ ...credentials, username: credentials.username.toUpperCase(), password: 'guess-b' });
    await login({ ...credentials, institutionCode: school.code, password: 'guess-c' });
    expect((await login(credentials)).statusCode).toBe(429);

    const nobody = { username: unique('nobody_'), password: 'whatever-it-is' };
    for (let i = 0; i < MAX_FAILURES; i += 1) expect((await login(nobody)).statusCode).toBe(401);
    expect((await login(nobody)).statusCode).toBe(429);
  });
});

describe('password checks outside sign-in', () => {
  it('count wrong current passwords on change-password and delete-account like failed sign-ins', async () => {
    const { school, credentials } = await newAdminSchool();
    const token = (await login(credentials)).data.token as string;
    const change = (currentPassword: string) =>
      call(ctx.app, 'POST', '/api/auth/change-password', { token, body: { currentPassword, newPassword: 'a-brand-new-secret' } });
    const remove = (password: string) => call(ctx.app, 'DELETE', '/api/auth/delete-account', { token, body: { password } });

    expect((await change('wrong-1')).statusCode).toBe(403);
    expect((await remove('wrong-2')).statusCode).toBe(403);
    expect((await change('wrong-3')).statusCode).toBe(403);
    const limited = await remove(PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.data.code).toBe('RATE_LIMITED');
    expect((await change(PASSWORD)).statusCode).toBe(429);
    // Nothing changed: the institution and the password are as they were.
    const institution = await ctx.app.db.selectFrom('registry.institutions').select('id').where('id', '=', school.id).execute();
    expect(institution).toHaveLength(1);
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token })).statusCode).toBe(200);
  });
});

describe('concurrent password changes', () => {
  it('let exactly one of many parallel changes win; its token works and its password is the one in force', async () => {
    const school = await registerInstitution(ctx.app);
    const teacher = await createMember(ctx.app, school, 'teacher');
    const newPasswords = Array.from({ length: 20 }, (_, i) => `new-secret-number-${i}`);
    const answers = await Promise.all(
      newPasswords.map((newPassword) =>
        call(ctx.app, 'POST', '/api/auth/change-password', { token: teacher.token, body: { currentPassword: PASSWORD, newPassword } }),
      ),
    );
    const winners = answers.filter((answer) => answer.statusCode === 200);
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((answer) => answer.statusCode !== 200)) {
      expect([401, 403, 409]).toContain(loser.statusCode);
      expect(loser.data).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    const winner = winners[0]!;
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token: winner.data.token })).statusCode).toBe(200);
    const winningPassword = newPasswords[answers.indexOf(winner)]!;
    const signIn = (password: string) =>
      call(ctx.app, 'POST', '/api/auth/login', { body: { username: teacher.username, password, institutionCode: school.code }, remoteAddress: '10.20.9.9' });
    expect((await signIn(winningPassword)).statusCode).toBe(200);
    const row = await ctx.app.db.withSchema(school.schemaName).selectFrom('users').select('tokenVersion').where('id', '=', teacher.id).executeTakeFirstOrThrow();
    expect(row.tokenVersion).toBe(1);
  });
});

describe('tokens that are not well-formed', () => {
  it('answer 401, whether the subject is not a UUID or the token claims to be issued a year from now', async () => {
    const config = testConfig();
    const sign = createSigner({ key: config.jwt.secret, algorithm: 'HS256', iss: config.jwt.issuer, aud: config.jwt.audience, expiresIn: 60_000 });
    const claims = { sub: ctx.school.admin.id, iid: ctx.school.id, role: 'admin', ver: 0 };
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token: sign(claims) })).statusCode).toBe(200);
    const bad = [
      sign({ ...claims, sub: 'not-a-uuid' }),
      sign({ ...claims, iid: 'not-a-uuid' }),
      sign({ ...claims, iat: Math.floor(Date.now() / 1000) + 365 * 24 * 3600 }),
      sign({ ...claims, sub: randomUUID() }),
    ];
    for (const token of bad) {
      const response = await call(ctx.app, 'GET', '/api/auth/me', { token });
      expect(response.statusCode).toBe(401);
      expect(response.data).toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });
});

describe('deleting an institution while its requests run', () => {
  it('answers those requests 401 or as usual, never 500, and leaves nothing of the institution behind', async () => {
    const school = await registerInstitution(ctx.app);
    const student = await createMember(ctx.app, school, 'student');
    let index = 0;
    // Writes that hash a password (slow) and writes that do not, started all through the deletion,
    // so that some pass authentication before it commits and reach their tables after.
    const write = () => {
      index += 1;
      return index % 2
        ? call(ctx.app, 'POST', '/api/users', {
            token: school.adminToken,
            body: { username: unique(`late_${index}_`), password: PASSWORD, role: 'student', name: `Late ${index}` },
          })
        : call(ctx.app, 'PATCH', `/api/users/${student.id}`, { token: school.adminToken, body: { name: `Renamed ${index}` } });
    };
    const answers = [write(), write(), write(), write()];
    let deleting = true;
    const deletion = call(ctx.app, 'DELETE', '/api/auth/delete-account', { token: school.adminToken, body: { password: PASSWORD } }).finally(
      () => (deleting = false),
    );
    while (deleting) {
      answers.push(write());
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    answers.push(write(), write());
    expect((await deletion).statusCode).toBe(200);
    const statuses = new Set<number>();
    for (const answer of await Promise.all(answers)) {
      statuses.add(answer.statusCode);
      expect([200, 201, 401], answer.body).toContain(answer.statusCode);
      if (answer.statusCode === 401) expect(answer.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
    }
    expect(statuses.has(401)).toBe(true);
    const schemas = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${school.schemaName}`.execute(ctx.app.db);
    expect(schemas.rows[0]!.n).toBe(0);
    const registry = await ctx.app.db.selectFrom('registry.institutions').select('id').where('id', '=', school.id).execute();
    expect(registry).toEqual([]);
    const admins = await ctx.app.db.selectFrom('registry.admins').select('id').where('institutionId', '=', school.id).execute();
    expect(admins).toEqual([]);
  });
});
