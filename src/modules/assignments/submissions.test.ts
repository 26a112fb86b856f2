import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STORAGE_DRIVERS, uploadIds, useStorage } from '../../../test/files.js';
import { call, createMember, expectErrorShape, expectExactShape, registerInstitution } from '../../../test/helpers.js';
import { tenantDb } from '../../db/tenant-schema.js';
import { csvCell } from '../../lib/csv.js';
import { Gradebook, MyAssignments, RosterList, SubmissionVersions, SubmissionView } from './schemas.js';
import { assignmentSchool, fromNow, HOUR, setDueAt, useAssignmentSchool } from './test-school.js';

describe.each(STORAGE_DRIVERS)('submissions on the %s storage', (driver) => {
  const storage = useStorage(driver);
  // What stores, reads or deletes bytes runs on both drivers; rules that store no bytes would run
  // the same on both, so they run on the local one only.
  const itWithoutBytes = it.runIf(driver === 'local');
  const fixture = useAssignmentSchool(storage.env);
  const { ctx, s, as, tenant } = fixture;
  const state = () => fixture.state(['submissions', 'submissionVersions', 'submissionVersionFiles', 'activityLogs']);

  async function newAssignment(body: Record<string, unknown> = {}) {
    const response = await as(s.teacher.token).post('/api/assignments', { title: 'Homework', classIds: [s.classA.id], dueAt: fromNow(HOUR), maxPoints: 20, ...body });
    expect(response.statusCode, response.body).toBe(201);
    return response.data as { id: string; title: string; dueAt: string };
  }

  async function handIn(token: string, assignmentId: string, body: Record<string, unknown>) {
    const response = await as(token).post(`/api/assignments/${assignmentId}/submissions`, body);
    expect(response.statusCode, response.body).toBe(201);
    expectExactShape(SubmissionView, response.data);
    return response.data as Record<string, any> & { id: string; version: number };
  }

  describe('handing in', () => {
    it('creates the submission with text and files, then adds versions, keeping each; logged', async () => {
      expect(ctx.app.fileStorage.driver).toBe(driver);
      const a = await newAssignment();
      const fileIds = await uploadIds(ctx.app, s.ana.token, [{ name: 'essay.txt', content: Buffer.from('my essay') }]);
      const first = await handIn(s.ana.token, a.id, { text: 'Here it is', fileIds });
      expect(first).toEqual({
        id: expect.any(String),
        assignment: { id: a.id, title: 'Homework', maxPoints: 20 },
        student: { id: s.ana.id, name: s.ana.name },
        status: 'submitted',
        late: false,
        version: 1,
        text: 'Here it is',
        files: [{ id: fileIds[0], name: 'essay.txt', size: 8, contentType: 'text/plain; charset=utf-8' }],
        submittedAt: expect.any(String),
        points: null,
        feedback: null,
        accepted: null,
        gradedAt: null,
      });
      const second = await handIn(s.ana.token, a.id, { text: 'Better version' });
      expect(second).toMatchObject({ id: first.id, version: 2, text: 'Better version', files: [], status: 'submitted' });

      const versions = await as(s.ana.token).get(`/api/submissions/${first.id}/versions`);
      expect(versions.statusCode).toBe(200);
      expectExactShape(SubmissionVersions, versions.data);
      expect(versions.data).toEqual([
        { version: 1, text: 'Here it is', files: first.files, late: false, submittedAt: first.submittedAt },
        { version: 2, text: 'Better version', files: [], late: false, submittedAt: second.submittedAt },
      ]);
      // Its teacher and admins read it and its versions too; other students do not know it, other teachers may not.
      for (const reader of [s.teacher, { token: ctx.school.adminToken }]) {
        expect((await as(reader.token).get(`/api/submissions/${first.id}`)).data).toEqual(second);
        expect((await as(reader.token).get(`/api/submissions/${first.id}/versions`)).data).toEqual(versions.data);
      }
      expect(await as(s.ben.token).get(`/api/submissions/${first.id}`)).toMatchObject({ statusCode: 404, data: { code: 'NOT_FOUND', message: 'Submission not found' } });
      expect((await as(s.ben.token).get(`/api/submissions/${first.id}/versions`)).statusCode).toBe(404);
      expect(await as(s.outsider.token).get(`/api/submissions/${first.id}`)).toMatchObject({ statusCode: 403, data: { code: 'FORBIDDEN' } });
      // The student's file is readable by the assignment's teacher and the class's homeroom teacher, not by a classmate.
      expect(await as(s.teacher.token).get(`/api/files/${fileIds[0]}`)).toMatchObject({ statusCode: 200, body: 'my essay' });
      expect((await as(s.homeroom.token).get(`/api/files/${fileIds[0]}`)).statusCode).toBe(200);
      expect((await as(s.ben.token).get(`/api/files/${fileIds[0]}`)).statusCode).toBe(404);
      expect((await as(s.outsider.token).get(`/api/files/${fileIds[0]}`)).statusCode).toBe(404);

      const entries = await tenant().selectFrom('activityLogs').select(['action', 'targetName', 'details', 'userId']).where('targetId', '=', first.id).orderBy('createdAt').execute();
      expect(entries).toEqual([
        { action: 'submit', targetName: 'Homework', userId: s.ana.id, details: { assignmentId: a.id, version: 1, late: false, fileIds } },
        { action: 'submit', targetName: 'Homework', userId: s.ana.id, details: { assignmentId: a.id, version: 2, late: false, fileIds: [] } },
      ]);
    });

    itWithoutBytes('refuses empty hand-ins, others\' files, foreign classes, teachers and admins, and writes nothing', async () => {
      const a = await newAssignment();
      const [benFile] = await uploadIds(ctx.app, s.ben.token);
      const before = await state();
      const cases: [string, Record<string, unknown>, number, Record<string, unknown>][] = [
        [s.ana.token, {}, 400, { code: 'VALIDATION_ERROR', message: 'Send text, files or both', details: [{ field: 'body', message: 'must have text or at least one of fileIds' }] }],
        [s.ana.token, { fileIds: [] }, 400, { code: 'VALIDATION_ERROR', details: [{ field: 'body', message: 'must have text or at least one of fileIds' }] }],
        [s.ana.token, { text: '' }, 400, { code: 'VALIDATION_ERROR', details: [{ field: 'text', message: 'must NOT have fewer than 1 characters' }, { field: 'text', message: 'must match pattern "\\S"' }] }],
        [s.ana.token, { text: ' \n ' }, 400, { code: 'VALIDATION_ERROR', details: [{ field: 'text', message: 'must match pattern "\\S"' }] }],
        [s.ana.token, { text: 'x', fileIds: [benFile] }, 400, { code: 'VALIDATION_ERROR', details: [{ field: 'fileIds.0', message: `the file ${benFile} does not exist or was not uploaded by you` }] }],
        [s.ana.token, { text: 'x', fileIds: Array.from({ length: 6 }, () => randomUUID()) }, 400, { details: [{ field: 'fileIds', message: 'must NOT have more than 5 items' }] }],
        [s.ana.token, { text: 'x', grade: 1 }, 400, { details: [{ field: 'grade', message: 'is not an allowed field' }] }],
        [s.cleo.token, { text: 'x' }, 404, { code: 'NOT_FOUND', message: 'Assignment not found' }],
        [s.teacher.token, { text: 'x' }, 403, { code: 'FORBIDDEN' }],
        [ctx.school.adminToken, { text: 'x' }, 403, { code: 'FORBIDDEN' }],
      ];
      for (const [token, body, status, answer] of cases) {
        const response = await as(token).post(`/api/assignments/${a.id}/submissions`, body);
        expect(response.statusCode, `${JSON.stringify(body)} ${response.body}`).toBe(status);
        expectErrorShape(response);
        expect(response.data).toMatchObject(answer);
      }
      expect((await as(s.ana.token).post(`/api/assignments/${randomUUID()}/submissions`, { text: 'x' })).statusCode).toBe(404);
      expect(await state()).toEqual(before);
    });

    itWithoutBytes('after the due date: 409 PAST_DUE, or a late version when the assignment takes late work', async () => {
      const strict = await newAssignment();
      const lenient = await newAssignment({ allowLate: true });
      await handIn(s.ben.token, strict.id, { text: 'on time' });
      for (const { id } of [strict, lenient]) await setDueAt(ctx.app, ctx.school, id, new Date(Date.now() - HOUR));

      const before = await state();
      for (const student of [s.ana, s.ben]) {
        const refused = await as(student.token).post(`/api/assignments/${strict.id}/submissions`, { text: 'too late' });
        expect(refused.statusCode).toBe(409);
        expect(refused.data).toEqual({ code: 'PAST_DUE', message: 'The due date has passed and this assignment does not take late work' });
      }
      expect(await state()).toEqual(before);

      const late = await handIn(s.ana.token, lenient.id, { text: 'sorry' });
      expect(late).toMatchObject({ status: 'submitted', late: true, version: 1 });
      expect(await tenant().selectFrom('submissionVersions').select(['version', 'late']).where('submissionId', '=', late.id).execute()).toEqual([{ version: 1, late: true }]);
    });
  });

  describe('grading', () => {
    itWithoutBytes('grades the version seen, shows points and feedback to the student, refuses resubmission after; logged', async () => {
      const a = await newAssignment();
      const submission = await handIn(s.ana.token, a.id, { text: 'answer' });
      const graded = await as(s.teacher.token).post(`/api/submissions/${submission.id}/grade`, { points: 17, feedback: 'Good', version: 1 });
      expect(graded.statusCode, graded.body).toBe(200);
      expect(graded.data).toEqual({ ...submission, status: 'graded', points: 17, feedback: 'Good', accepted: true, gradedAt: expect.any(String) });
      expect((await as(s.ana.token).get(`/api/submissions/${submission.id}`)).data).toEqual(graded.data);
      expect(await tenant().selectFrom('submissions').select(['status', 'points', 'gradedVersion', 'gradedBy']).where('id', '=', submission.id).executeTakeFirst()).toEqual({
        status: 'graded',
        points: 17,
        gradedVersion: 1,
        gradedBy: s.teacher.id,
      });

      const again = await as(s.ana.token).post(`/api/assignments/${a.id}/submissions`, { text: 'changed my mind' });
      expect(again.statusCode).toBe(409);
      expect(again.data).toEqual({ code: 'ALREADY_GRADED', message: 'This submission has been graded; it cannot be changed any more' });

      // A corrected grade, by an admin, not accepted.
      const regraded = await as(ctx.school.adminToken).post(`/api/submissions/${submission.id}/grade`, { points: 0, version: 1, accepted: false });
      expect(regraded.data).toMatchObject({ status: 'graded', points: 0, feedback: null, accepted: false });
      const entries = await tenant().selectFrom('activityLogs').select(['action', 'details']).where('targetId', '=', submission.id).where('action', '=', 'grade').orderBy('createdAt').execute();
      expect(entries).toEqual([
        { action: 'grade', details: { assignmentId: a.id, studentId: s.ana.id, version: 1, points: 17, accepted: true, regraded: false } },
        { action: 'grade', details: { assignmentId: a.id, studentId: s.ana.id, version: 1, points: 0, accepted: false, regraded: true } },
      ]);
    });

    itWithoutBytes('answers STALE to a grade of an older version, 400 to bad points or versions, 403 to other teachers; writes nothing', async () => {
      const a = await newAssignment();
      const submission = await handIn(s.ana.token, a.id, { text: 'v1' });
      await handIn(s.ana.token, a.id, { text: 'v2' });
      const before = await state();
      const cases: [string, Record<string, unknown>, number, Record<string, unknown>][] = [
        [s.teacher.token, { points: 10, version: 1 }, 409, { code: 'STALE', message: 'The student has handed in version 2 since version 1; grade that one', version: 2 }],
        [s.teacher.token, { points: 10, version: 3 }, 400, { code: 'VALIDATION_ERROR', details: [{ field: 'version', message: 'must be at most 2' }] }],
        [s.teacher.token, { points: 21, version: 2 }, 400, { code: 'VALIDATION_ERROR', message: "points must be at most 20, the assignment's maxPoints", details: [{ field: 'points', message: 'must be <= 20' }] }],
        [s.teacher.token, { points: -1, version: 2 }, 400, { details: [{ field: 'points', message: 'must be >= 0' }] }],
        [s.teacher.token, { points: 1.5, version: 2 }, 400, { details: [{ field: 'points', message: 'must be integer' }] }],
        [s.teacher.token, { points: 5 }, 400, { details: [{ field: 'version', message: "must have required property 'version'" }] }],
        [s.outsider.token, { points: 5, version: 2 }, 403, { code: 'FORBIDDEN' }],
        [s.homeroom.token, { points: 5, version: 2 }, 403, { code: 'FORBIDDEN' }],
        [s.ana.token, { points: 5, version: 2 }, 403, { code: 'FORBIDDEN' }],
      ];
      for (const [token, body, status, answer] of cases) {
        const response = await as(token).post(`/api/submissions/${submission.id}/grade`, body);
        expect(response.statusCode, `${JSON.stringify(body)} ${response.body}`).toBe(status);
        expectErrorShape(response);
        expect(response.data).toEqual(expect.objectContaining(answer));
      }
      expect((await as(s.teacher.token).post(`/api/submissions/${randomUUID()}/grade`, { points: 1, version: 1 })).statusCode).toBe(404);
      expect(await state()).toEqual(before);
    });

    itWithoutBytes('a grade racing a resubmission: one wins, the other sees it (STALE or ALREADY_GRADED), never both', async () => {
      for (let round = 0; round < 6; round++) {
        const a = await newAssignment();
        const submission = await handIn(s.ben.token, a.id, { text: 'v1' });
        const [graded, resubmitted] = await Promise.all([
          as(s.teacher.token).post(`/api/submissions/${submission.id}/grade`, { points: 5, version: 1 }),
          as(s.ben.token).post(`/api/assignments/${a.id}/submissions`, { text: 'v2' }),
        ]);
        const row = await tenant().selectFrom('submissions').select(['status', 'version', 'gradedVersion']).where('id', '=', submission.id).executeTakeFirstOrThrow();
        if (graded.statusCode === 200) {
          expect(resubmitted.data.code).toBe('ALREADY_GRADED');
          expect(row).toEqual({ status: 'graded', version: 1, gradedVersion: 1 });
        } else {
          expect(graded.data).toMatchObject({ code: 'STALE', version: 2 });
          expect(resubmitted.statusCode).toBe(201);
          expect(row).toEqual({ status: 'submitted', version: 2, gradedVersion: null });
        }
      }
    });

    itWithoutBytes('two first hand-ins at once make one submission with two versions', async () => {
      const a = await newAssignment();
      const answers = await Promise.all([1, 2, 3].map((n) => as(s.ana.token).post(`/api/assignments/${a.id}/submissions`, { text: `try ${n}` })));
      expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201, 201]);
      const rows = await tenant().selectFrom('submissions').select(['id', 'version']).where('assignmentId', '=', a.id).execute();
      expect(rows).toEqual([{ id: answers[0]!.data.id, version: 3 }]);
      expect((await tenant().selectFrom('submissionVersions').select('version').where('submissionId', '=', rows[0]!.id).orderBy('version').execute()).map((r) => r.version)).toEqual([1, 2, 3]);
    });
  });

  describe('handing back', () => {
    itWithoutBytes('clears the grade, shows the feedback, and lets the student submit again even past due (late)', async () => {
      const a = await newAssignment();
      const submission = await handIn(s.ana.token, a.id, { text: 'v1' });
      await as(s.teacher.token).post(`/api/submissions/${submission.id}/grade`, { points: 3, version: 1 });
      const back = await as(s.teacher.token).post(`/api/submissions/${submission.id}/reassign`, { feedback: 'Add sources' });
      expect(back.statusCode, back.body).toBe(200);
      expect(back.data).toEqual({ ...submission, status: 'reassigned', points: null, feedback: 'Add sources', accepted: null, gradedAt: null });
      const twice = await as(s.teacher.token).post(`/api/submissions/${submission.id}/reassign`, { feedback: 'Again' });
      expect(twice.statusCode).toBe(409);
      expect(twice.data).toEqual({ code: 'CONFLICT', message: 'This submission has already been handed back and not submitted again since' });
      expect((await as(s.teacher.token).post(`/api/submissions/${submission.id}/reassign`, { feedback: '  ' })).data.details).toEqual([{ field: 'feedback', message: 'must match pattern "\\S"' }]);
      expect((await as(s.outsider.token).post(`/api/submissions/${submission.id}/reassign`, { feedback: 'x' })).statusCode).toBe(403);

      await setDueAt(ctx.app, ctx.school, a.id, new Date(Date.now() - HOUR));
      const redone = await handIn(s.ana.token, a.id, { text: 'v2 with sources' });
      expect(redone).toMatchObject({ status: 'submitted', version: 2, late: true, feedback: 'Add sources', points: null });
      const entry = await tenant().selectFrom('activityLogs').select(['details', 'userId']).where('targetId', '=', submission.id).where('action', '=', 'reassign').executeTakeFirst();
      expect(entry).toEqual({ userId: s.teacher.id, details: { assignmentId: a.id, studentId: s.ana.id, version: 1, previousStatus: 'graded' } });
    });
  });

  describe('where students stand', () => {
    itWithoutBytes('lists one row per student of its classes for its teacher, and each student their own standing, sorted by due date', async () => {
      const school = await registerInstitution(ctx.app);
      const local = await assignmentSchool(ctx.app, school);
      const post = (token: string, url: string, body: unknown) => call(ctx.app, 'POST', url, { token, body });
      const make = async (title: string, hours: number, extra: Record<string, unknown> = {}) =>
        (await post(local.teacher.token, '/api/assignments', { title, classIds: [local.classA.id], dueAt: fromNow(hours * HOUR), maxPoints: 10, ...extra })).data as { id: string };
      const done = await make('Done', 1);
      await make('Open', 3);
      const overdue = await make('Overdue', 2, { allowLate: true });
      const back = await make('Back', 4);
      const anaDone = (await post(local.ana.token, `/api/assignments/${done.id}/submissions`, { text: 'x' })).data;
      await post(local.teacher.token, `/api/submissions/${anaDone.id}/grade`, { points: 9, feedback: 'Nice', version: 1 });
      await post(local.ben.token, `/api/assignments/${done.id}/submissions`, { text: 'y' });
      const anaBack = (await post(local.ana.token, `/api/assignments/${back.id}/submissions`, { text: 'z' })).data;
      await post(local.teacher.token, `/api/submissions/${anaBack.id}/reassign`, { feedback: 'Redo' });
      await setDueAt(ctx.app, school, overdue.id, new Date(Date.now() - HOUR));
      await post(local.ben.token, `/api/assignments/${overdue.id}/submissions`, { text: 'late' });

      const mine = await call(ctx.app, 'GET', '/api/assignments/my-assignments', { token: local.ana.token });
      expect(mine.statusCode).toBe(200);
      expectExactShape(MyAssignments, mine.data);
      const standing = (mine.data as unknown as Record<string, unknown>[]).map(({ title, status, late, points, feedback, submissionId }) => ({ title, status, late, points, feedback, submissionId }));
      expect(standing).toEqual([
        { title: 'Overdue', status: 'missing', late: false, points: null, feedback: null, submissionId: null },
        { title: 'Done', status: 'graded', late: false, points: 9, feedback: 'Nice', submissionId: anaDone.id },
        { title: 'Open', status: 'pending', late: false, points: null, feedback: null, submissionId: null },
        { title: 'Back', status: 'reassigned', late: false, points: null, feedback: 'Redo', submissionId: anaBack.id },
      ]);
      expect((mine.data as unknown as Record<string, unknown>[])[1]).toEqual({
        id: done.id,
        title: 'Done',
        subject: null,
        teacher: { id: local.teacher.id, name: local.teacher.name },
        dueAt: expect.any(String),
        maxPoints: 10,
        allowLate: false,
        status: 'graded',
        late: false,
        submissionId: anaDone.id,
        submittedAt: expect.any(String),
        points: 9,
        feedback: 'Nice',
        gradedAt: expect.any(String),
      });
      const cleo = await call(ctx.app, 'GET', '/api/assignments/my-assignments', { token: local.cleo.token });
      expect(cleo.data).toEqual([]);

      const teacherView = await call(ctx.app, 'GET', '/api/assignments/my-assignments', { token: local.teacher.token });
      expect((teacherView.data as unknown as { title: string; counts: unknown }[]).map(({ title, counts }) => ({ title, counts }))).toEqual([
        { title: 'Overdue', counts: { students: 2, submitted: 1, graded: 0, late: 1, missing: 1 } },
        { title: 'Done', counts: { students: 2, submitted: 2, graded: 1, late: 0, missing: 0 } },
        { title: 'Open', counts: { students: 2, submitted: 0, graded: 0, late: 0, missing: 0 } },
        { title: 'Back', counts: { students: 2, submitted: 0, graded: 0, late: 0, missing: 0 } },
      ]);

      const roster = await call(ctx.app, 'GET', `/api/assignments/${overdue.id}/submissions`, { token: local.teacher.token });
      expect(roster.statusCode).toBe(200);
      expectExactShape(RosterList, roster.data);
      const benSubmission = await tenantDb(ctx.app.db, school.schemaName).selectFrom('submissions').select(['id', 'submittedAt']).where('assignmentId', '=', overdue.id).executeTakeFirstOrThrow();
      expect(roster.data).toEqual({
        items: [
          { student: { id: local.ana.id, name: local.ana.name }, class: local.classA, status: 'missing', late: false, submissionId: null, version: null, submittedAt: null, points: null, feedback: null },
          { student: { id: local.ben.id, name: local.ben.name }, class: local.classA, status: 'submitted', late: true, submissionId: benSubmission.id, version: 1, submittedAt: benSubmission.submittedAt, points: null, feedback: null },
        ],
        total: 2,
        page: 1,
        limit: 50,
      });
      const second = await call(ctx.app, 'GET', `/api/assignments/${overdue.id}/submissions?limit=1&page=2`, { token: school.adminToken });
      expect(second.data).toMatchObject({ items: [{ student: { id: local.ben.id } }], total: 2, page: 2, limit: 1 });
      // A student who moved to class B keeps their row (their work is still there to grade).
      await call(ctx.app, 'POST', `/api/classes/${local.classB.id}/students`, { token: school.adminToken, body: { studentIds: [local.ben.id], move: true } });
      const moved = await call(ctx.app, 'GET', `/api/assignments/${overdue.id}/submissions`, { token: local.teacher.token });
      expect(moved.data.items.map((row: { student: { id: string }; class: unknown }) => [row.student.id, row.class])).toEqual([
        [local.ana.id, local.classA],
        [local.ben.id, local.classB],
      ]);
      expect((await call(ctx.app, 'GET', `/api/assignments/${overdue.id}/submissions`, { token: local.outsider.token })).statusCode).toBe(403);
    });
  });

  describe('the gradebook', () => {
    itWithoutBytes('shows students x assignments with points, as JSON and as CSV safe from formulas', async () => {
      const school = await registerInstitution(ctx.app);
      const local = await assignmentSchool(ctx.app, school);
      const post = (token: string, url: string, body: unknown) => call(ctx.app, 'POST', url, { token, body });
      const first = (await post(local.teacher.token, '/api/assignments', { title: '=HYPERLINK("http://evil")', classIds: [local.classA.id], dueAt: fromNow(HOUR), maxPoints: 10 })).data;
      const second = (await post(local.teacher.token, '/api/assignments', { title: 'Essay, "long"', classIds: [local.classA.id], dueAt: fromNow(2 * HOUR) })).data;
      await post(school.adminToken, '/api/assignments', { title: 'Other class', classIds: [local.classB.id], dueAt: fromNow(HOUR), teacherId: local.outsider.id });
      const anaWork = (await post(local.ana.token, `/api/assignments/${first.id}/submissions`, { text: 'x' })).data;
      await post(local.teacher.token, `/api/submissions/${anaWork.id}/grade`, { points: 7, version: 1 });
      await post(local.ben.token, `/api/assignments/${first.id}/submissions`, { text: 'not graded yet' });
      await call(ctx.app, 'PATCH', `/api/users/${local.ben.id}`, { token: school.adminToken, body: { name: '@Ben+1' } });

      const book = await call(ctx.app, 'GET', `/api/classes/${local.classA.id}/gradebook`, { token: local.teacher.token });
      expect(book.statusCode, book.body).toBe(200);
      expectExactShape(Gradebook, book.data);
      const [anaFirst, benFirst] = [local.ana, { ...local.ben, name: '@Ben+1' }].sort((x, y) => x.name.toLowerCase().localeCompare(y.name.toLowerCase()));
      expect(book.data).toEqual({
        class: local.classA,
        assignments: [
          { id: first.id, title: '=HYPERLINK("http://evil")', dueAt: first.dueAt, maxPoints: 10 },
          { id: second.id, title: 'Essay, "long"', dueAt: second.dueAt, maxPoints: 100 },
        ],
        students: [anaFirst, benFirst].map((student) => ({ id: student!.id, name: student!.name, points: student!.id === local.ana.id ? [7, null] : [null, null] })),
      });

      const csv = await call(ctx.app, 'GET', `/api/classes/${local.classA.id}/gradebook`, { token: school.adminToken, headers: { accept: 'text/csv' } });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="gradebook.csv"');
      const rows = { [local.ana.id]: `${local.ana.name},7,`, [local.ben.id]: `'@Ben+1,,` };
      expect(csv.body).toBe(
        [`Student,"'=HYPERLINK(""http://evil"") (/10)","Essay, ""long"" (/100)"`, ...[anaFirst, benFirst].map((student) => rows[student!.id])].join('\r\n') + '\r\n',
      );

      // The homeroom teacher reads it; a teacher with nothing to do with the class does not; students never.
      expect((await call(ctx.app, 'GET', `/api/classes/${local.classA.id}/gradebook`, { token: local.homeroom.token })).statusCode).toBe(200);
      expect((await call(ctx.app, 'GET', `/api/classes/${local.classA.id}/gradebook`, { token: local.outsider.token })).statusCode).toBe(403);
      expect((await call(ctx.app, 'GET', `/api/classes/${local.classA.id}/gradebook`, { token: local.ana.token })).statusCode).toBe(403);
      expect((await call(ctx.app, 'GET', `/api/classes/${randomUUID()}/gradebook`, { token: school.adminToken })).data).toEqual({ code: 'NOT_FOUND', message: 'Class not found' });
      // The outsider set work for class B, so reads its gradebook.
      expect((await call(ctx.app, 'GET', `/api/classes/${local.classB.id}/gradebook`, { token: local.outsider.token })).statusCode).toBe(200);
    });

    itWithoutBytes('escapes every cell a spreadsheet would run', () => {
      expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'plain', 'a,b', 'say "hi"', 'line\nbreak'].map(csvCell)).toEqual([
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        `"'\rx"`,
        'plain',
        '"a,b"',
        '"say ""hi"""',
        '"line\nbreak"',
      ]);
      expect([0, 7, null].map(csvCell)).toEqual(['0', '7', '']);
    });
  });

  describe('another institution', () => {
    itWithoutBytes('cannot hand in, read or grade', async () => {
      const a = await newAssignment();
      const submission = await handIn(s.ana.token, a.id, { text: 'mine' });
      const other = await registerInstitution(ctx.app);
      const student = await createMember(ctx.app, other, 'student');
      expect((await as(student.token).post(`/api/assignments/${a.id}/submissions`, { text: 'x' })).statusCode).toBe(404);
      expect((await as(student.token).get(`/api/submissions/${submission.id}`)).statusCode).toBe(404);
      expect((await as(other.adminToken).post(`/api/submissions/${submission.id}/grade`, { points: 1, version: 1 })).statusCode).toBe(404);
    });
  });
});
