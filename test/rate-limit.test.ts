import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { deleteEndedAttemptCounters } from '../src/db/attempt-counters.js';
import { call, createMember, PASSWORD, registerInstitution, startTestApp, type TestApp, testConfig } from './helpers.js';

let t: TestApp | undefined;
let second: FastifyInstance | undefined;
afterEach(async () => {
  await second?.close();
  await t?.close();
  t = undefined;
  second = undefined;
});

const login = (app: TestApp['app'], body: Record<string, unknown>, remoteAddress = '10.0.0.1') =>
  call(app, 'POST', '/api/auth/login', { body, remoteAddress });

describe('rate limits', () => {
  it('locks one account after repeated failed sign-ins from any IP, with Retry-After, and spares other accounts', async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_PER_USERNAME: '3' });
    const school = await registerInstitution(t.app);
    const teacher = await createMember(t.app, school, 'teacher');
    const victim = { username: teacher.username, institutionCode: school.code };

    // Successful sign-ins do not count: a teacher on several devices is never locked out.
    for (let i = 0; i < 5; i += 1) expect((await login(t.app, { ...victim, password: PASSWORD })).statusCode).toBe(200);
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      expect((await login(t.app, { ...victim, password: 'guess' }, ip)).statusCode).toBe(401);
    }
    const locked = await login(t.app, { ...victim, password: PASSWORD }, '10.9.9.9');
    expect(locked.statusCode).toBe(429);
    expect(locked.data.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);

    expect((await login(t.app, { username: school.admin.username, password: PASSWORD })).statusCode).toBe(200);
  });

  it('limits sign-in and sign-up attempts per IP', async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_PER_IP: '4' });
    for (let i = 0; i < 4; i += 1) {
      expect((await login(t.app, { username: `someone${i}`, password: PASSWORD })).statusCode).toBe(401);
    }
    const blocked = await login(t.app, { username: 'someone-else', password: PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await login(t.app, { username: 'someone-else', password: PASSWORD }, '10.0.0.99')).statusCode).toBe(401);

    const setup = (ip: string) =>
      call(t!.app, 'POST', '/api/setup/admin', { body: { username: 'x', password: 'short', name: 'X', institutionName: 'X' }, remoteAddress: ip });
    for (let i = 0; i < 4; i += 1) expect((await setup('10.1.1.1')).statusCode).toBe(400);
    expect((await setup('10.1.1.1')).statusCode).toBe(429);
  });

  it('limits the whole API per IP', async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '5' });
    for (let i = 0; i < 5; i += 1) {
      expect((await call(t.app, 'GET', '/api/health', { remoteAddress: '10.2.2.2' })).statusCode).toBe(200);
    }
    const blocked = await call(t.app, 'GET', '/api/health', { remoteAddress: '10.2.2.2' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.data).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('Too many requests') });
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await call(t.app, 'GET', '/api/health', { remoteAddress: '10.3.3.3' })).statusCode).toBe(200);
  });

  it('shares sign-in counts between API instances on one database', async () => {
    const limits = { AUTH_RATE_LIMIT_PER_USERNAME: '2', AUTH_RATE_LIMIT_PER_IP: '6' };
    t = await startTestApp(limits);
    second = await buildApp({ config: testConfig(limits), database: t.database });
    const school = await registerInstitution(t.app);
    const teacher = await createMember(t.app, school, 'teacher');
    const victim = { username: teacher.username, institutionCode: school.code };

    // One failed guess on each instance locks the account on both.
    expect((await login(t.app, { ...victim, password: 'guess' }, '10.4.0.1')).statusCode).toBe(401);
    expect((await login(second, { ...victim, password: 'guess' }, '10.4.0.2')).statusCode).toBe(401);
    for (const app of [t.app, second]) {
      expect((await login(app, { ...victim, password: PASSWORD }, '10.4.0.3')).statusCode).toBe(429);
    }

    // Attempts from one IP count together too, whichever instance answers.
    // (A different unknown username each time, so no account lockout interferes.)
    const instances = [t.app, second, t.app, second, t.app, second];
    for (const [index, app] of instances.entries()) {
      expect((await login(app, { username: `nobody${index}`, password: PASSWORD }, '10.5.0.1')).statusCode).toBe(401);
    }
    expect((await login(t.app, { username: 'nobody-a', password: PASSWORD }, '10.5.0.1')).statusCode).toBe(429);
    expect((await login(second, { username: 'nobody-b', password: PASSWORD }, '10.5.0.1')).statusCode).toBe(429);
  });

  it('starts a new window once the old one has ended', async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_PER_USERNAME: '1', AUTH_RATE_LIMIT_WINDOW_MS: '1000' });
    const body = { username: 'nobody-at-all', password: 'guess' };
    expect((await login(t.app, body)).statusCode).toBe(401);
    const locked = await login(t.app, body);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Ended counters are swept away; a new attempt would have started afresh anyway.
    await deleteEndedAttemptCounters(t.app.db);
    expect(await t.app.db.selectFrom('registry.attemptCounters').select('key').execute()).toEqual([]);
    expect((await login(t.app, body)).statusCode).toBe(401);
  });
});
