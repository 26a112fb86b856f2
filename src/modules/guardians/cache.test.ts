import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, expectExactShape, registerInstitution, testConfig, type TestInstitution, type TestUser, useSchool } from '../../../test/helpers.js';
import { settle, silently } from '../../../test/quiet-changes.js';
import { buildApp } from '../../app.js';
import { tenantDb } from '../../db/tenant-schema.js';
import { childrenJson } from './queries.js';
import { ChildList } from './schemas.js';

/**
 * Two API instances on one database, as behind a load balancer: changes go through the first
 * (`ctx.app`), and `second` answers GET /api/guardians/me/children from its cache until the
 * database's notifications (migration 0017) evict what they changed.
 */
const ctx = useSchool();
let second: FastifyInstance;
beforeAll(async () => {
  second = await buildApp({ config: testConfig({ FILE_SWEEP_INTERVAL_MS: '0' }), database: ctx.test.database });
  await second.ready();
});
afterAll(() => second.close());

const CHILDREN = '/api/guardians/me/children';
type Row = Record<string, any>;

interface Family {
  school: TestInstitution;
  parent: TestUser;
  kid: TestUser;
  teacher: TestUser;
  classId: string;
}

/** A school of its own per test (no other test's notifications evict its answers): a guardian of one child in a class. */
async function family(): Promise<Family> {
  const school = await registerInstitution(ctx.app);
  const admin = (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => write(school, method, url, body);
  const teacher = await createMember(ctx.app, school, 'teacher', { name: 'Tia Teacher' });
  const kid = await createMember(ctx.app, school, 'student', { name: 'Kai Kid' });
  const parent = await createMember(ctx.app, school, 'guardian', { name: 'Pam Parent' });
  const classId = (await admin('POST', '/api/classes', { name: '4B', grade: 4, section: 'B', homeroomTeacherId: teacher.id })).id as string;
  await admin('POST', `/api/classes/${classId}/students`, { studentIds: [kid.id] });
  await admin('POST', `/api/students/${kid.id}/guardians`, { guardianId: parent.id, relationship: 'father' });
  return { school, parent, kid, teacher, classId };
}

/** A change through the first instance, as the school's admin. */
async function write(school: TestInstitution, method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<Row> {
  const response = await call(ctx.app, method, url, { token: school.adminToken, body });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.data;
}

async function children(app: FastifyInstance, token: string): Promise<Row[]> {
  const response = await call(app, 'GET', CHILDREN, { token });
  expect(response.statusCode, response.body).toBe(200);
  expectExactShape(ChildList, response.data);
  return response.data as unknown as Row[];
}

/** The answer as the database gives it now, uncached. */
async function truth(f: Family): Promise<Row[]> {
  return JSON.parse((await childrenJson(tenantDb(ctx.app.db, f.school.schemaName), f.parent.id)).json) as Row[];
}

/** Reads `second` until it answers what the database says (notifications arrive on their own time). */
async function eventually(f: Family): Promise<Row[]> {
  const expected = await truth(f);
  let last: Row[] = [];
  for (let attempt = 0; attempt < 150; attempt++) {
    last = await children(second, f.parent.token);
    if (JSON.stringify(last) === JSON.stringify(expected)) return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(last).toEqual(expected);
  return last;
}

describe("a guardian's children, cached across instances", () => {
  it('serves the answer from memory: a change the database keeps quiet about is not seen', async () => {
    const f = await family();
    const expected = [
      {
        id: f.kid.id,
        name: 'Kai Kid',
        username: f.kid.username,
        dateOfBirth: null,
        relationship: 'father',
        primary: false,
        class: { id: f.classId, name: '4B', grade: 4, section: 'B' },
        homeroomTeacher: { id: f.teacher.id, name: 'Tia Teacher' },
      },
    ];
    expect(await eventually(f)).toEqual(expected);
    await settle();
    expect(await children(second, f.parent.token)).toEqual(expected);
    await silently(ctx.app.db, f.school.schemaName, (db) => db.updateTable('users').set({ name: 'Quiet Kid' }).where('id', '=', f.kid.id).execute());
    expect(await children(second, f.parent.token)).toEqual(expected);
    expect((await truth(f))[0]!.name).toBe('Quiet Kid');
  });

  it('shows each change made through the other instance: links, enrollment, names, homeroom, deactivation', async () => {
    const f = await family();
    await eventually(f);
    const sibling = await createMember(ctx.app, f.school, 'student', { name: 'Ada Sibling' });
    await write(f.school, 'POST', `/api/students/${sibling.id}/guardians`, { guardianId: f.parent.id, relationship: 'father', primary: true });
    expect((await eventually(f)).map((child) => [child.name, child.primary, child.class])).toEqual([
      ['Ada Sibling', true, null],
      ['Kai Kid', false, expect.objectContaining({ name: '4B' })],
    ]);

    await write(f.school, 'PATCH', `/api/users/${f.kid.id}`, { name: 'Zed Kid', dateOfBirth: '2016-02-03' });
    expect((await eventually(f))[1]).toMatchObject({ name: 'Zed Kid', dateOfBirth: '2016-02-03' });

    const other = await createMember(ctx.app, f.school, 'teacher', { name: 'Oz Other' });
    await write(f.school, 'PATCH', `/api/classes/${f.classId}`, { name: '4C', homeroomTeacherId: other.id });
    expect((await eventually(f))[1]).toMatchObject({ class: { name: '4C' }, homeroomTeacher: { id: other.id, name: 'Oz Other' } });
    await write(f.school, 'PATCH', `/api/users/${other.id}`, { name: 'Oz Renamed' });
    expect((await eventually(f))[1]!.homeroomTeacher).toEqual({ id: other.id, name: 'Oz Renamed' });

    await write(f.school, 'POST', `/api/classes/${f.classId}/students`, { studentIds: [sibling.id] });
    expect((await eventually(f))[0]!.class).toMatchObject({ id: f.classId });
    await write(f.school, 'DELETE', `/api/classes/${f.classId}/students/${f.kid.id}`);
    expect((await eventually(f))[1]!.class).toBeNull();

    await write(f.school, 'PATCH', `/api/users/${f.kid.id}`, { isActive: false });
    expect((await eventually(f)).map((child) => child.name)).toEqual(['Ada Sibling']);
    await write(f.school, 'PATCH', `/api/users/${f.kid.id}`, { isActive: true });
    expect((await eventually(f)).map((child) => child.name)).toEqual(['Ada Sibling', 'Zed Kid']);

    await write(f.school, 'DELETE', `/api/students/${sibling.id}/guardians/${f.parent.id}`);
    expect((await eventually(f)).map((child) => child.name)).toEqual(['Zed Kid']);
  });

  it('answers a write on the same instance at once', async () => {
    const f = await family();
    await children(ctx.app, f.parent.token);
    await write(f.school, 'PATCH', `/api/users/${f.kid.id}`, { name: 'Now Renamed' });
    expect((await children(ctx.app, f.parent.token))[0]!.name).toBe('Now Renamed');
  });
});
