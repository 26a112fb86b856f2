import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../src/app.js';
import { localFiles, uploadIds } from './files.js';
import {
  call as plainCall,
  createMember,
  expectErrorShape,
  PASSWORD,
  registerInstitution,
  startTestApp,
  type TestApp,
  type TestInstitution,
  type TestUser,
} from './helpers.js';

/**
 * Walks every route in Fastify's route table with another institution's tokens, so a route added
 * by a later feature is covered here without anyone remembering to add it.
 */

/** Every answer the walk provokes: any error it gets must be in the one error shape. */
const call: typeof plainCall = async (...args) => {
  const response = await plainCall(...args);
  if (response.statusCode >= 400) expectErrorShape(response);
  return response;
};

let t: TestApp;
let victim: TestInstitution;
let victimTeacher: TestUser;
let victimStudent: TestUser;
/**
 * The victim's coursework, messages and calendar: a class, an assignment with a file, a submission
 * with a file, a message and a reply to it, a calendar event for the class.
 */
let victimWork: Awaited<ReturnType<typeof victimCoursework>>;
let victimFeed: string;
let attacker: TestInstitution;
let attackerStudent: TestUser;
/** A guardian of the attacker's student, and in the victim's institution a guardian of another family. */
let attackerGuardian: TestUser;
let victimGuardian: TestUser;
let outsiderGuardian: TestUser;
let routes: RouteEntry[];

beforeAll(async () => {
  t = await startTestApp();
  victim = await registerInstitution(t.app, 'Victim Valley School');
  victimTeacher = await createMember(t.app, victim, 'teacher', { email: 'victim.teacher@valley.example' });
  victimStudent = await createMember(t.app, victim, 'student');
  victimWork = await victimCoursework();
  victimFeed = await victimFeedToken();
  attacker = await registerInstitution(t.app, 'Attacker Academy');
  attackerStudent = await createMember(t.app, attacker, 'student');
  attackerGuardian = await guardianOf(attacker, attackerStudent);
  victimGuardian = await guardianOf(victim, victimStudent);
  outsiderGuardian = await guardianOf(victim, await createMember(t.app, victim, 'student'));
  routes = t.app.routeTable.filter((route) => route.url.startsWith('/api/') && route.method !== 'HEAD');
});
afterAll(() => t.close());

/** A new guardian account of the institution, linked to the student. */
async function guardianOf(institution: TestInstitution, student: TestUser): Promise<TestUser> {
  const guardian = await createMember(t.app, institution, 'guardian');
  const linked = await plainCall(t.app, 'POST', `/api/students/${student.id}/guardians`, {
    token: institution.adminToken,
    body: { guardianId: guardian.id, relationship: 'mother' },
  });
  expect(linked.statusCode, linked.body).toBe(201);
  return guardian;
}

const VICTIM_ASSIGNMENT_TITLE = 'Valley river survey';
const VICTIM_FILE_NAMES = ['valley-river-worksheet.txt', 'valley-river-answers.txt'];
const VICTIM_MESSAGE = 'Valley field trip: bring boots';
const VICTIM_EVENT_TITLE = 'Valley river exam';

/** Gives the victim's teacher an assignment with a file for a class, and its student a submission with a file. */
async function victimCoursework() {
  const as = async (token: string, url: string, body: unknown) => {
    const response = await plainCall(t.app, 'POST', url, { token, body });
    expect(response.statusCode, response.body).toBe(201);
    return response.data.id as string;
  };
  const classId = await as(victim.adminToken, '/api/classes', { name: 'Valley 5A', grade: 5, section: 'A', homeroomTeacherId: victimTeacher.id });
  expect((await plainCall(t.app, 'POST', `/api/classes/${classId}/students`, { token: victim.adminToken, body: { studentIds: [victimStudent.id] } })).statusCode).toBe(200);
  const [assignmentFileId] = await uploadIds(t.app, victimTeacher.token, [{ name: VICTIM_FILE_NAMES[0]!, content: Buffer.from('Measure the river at three points.\n') }]);
  const assignmentId = await as(victimTeacher.token, '/api/assignments', {
    title: VICTIM_ASSIGNMENT_TITLE,
    classIds: [classId],
    dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    fileIds: [assignmentFileId],
  });
  const [submissionFileId] = await uploadIds(t.app, victimStudent.token, [{ name: VICTIM_FILE_NAMES[1]!, content: Buffer.from('1.2 m, 0.8 m, 1.5 m\n') }]);
  const submissionId = await as(victimStudent.token, `/api/assignments/${assignmentId}/submissions`, { text: 'Measured on Monday.', fileIds: [submissionFileId] });
  const messageId = await as(victimTeacher.token, '/api/messages', { receiverId: victimStudent.id, message: VICTIM_MESSAGE });
  const replyId = await as(victimStudent.token, '/api/messages', { receiverId: victimTeacher.id, message: 'Thank you', replyTo: messageId });
  const calendarEventId = await as(victimTeacher.token, '/api/calendar/events', {
    title: VICTIM_EVENT_TITLE,
    type: 'exam',
    allDay: true,
    date: '2026-12-01',
    audience: { classIds: [classId] },
  });
  return { classId, assignmentId, submissionId, assignmentFileId: assignmentFileId!, submissionFileId: submissionFileId!, messageId, replyId, calendarEventId };
}

/** The victim student's private iCalendar feed: its token is a secret no answer to anyone else may hold. */
async function victimFeedToken(): Promise<string> {
  const response = await plainCall(t.app, 'POST', '/api/calendar/feed', { token: victimStudent.token });
  expect(response.statusCode, response.body).toBe(201);
  return response.data.token as string;
}

/** Everything about the victim that must never show up in an answer to someone else. */
function victimMarkers(): string[] {
  return [
    victim.id,
    victim.code,
    victim.name,
    victim.admin.id,
    victim.admin.username,
    victimTeacher.id,
    victimTeacher.username,
    victimStudent.id,
    victimStudent.username,
    victimGuardian.id,
    victimGuardian.username,
    'victim.teacher@valley.example',
    ...victimWorkMarkers(),
  ];
}

/** The victim's coursework, messages and calendar: the victim student's data, for any other family too. */
function victimWorkMarkers(): string[] {
  return [VICTIM_ASSIGNMENT_TITLE, ...VICTIM_FILE_NAMES, VICTIM_MESSAGE, VICTIM_EVENT_TITLE, victimFeed, ...Object.values(victimWork)];
}

/** The victim's stored files (local storage), each with the hash of its bytes. */
function victimStoredFiles() {
  const root = path.join(t.app.config.dataDir, 'files');
  return localFiles(t.app.config.dataDir)
    .filter((key) => key.startsWith(`${victim.id}/`))
    .map((key) => `${key} ${createHash('sha256').update(readFileSync(path.join(root, key))).digest('hex')}`);
}

/**
 * Every row of every table in the victim's schema, found from the database's catalog, so tables
 * that later modules add are watched without anyone listing them here.
 */
async function victimTables() {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = ${victim.schemaName} and table_type = 'BASE TABLE' order by 1`.execute(t.app.db);
  const tables: Record<string, unknown[]> = {};
  for (const { name } of rows) {
    const all = await sql<Record<string, unknown>>`select * from ${sql.id(victim.schemaName, name)}`.execute(t.app.db);
    tables[name] = all.rows.map((row) => JSON.stringify(row)).sort();
  }
  return tables;
}

async function victimSnapshot() {
  return {
    tables: await victimTables(),
    institution: await t.app.db.selectFrom('registry.institutions').selectAll().where('id', '=', victim.id).execute(),
    admins: await t.app.db.selectFrom('registry.admins').selectAll().where('institutionId', '=', victim.id).execute(),
    stored: victimStoredFiles(),
  };
}

function fillUrl(url: string, id: string): string {
  return url.replace(/:[A-Za-z]+/g, id);
}

function exampleBody(route: RouteEntry): unknown {
  const body = route.schema?.body as { examples?: unknown[] } | undefined;
  return body?.examples?.[0];
}

/** Query parameters that take ids get the victim's ids, so filters cannot reach across either. */
function foreignQuery(route: RouteEntry): string {
  const properties = (route.schema?.querystring as { properties?: Record<string, { format?: string }> } | undefined)?.properties ?? {};
  const idParams = Object.entries(properties).filter(([, schema]) => schema.format === 'uuid');
  return idParams.length ? `?${idParams.map(([name]) => `${name}=${victimTeacher.id}`).join('&')}` : '';
}

/** Tokens already signed in with, by account; a route that ended the session makes way for a new one. */
const liveTokens = new Map<string, string>();

/**
 * A working token of the account: the last one while it still works (some routes, logout and
 * password changes, end it), else a new sign-in. Signing in for every request made the walk
 * spend most of its time hashing passwords.
 */
async function freshToken(institution: TestInstitution, member?: TestUser): Promise<string> {
  const key = member?.id ?? institution.admin.id;
  const known = liveTokens.get(key);
  if (known && (await plainCall(t.app, 'GET', '/api/auth/me', { token: known })).statusCode === 200) return known;
  const body = member
    ? { username: member.username, password: PASSWORD, institutionCode: institution.code }
    : { username: institution.admin.username, password: PASSWORD };
  const login = await call(t.app, 'POST', '/api/auth/login', { body });
  liveTokens.set(key, login.data.token);
  return login.data.token;
}

const protectedRoutes = () => routes.filter((route) => route.access !== 'public');
const withParams = (route: RouteEntry) => route.url.includes(':');

describe('every route', () => {
  it('declares who may call it, and documents an example for every JSON body', () => {
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      expect(route.access, `${route.method} ${route.url}`).toBeDefined();
      if (route.schema?.body) expect(exampleBody(route), `${route.method} ${route.url} body example`).toBeDefined();
    }
  });

  it('answers 401 without a token', async () => {
    for (const route of protectedRoutes()) {
      const response = await call(t.app, route.method as 'GET', fillUrl(route.url, victimTeacher.id), { body: exampleBody(route) });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});

/** Values no query parameter should ever turn into a 5xx: too big, malformed, hostile. */
const HOSTILE_QUERY_VALUES = ['99999999999999999999', '1e300', '-1', '0', '', 'x'.repeat(5000), "' or 1=1 --", '%00', 'null', '2026-13-45'];

describe('bad input', () => {
  it('gets a 4xx JSON error, never a 5xx, in any query parameter of any GET route', async () => {
    for (const route of protectedRoutes().filter((r) => r.method === 'GET')) {
      const properties = (route.schema?.querystring as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      for (const name of Object.keys(properties)) {
        for (const value of HOSTILE_QUERY_VALUES) {
          const url = `${fillUrl(route.url, victimTeacher.id)}?${name}=${encodeURIComponent(value)}`;
          const response = await call(t.app, 'GET', url, { token: victim.adminToken });
          expect(response.statusCode, `${url} ${response.body.slice(0, 200)}`).toBeLessThan(500);
          if (response.statusCode >= 400) expect(response.data, url).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        }
      }
    }
  });
});

/** Bodies that are no JSON document a route can take, each with the status and code it must get. */
const MALFORMED_BODIES = [
  { body: '{"name":', contentType: 'application/json', status: 400, code: 'INVALID_JSON' },
  { body: '{"__proto__":{"role":"admin"}}', contentType: 'application/json', status: 400, code: 'BAD_REQUEST' },
  { body: '<user/>', contentType: 'application/xml', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), contentType: 'application/json', status: 413, code: 'PAYLOAD_TOO_LARGE' },
];

describe('malformed bodies', () => {
  it('get the one error shape with the project\'s code on every route that takes a body, and change nothing', async () => {
    const before = await victimSnapshot();
    for (const route of routes.filter((r) => exampleBody(r) !== undefined)) {
      for (const malformed of MALFORMED_BODIES) {
        const label = `${route.method} ${route.url} ${malformed.contentType} ${malformed.body.slice(0, 30)}`;
        const response = await call(t.app, route.method as 'POST', fillUrl(route.url, victimStudent.id), {
          token: victim.adminToken,
          body: malformed.body,
          headers: { 'content-type': malformed.contentType },
        });
        expect({ status: response.statusCode, code: response.data.code }, `${label} ${response.body.slice(0, 200)}`).toEqual({
          status: malformed.status,
          code: malformed.code,
        });
      }
    }
    expect(await victimSnapshot()).toEqual(before);
  });
});

/** Text values that schemas may let through but the database cannot store, or that are just large. */
const HOSTILE_BODY_VALUES = ['bad\u0000value', '0000-01-01', 'x'.repeat(5000)];

describe('bad input in bodies', () => {
  it('gets a 4xx JSON error or is accepted, never a 5xx, in any text field of any route', async () => {
    // An institution of its own: accepted values change its data, never the victim's.
    const sandbox = await registerInstitution(t.app, 'Sandbox School');
    const member = await createMember(t.app, sandbox, 'student');
    for (const route of routes.filter((r) => exampleBody(r) !== undefined)) {
      const properties = (route.schema?.body as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
      // Passwords are hashed, never stored as text, and changing one would lock this test out.
      const textFields = Object.keys(properties).filter((name) => !/password/i.test(name));
      for (const name of textFields) {
        for (const value of HOSTILE_BODY_VALUES) {
          const body = { ...(exampleBody(route) as Record<string, unknown>), [name]: value };
          const url = fillUrl(route.url, member.id);
          const response = await call(t.app, route.method as 'POST', url, { token: await freshToken(sandbox), body });
          const label = `${route.method} ${url} ${name}=${value.slice(0, 20)}`;
          expect(response.statusCode, `${label} ${response.body.slice(0, 200)}`).toBeLessThan(500);
          if (response.statusCode >= 400) expect(response.data, label).toMatchObject({ code: expect.any(String) });
        }
      }
    }
  });
});

describe("another institution's tokens", () => {
  it("never read, change or reveal the victim's data, and a victim id answers exactly like an unknown id", async () => {
    const before = await victimSnapshot();
    // Users, the institution, and the victim's class, assignment, submission, both files, messages
    // and calendar event: any route answers for them exactly as for an unknown id.
    const victimIds = [victimTeacher.id, victimStudent.id, victim.admin.id, victim.id, ...Object.values(victimWork)];
    for (const route of protectedRoutes()) {
      for (const who of ['admin', 'student', 'guardian'] as const) {
        const label = `${who} ${route.method} ${route.url}`;
        const member = { admin: undefined, student: attackerStudent, guardian: attackerGuardian }[who];
        // A fresh token each time: some routes (logout, password change) end the caller's session.
        const token = await freshToken(attacker, member);
        const ids = withParams(route) ? victimIds : [victimTeacher.id];
        for (const id of ids) {
          const response = await call(t.app, route.method as 'GET', fillUrl(route.url, id) + foreignQuery(route), {
            token,
            body: exampleBody(route),
          });
          for (const marker of victimMarkers()) expect(response.body, label).not.toContain(marker);
          if (!withParams(route)) continue;
          expect(response.statusCode, `${label} ${response.body}`).toBeGreaterThanOrEqual(400);
          const unknown = await call(t.app, route.method as 'GET', fillUrl(route.url, randomUUID()), {
            token: await freshToken(attacker, member),
            body: exampleBody(route),
          });
          expect({ status: response.statusCode, body: response.data }, label).toEqual({ status: unknown.statusCode, body: unknown.data });
          if (who === "admin") expect(response.statusCode, `${label} ${response.body}`).toBe(404);
        }
      }
    }
    expect(await victimSnapshot()).toEqual(before);
  });
});

/** Conversations take any account of the institution as the other side: an empty one is no refusal (messages/service.ts). */
const PARTNER_ROUTES = new Set(['/api/messages/:userId', '/api/messages/:userId/read']);

describe('a guardian of another family', () => {
  it("is refused every route with the victim's child's id, and never sees the child's data, whatever route it walks", async () => {
    // The walking guardian's own account and log change (sign-ins, logout); nothing else may.
    const othersThan = async (id: string) => {
      const snapshot = await victimSnapshot();
      const tables = Object.fromEntries(Object.entries(snapshot.tables).map(([name, rows]) => [name, rows.filter((row) => !String(row).includes(id))]));
      return { ...snapshot, tables };
    };
    const before = await othersThan(outsiderGuardian.id);
    const childMarkers = [victimStudent.username, victimGuardian.id, victimGuardian.username, ...victimWorkMarkers()];
    for (const route of protectedRoutes()) {
      const label = `${route.method} ${route.url}`;
      const childQuery = foreignQuery(route).replaceAll(victimTeacher.id, victimStudent.id);
      const response = await call(t.app, route.method as 'GET', fillUrl(route.url, victimStudent.id) + childQuery, {
        token: await freshToken(victim, outsiderGuardian),
        body: exampleBody(route),
      });
      for (const marker of childMarkers) expect(response.body, label).not.toContain(marker);
      if ((withParams(route) && !PARTNER_ROUTES.has(route.url)) || childQuery) expect(response.statusCode, `${label} ${response.body}`).toBeGreaterThanOrEqual(400);
    }
    expect(await othersThan(outsiderGuardian.id)).toEqual(before);
  });

  it('gets 403 on every route not open to guardians', async () => {
    for (const route of protectedRoutes().filter((r) => r.access !== 'anyAccount' && r.access !== 'guardianOnly')) {
      const response = await call(t.app, route.method as 'GET', fillUrl(route.url, victimStudent.id), {
        token: await freshToken(victim, outsiderGuardian),
        body: exampleBody(route),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
  });
});

describe('role guards', () => {
  it('a student gets 403 on every admin or teacher route of their own institution, and nothing changes', async () => {
    const before = await victimSnapshot();
    for (const route of protectedRoutes().filter((r) => r.access === 'adminOnly' || r.access === 'teacherOrAdmin')) {
      const response = await call(t.app, route.method as 'GET', fillUrl(route.url, victimTeacher.id), {
        token: victimStudent.token,
        body: exampleBody(route),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(response.data.code).toBe('FORBIDDEN');
    }
    expect(await victimSnapshot()).toEqual(before);
  });

  it('a teacher gets 403 on every admin route of their own institution', async () => {
    for (const route of protectedRoutes().filter((r) => r.access === 'adminOnly')) {
      const response = await call(t.app, route.method as 'GET', fillUrl(route.url, victimStudent.id), {
        token: victimTeacher.token,
        body: exampleBody(route),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
  });
});

describe('the snapshot', () => {
  it('covers every table of the tenant schema', async () => {
    expect(Object.keys(await victimTables())).toEqual(expect.arrayContaining(['activityLogs', 'schemaMigrations', 'users', 'files', 'assignments', 'submissions']));
    expect(victimStoredFiles().map((entry) => entry.split(' ')[0])).toEqual(
      [victimWork.assignmentFileId, victimWork.submissionFileId].map((id) => `${victim.id}/${id}`).sort(),
    );
  });
});
