import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../../../test/helpers.js';
import { tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import { planCoursework, type SchoolClass } from './assignments.js';
import { type DemoLogins, seedDemo } from './seed.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the demo coursework plan', () => {
  it('is the same for the same school and time, up to the generated ids', () => {
    const school: SchoolClass[] = ['1A', '2A'].map((name, c) => ({
      id: `class-${c}`,
      name,
      curriculum: ['Mathematics', 'English', 'Science', 'History', 'Art', 'Music'].map((subject, i) => ({ subjectId: `subject-${i}`, subject, teacherId: `teacher-${(i + c) % 4}` })),
      students: Array.from({ length: 25 }, (_, s) => ({ id: `student-${c}-${s}`, username: `student${c}${s}` })),
    }));
    const now = new Date('2026-03-02T10:00:00Z');
    const stable = () => JSON.stringify(planCoursework(school, now)).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'id');
    expect(stable()).toEqual(stable());
  });
});

describe('npm run seed:demo', () => {
  let t: TestApp;
  let demo: DemoLogins;
  const tenant = () => tenantDb(t.app.db, tenantSchemaName(demo.institution.id));
  /** The rows a query over the demo's tables finds (raw SQL: its search path is the demo's schema). */
  const violations = (query: ReturnType<typeof sql>) =>
    t.app.db.transaction().execute(async (trx) => {
      await sql`set local search_path to ${sql.id(tenantSchemaName(demo.institution.id))}`.execute(trx);
      return (await query.execute(trx)).rows;
    });
  const login = async (username: string) =>
    (await call(t.app, 'POST', '/api/auth/login', { body: { username, password: demo.password, institutionCode: demo.institution.code } })).data.token as string;

  beforeAll(async () => {
    t = await startTestApp({ FILE_SWEEP_INTERVAL_MS: '0' });
    demo = await seedDemo(t.app, { adminUsername: 'coursework_admin', institutionName: 'Coursework Demo' });
  });
  afterAll(() => t.close());

  it('gives each class five assignments from its curriculum: two graded, one being graded, two open; one takes late work, one has a worksheet', async () => {
    expect(demo.coursework).toEqual({ assignments: 40, submissions: expect.any(Number), versions: expect.any(Number), late: expect.any(Number), graded: expect.any(Number), reassigned: 8, files: expect.any(Number) });
    const perClass = await tenant()
      .selectFrom('assignmentClasses as ac')
      .innerJoin('assignments as a', 'a.id', 'ac.assignmentId')
      .select((eb) => [
        'ac.classId',
        eb.fn.countAll<number>().as('assignments'),
        sql<number>`count(*) filter (where a."dueAt" < now())`.as('past'),
        sql<number>`count(*) filter (where a."allowLate")`.as('allowLate'),
        sql<number>`count(*) filter (where exists (select 1 from ${sql.id(tenantSchemaName(demo.institution.id), 'assignmentFiles')} f where f."assignmentId" = a.id))`.as('withFile'),
      ])
      .groupBy('ac.classId')
      .execute();
    expect(perClass.map(({ classId: _, ...counts }) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])))).toEqual(
      Array(8).fill({ assignments: 5, past: 3, allowLate: 1, withFile: 1 }),
    );
    const { submissions, versions, late, graded, files } = demo.coursework!;
    expect(submissions).toBeGreaterThan(0.6 * 200 * 5);
    expect(versions).toBeGreaterThan(submissions);
    expect(late).toBeGreaterThan(0);
    expect(graded).toBeGreaterThan(0.3 * submissions);
    expect(files).toBeGreaterThan(8);
  });

  it('holds only what the API could have written', async () => {
    // Each assignment is its subject teacher's, for a class they teach, set before it was due.
    expect(await violations(sql`select a.id from assignments a join "assignmentClasses" ac on ac."assignmentId" = a.id
      where a."createdAt" >= a."dueAt" or a."createdAt" > now()
        or not exists (select 1 from curriculum c where c."classId" = ac."classId" and c."subjectId" = a."subjectId" and c."teacherId" = a."teacherId")`)).toEqual([]);
    // The submission is its latest version; a version is late exactly when after the due date, and only where late work is taken.
    expect(await violations(sql`select s.id from submissions s join assignments a on a.id = s."assignmentId"
      join "submissionVersions" v on v."submissionId" = s.id and v.version = s.version
      where s."submittedAt" <> v."submittedAt" or s.late <> v.late or s."createdAt" > s."submittedAt" or s."submittedAt" > now()
        or s.version <> (select max(version) from "submissionVersions" w where w."submissionId" = s.id)
        or s.version <> (select count(*) from "submissionVersions" w where w."submissionId" = s.id)
        or not exists (select 1 from enrollments e join "assignmentClasses" ac on ac."classId" = e."classId" where e."studentId" = s."studentId" and ac."assignmentId" = a.id)`)).toEqual([]);
    expect(await violations(sql`select v.id from "submissionVersions" v join submissions s on s.id = v."submissionId" join assignments a on a.id = s."assignmentId"
      where v.late <> (v."submittedAt" > a."dueAt") or (v.late and not a."allowLate") or v."submittedAt" < a."createdAt"`)).toEqual([]);
    // Grades are of the latest version, by its teacher, within maxPoints, after the hand-in; a hand-back clears the grade.
    expect(await violations(sql`select s.id from submissions s join assignments a on a.id = s."assignmentId"
      where (s.status = 'graded' and (s."gradedVersion" <> s.version or s."gradedBy" <> a."teacherId" or s.points > a."maxPoints"
          or s."gradedAt" <= s."submittedAt" or s."gradedAt" > now() or s.accepted is not true))
        or (s.status = 'reassigned' and (s.points is not null or s."gradedAt" is not null or s.feedback is null))
        or (s.status = 'submitted' and (s.points is not null or s.feedback is not null))`)).toEqual([]);
    // Every file is its uploader's own: the teacher's worksheet, the student's answers.
    expect(await violations(sql`select f.id from files f where f."uploadedBy" not in (
      select a."teacherId" from "assignmentFiles" af join assignments a on a.id = af."assignmentId" where af."fileId" = f.id
      union select s."studentId" from "submissionVersionFiles" vf join "submissionVersions" v on v.id = vf."versionId" join submissions s on s.id = v."submissionId" where vf."fileId" = f.id)`)).toEqual([]);
    // And every write is in the activity log.
    const logged = await tenant()
      .selectFrom('activityLogs')
      .select(['action', (eb) => eb.fn.countAll<number>().as('n')])
      .where('targetType', 'in', ['file', 'assignment', 'submission'])
      .groupBy('action')
      .execute();
    const { assignments, versions, graded, reassigned, files } = demo.coursework!;
    expect(Object.fromEntries(logged.map((row) => [row.action, Number(row.n)]))).toEqual({ upload: files, create: assignments, submit: versions, grade: graded, reassign: reassigned });
  });

  it('is what the API reads and takes further: files download with their hashes, a handed-back submission is handed in again late, an open one is graded', async () => {
    const files = await tenant().selectFrom('files').select(['id', 'sha256', 'uploadedBy', 'contentType']).execute();
    const users = new Map((await tenant().selectFrom('users').select(['id', 'username']).execute()).map((user) => [user.id, user.username]));
    const pdf = files.find((file) => file.contentType === 'application/pdf')!;
    const txt = files.find((file) => file.contentType.startsWith('text/plain') && users.get(file.uploadedBy)!.startsWith('student'))!;
    for (const file of [pdf, txt]) {
      const download = await call(t.app, 'GET', `/api/files/${file.id}`, { token: await login(users.get(file.uploadedBy)!) });
      expect(download.statusCode).toBe(200);
      expect(sha256(download.rawPayload)).toBe(file.sha256);
    }
    expect(pdf.contentType).toBe('application/pdf');

    const handedBack = await tenant().selectFrom('submissions').select(['id', 'studentId', 'assignmentId']).where('status', '=', 'reassigned').orderBy('submittedAt').executeTakeFirstOrThrow();
    const student = await login(users.get(handedBack.studentId)!);
    const mine = (await call(t.app, 'GET', '/api/assignments/my-assignments', { token: student })).data as unknown as { id: string; status: string; dueAt: string }[];
    expect(mine).toHaveLength(5);
    expect(mine.map((a) => a.dueAt)).toEqual(mine.map((a) => a.dueAt).sort((x, y) => Date.parse(x) - Date.parse(y)));
    expect(mine.find((a) => a.id === handedBack.assignmentId)).toMatchObject({ status: 'reassigned' });
    const again = await call(t.app, 'POST', `/api/assignments/${handedBack.assignmentId}/submissions`, { token: student, body: { text: 'Questions 3 and 4 added.' } });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.data).toMatchObject({ id: handedBack.id, status: 'submitted', version: 2, late: true });

    const open = await tenant()
      .selectFrom('submissions as s')
      .innerJoin('assignments as a', 'a.id', 's.assignmentId')
      .select(['s.id', 's.version', 'a.teacherId', 'a.maxPoints'])
      .where('s.status', '=', 'submitted')
      .where('s.version', '>', 1)
      .orderBy('s.submittedAt')
      .executeTakeFirstOrThrow();
    const graded = await call(t.app, 'POST', `/api/submissions/${open.id}/grade`, { token: await login(users.get(open.teacherId)!), body: { points: open.maxPoints, version: open.version } });
    expect(graded.statusCode, graded.body).toBe(200);
    expect(graded.data).toMatchObject({ status: 'graded', points: open.maxPoints, version: open.version });
  });
});
