import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, expect } from 'vitest';
import { call, createMember, type TestInstitution, type TestUser, unique, useSchool } from '../../../test/helpers.js';
import { tenantDb } from '../../db/tenant-schema.js';

/**
 * A school for the assignments tests: a subject, class A (math taught by `teacher` per its
 * curriculum, led by `homeroom`) with students `ana` and `ben`, class B (nobody teaches it) with
 * `cleo`, and `outsider`, a teacher of neither.
 */
export async function assignmentSchool(app: FastifyInstance, school: TestInstitution) {
  const admin = (method: 'POST' | 'PUT', url: string, body: unknown) => call(app, method, url, { token: school.adminToken, body });
  const created = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
    const response = await admin(method, url, body);
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.data as { id: string; name: string };
  };
  const [teacher, homeroom, outsider] = [
    await createMember(app, school, 'teacher', { name: unique('Tess Teacher ') }),
    await createMember(app, school, 'teacher', { name: unique('Hugo Homeroom ') }),
    await createMember(app, school, 'teacher', { name: unique('Otto Outsider ') }),
  ];
  const subject = await created('POST', '/api/subjects', { name: unique('Math ') });
  const classA = await created('POST', '/api/classes', { name: unique('A'), grade: 5, section: 'A', homeroomTeacherId: homeroom.id });
  const classB = await created('POST', '/api/classes', { name: unique('B'), grade: 5, section: 'B' });
  await created('PUT', `/api/classes/${classA.id}/subjects`, [{ subjectId: subject.id, teacherId: teacher.id, periodsPerWeek: 3 }]);
  const [ana, ben, cleo] = [
    await createMember(app, school, 'student', { name: unique('Ana ') }),
    await createMember(app, school, 'student', { name: unique('Ben ') }),
    await createMember(app, school, 'student', { name: unique('Cleo ') }),
  ];
  await created('POST', `/api/classes/${classA.id}/students`, { studentIds: [ana.id, ben.id] });
  await created('POST', `/api/classes/${classB.id}/students`, { studentIds: [cleo.id] });
  return {
    teacher,
    homeroom,
    outsider,
    subject: { id: subject.id, name: subject.name },
    classA: { id: classA.id, name: classA.name },
    classB: { id: classB.id, name: classB.name },
    ana,
    ben,
    cleo,
  };
}

export type AssignmentSchool = Awaited<ReturnType<typeof assignmentSchool>>;

export const HOUR = 3_600_000;

/** A whole second `ms` from now, as ISO text. */
export const fromNow = (ms: number) => new Date(Math.floor((Date.now() + ms) / 1000) * 1000).toISOString();

/** Matches a timestamp naming the same instant, whatever offset the database session writes it in. */
export function instant(iso: string) {
  return {
    asymmetricMatch: (actual: unknown) => typeof actual === 'string' && Date.parse(actual) === Date.parse(iso),
    toString: () => `the instant ${iso}`,
    toAsymmetricMatcher: () => `the instant ${iso}`,
  };
}

/** Moves an assignment's due date, as time passing would (the API refuses due dates in the past). */
export async function setDueAt(app: FastifyInstance, school: TestInstitution, assignmentId: string, dueAt: Date) {
  await tenantDb(app.db, school.schemaName).updateTable('assignments').set({ dueAt }).where('id', '=', assignmentId).execute();
}

/** Rows of a tenant table, for checking what a request left behind. */
export async function countRows(app: FastifyInstance, school: TestInstitution, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(school.schemaName, table)}`.execute(app.db);
  return rows[0]!.n;
}

export type { TestUser };

/**
 * The test files' fixture: an app with `assignmentSchool` in it, and calls as a given token.
 * `env` is read when the app starts, so it may be filled in by an earlier beforeAll (useStorage).
 */
export function useAssignmentSchool(env: Record<string, string> = {}) {
  const ctx = useSchool(Object.assign(env, { FILE_SWEEP_INTERVAL_MS: '0' }));
  // Filled in by beforeAll; read its fields inside tests.
  const school = {} as AssignmentSchool;
  beforeAll(async () => {
    Object.assign(school, await assignmentSchool(ctx.app, ctx.school));
  });
  const as = (token: string) => ({
    get: (url: string, headers?: Record<string, string>) => call(ctx.app, 'GET', url, { token, ...(headers ? { headers } : {}) }),
    post: (url: string, body?: unknown) => call(ctx.app, 'POST', url, { token, body }),
    patch: (url: string, body: unknown) => call(ctx.app, 'PATCH', url, { token, body }),
    delete: (url: string) => call(ctx.app, 'DELETE', url, { token }),
  });
  const tenant = () => tenantDb(ctx.app.db, ctx.school.schemaName);
  /** How many rows each table holds, to check that a refused request wrote nothing. */
  const state = async (tables: string[]) =>
    Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await countRows(ctx.app, ctx.school, table)])));
  return { ctx, s: school, as, tenant, state };
}
