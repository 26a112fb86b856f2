import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../../../test/helpers.js';
import { tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import { demoFamilies } from './guardians.js';
import { type DemoLogins, seedDemo } from './seed.js';

const student = (index: number) => ({ username: `student${String(index + 1).padStart(3, '0')}`, name: `Kid ${index}` });

describe('demo families', () => {
  it('cover every other student once, siblings in different classes, the first family three children in 1A, 3A and 5A', () => {
    const students = Array.from({ length: 200 }, (_, index) => student(index));
    const families = demoFamilies(students, 25);
    const children = families.flat().map((child) => Number(child.username.slice(-3)) - 1);
    expect(children.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, index) => index * 2));
    expect(families.map((family) => family.length)).toEqual([...Array.from({ length: 14 }, () => [3, 1, 2, 1]).flat(), 2]);
    expect(families[0]!.map((child) => child.username)).toEqual(['student001', 'student051', 'student101']);
    for (const family of families) {
      const classes = family.map((child) => Math.floor((Number(child.username.slice(-3)) - 1) / 25));
      expect(new Set(classes).size).toBe(classes.length);
    }
  });
});

describe('npm run seed:demo guardians', () => {
  let t: TestApp;
  let demo: DemoLogins;
  beforeAll(async () => {
    t = await startTestApp();
    demo = await seedDemo(t.app, { adminUsername: 'demo_guardians', students: 50, academic: false });
  }, 120_000);
  afterAll(() => t?.close());

  it('imports a guardian for every other student, and guardian001 signs in to three children', async () => {
    const db = tenantDb(t.app.db, tenantSchemaName(demo.institution.id));
    expect(demo.guardians).toEqual({ usernames: Array.from({ length: 14 }, (_, i) => `guardian${String(i + 1).padStart(3, '0')}`), links: 25 });
    const linked = await db
      .selectFrom('guardianLinks as gl')
      .innerJoin('users as s', 's.id', 'gl.studentId')
      .innerJoin('users as g', 'g.id', 'gl.guardianId')
      .select(['s.username as student', 'g.username as guardian', 'g.role', 'gl.primary'])
      .orderBy('s.username')
      .execute();
    expect(linked.map((row) => row.student)).toEqual(Array.from({ length: 25 }, (_, i) => `student${String(i * 2 + 1).padStart(3, '0')}`));
    expect(linked.every((row) => row.role === 'guardian' && !row.primary)).toBe(true);
    const login = await call(t.app, 'POST', '/api/auth/login', { body: { username: 'guardian001', password: demo.password, institutionCode: demo.institution.code } });
    // Seats 0, 1 and 2 of 50 students in classes of 25: students 1, 27 and 3, listed by name.
    const children = await call(t.app, 'GET', '/api/guardians/me/children', { token: login.data.token });
    expect(children.statusCode, children.body).toBe(200);
    expect((children.data as unknown as { username: string; relationship: string }[]).map(({ username, relationship }) => [username, relationship])).toEqual([
      ['student001', 'mother'],
      ['student003', 'mother'],
      ['student027', 'mother'],
    ]);
  });
});
