import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { multipartBody, STORAGE_DRIVERS, uploadIds, useStorage } from '../../../test/files.js';
import { call, createMember, expectErrorShape, expectExactShape, registerInstitution } from '../../../test/helpers.js';
import { MissingFileError } from '../../lib/storage/storage.js';
import { sweepOrphanFiles } from '../files/sweep.js';
import { AssignmentList, MyAssignments } from './schemas.js';
import { assignmentSchool, fromNow, HOUR, instant, setDueAt, useAssignmentSchool } from './test-school.js';

describe.each(STORAGE_DRIVERS)('assignments on the %s storage', (driver) => {
  const storage = useStorage(driver);
  // What stores, reads or deletes bytes runs on both drivers; rules that store no bytes would run
  // the same on both, so they run on the local one only.
  const itWithoutBytes = it.runIf(driver === 'local');
  const fixture = useAssignmentSchool(storage.env);
  const { ctx, s, as, tenant } = fixture;
  const state = () => fixture.state(['assignments', 'assignmentClasses', 'assignmentFiles', 'submissions', 'submissionVersions', 'submissionVersionFiles', 'files', 'activityLogs']);

  const logs = (targetId: string) =>
    tenant().selectFrom('activityLogs').select(['action', 'targetType', 'targetName', 'details', 'userId']).where('targetId', '=', targetId).orderBy('createdAt').execute();

  /** The stored keys of the school's files (`<institution>/<file id>`). */
  const stored = () => storage.stored(ctx.app, ctx.school.id);
  const keysOf = (ids: string[]) => ids.map((id) => `${ctx.school.id}/${id}`);

  /** Uploads a text file per name, its text the name without `.txt`, and returns their ids in order. */
  const uploadTexts = (token: string, ...names: string[]) =>
    uploadIds(ctx.app, token, names.map((name) => ({ name, content: Buffer.from(name.replace(/\.txt$/, '')) })));

  async function createAssignment(token: string, body: Record<string, unknown>) {
    const response = await as(token).post('/api/assignments', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.data as Record<string, any> & { id: string };
  }

  describe('creating assignments', () => {
    it('lets a teacher set work for a class they teach, with files, and shows it whole; logged', async () => {
      expect(ctx.app.fileStorage.driver).toBe(driver);
      const fileIds = await uploadIds(ctx.app, s.teacher.token, [
        { name: 'sheet.pdf', content: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') },
        { name: 'notes.txt', content: Buffer.from('read chapter 3') },
      ]);
      const dueAt = fromNow(48 * HOUR);
      const response = await as(s.teacher.token).post('/api/assignments', {
        title: '  Fractions  ',
        description: '# Exercises\n1, 2 and 3',
        subjectId: s.subject.id,
        classIds: [s.classA.id],
        dueAt,
        fileIds,
      });
      expect(response.statusCode, response.body).toBe(201);
      const { id } = response.data;
      expect(response.data).toEqual({
        id: expect.any(String),
        title: 'Fractions',
        description: '# Exercises\n1, 2 and 3',
        subject: s.subject,
        classes: [s.classA],
        teacher: { id: s.teacher.id, name: s.teacher.name },
        dueAt: instant(dueAt),
        maxPoints: 100,
        allowLate: false,
        files: [
          { id: fileIds[1], name: 'notes.txt', size: 14, contentType: 'text/plain; charset=utf-8' },
          { id: fileIds[0], name: 'sheet.pdf', size: 35, contentType: 'application/pdf' },
        ],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await tenant().selectFrom('assignmentFiles').select('fileId').where('assignmentId', '=', id).orderBy('fileId').execute()).toEqual(
        [...fileIds].sort().map((fileId) => ({ fileId })),
      );
      expect(await logs(id)).toEqual([
        {
          action: 'create',
          targetType: 'assignment',
          targetName: 'Fractions',
          userId: s.teacher.id,
          details: { teacherId: s.teacher.id, classIds: [s.classA.id], subjectId: s.subject.id, dueAt: response.data.dueAt, maxPoints: 100, allowLate: false, fileIds },
        },
      ]);
      // Every teacher reads it; students of its class too, with its files' bytes; the homeroom teacher of the class may set work there as well.
      for (const reader of [s.outsider, s.ana]) expect((await as(reader.token).get(`/api/assignments/${id}`)).data).toEqual(response.data);
      expect(await stored()).toEqual(expect.arrayContaining(keysOf(fileIds)));
      expect(await as(s.ana.token).get(`/api/files/${fileIds[1]}`)).toMatchObject({ statusCode: 200, body: 'read chapter 3' });
      await createAssignment(s.homeroom.token, { title: 'Class rules', classIds: [s.classA.id], dueAt, maxPoints: 1000, allowLate: true });
    });

    itWithoutBytes('lets an admin set work for any class in the name of a teacher', async () => {
      const dueAt = fromNow(HOUR);
      const created = await createAssignment(ctx.school.adminToken, { title: 'Reading', classIds: [s.classA.id, s.classB.id], dueAt, teacherId: s.outsider.id, maxPoints: 1 });
      expect(created).toMatchObject({ teacher: { id: s.outsider.id, name: s.outsider.name }, maxPoints: 1, classes: expect.arrayContaining([s.classA, s.classB]) });
      const missing = await as(ctx.school.adminToken).post('/api/assignments', { title: 'Reading', classIds: [s.classA.id], dueAt });
      expect(missing.statusCode).toBe(400);
      expect(missing.data).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'Admins name the teacher the assignment belongs to',
        details: [{ field: 'teacherId', message: 'is required when an admin sets work' }],
      });
      const student = await as(ctx.school.adminToken).post('/api/assignments', { title: 'Reading', classIds: [s.classA.id], dueAt, teacherId: s.ana.id });
      expect(student.statusCode).toBe(400);
      expect(student.data.details).toEqual([{ field: 'teacherId', message: 'must be an active teacher of this institution' }]);
    });

    itWithoutBytes('refuses classes the teacher does not teach, or another teacher as owner (403), and writes nothing', async () => {
      const before = await state();
      const dueAt = fromNow(HOUR);
      const untaught = await as(s.teacher.token).post('/api/assignments', { title: 'X', classIds: [s.classA.id, s.classB.id], dueAt });
      expect(untaught.statusCode).toBe(403);
      expect(untaught.data).toEqual({
        code: 'FORBIDDEN',
        message: 'Teachers set work only for the classes they teach or lead',
        details: [{ field: 'classIds.1', message: `you do not teach ${s.classB.name}` }],
      });
      const otherOwner = await as(s.teacher.token).post('/api/assignments', { title: 'X', classIds: [s.classA.id], dueAt, teacherId: s.outsider.id });
      expect(otherOwner.statusCode).toBe(403);
      expect(otherOwner.data).toEqual({ code: 'FORBIDDEN', message: 'Teachers set work in their own name only' });
      const student = await as(s.ana.token).post('/api/assignments', { title: 'X', classIds: [s.classA.id], dueAt });
      expect(student.statusCode).toBe(403);
      expect(await state()).toEqual(before);
    });

    itWithoutBytes('rejects bad input with a detail per field, and writes nothing', async () => {
      const before = await state();
      const valid = { title: 'Essay', classIds: [s.classA.id], dueAt: fromNow(HOUR) };
      const unknownClass = randomUUID();
      const unknownSubject = randomUUID();
      const cases: [Record<string, unknown>, { field: string; message: string }[]][] = [
        [{ ...valid, title: '' }, [{ field: 'title', message: 'must NOT have fewer than 1 characters' }]],
        [{ ...valid, title: 't'.repeat(201) }, [{ field: 'title', message: 'must NOT have more than 200 characters' }]],
        [{ ...valid, title: '   ' }, [{ field: 'title', message: 'must not be blank' }]],
        [{ ...valid, description: 'd'.repeat(20_001) }, [{ field: 'description', message: 'must NOT have more than 20000 characters' }]],
        [{ ...valid, classIds: [] }, [{ field: 'classIds', message: 'must NOT have fewer than 1 items' }]],
        [{ ...valid, classIds: Array.from({ length: 21 }, () => randomUUID()) }, [{ field: 'classIds', message: 'must NOT have more than 20 items' }]],
        [{ ...valid, classIds: [s.classA.id, s.classA.id] }, [{ field: 'classIds', message: 'must NOT have duplicate items (items ## 1 and 0 are identical)' }]],
        [{ ...valid, dueAt: 'tomorrow' }, [{ field: 'dueAt', message: 'must match format "date-time"' }]],
        [{ ...valid, maxPoints: 0 }, [{ field: 'maxPoints', message: 'must be >= 1' }]],
        [{ ...valid, maxPoints: 1001 }, [{ field: 'maxPoints', message: 'must be <= 1000' }]],
        [{ ...valid, fileIds: Array.from({ length: 6 }, () => randomUUID()) }, [{ field: 'fileIds', message: 'must NOT have more than 5 items' }]],
        [{ ...valid, points: 3 }, [{ field: 'points', message: 'is not an allowed field' }]],
        [{ title: 'Essay', dueAt: fromNow(HOUR) }, [{ field: 'classIds', message: "must have required property 'classIds'" }]],
        [
          { ...valid, classIds: [s.classA.id, unknownClass], subjectId: unknownSubject, dueAt: fromNow(-HOUR) },
          [
            { field: 'dueAt', message: 'must be in the future' },
            { field: 'classIds.1', message: `no class ${unknownClass} in this institution` },
            { field: 'subjectId', message: `no subject ${unknownSubject} in this institution` },
          ],
        ],
      ];
      for (const [body, details] of cases) {
        const response = await as(s.teacher.token).post('/api/assignments', body);
        expect(response.statusCode, JSON.stringify(body).slice(0, 200)).toBe(400);
        expectErrorShape(response);
        expect(response.data, JSON.stringify(body).slice(0, 200)).toMatchObject({ code: 'VALIDATION_ERROR', details });
      }
      // Files must be the caller's own uploads.
      const [others] = await uploadIds(ctx.app, s.outsider.token);
      const filesBefore = await state();
      const foreign = await as(s.teacher.token).post('/api/assignments', { ...valid, fileIds: [others] });
      expect(foreign.statusCode).toBe(400);
      expect(foreign.data.details).toEqual([{ field: 'fileIds.0', message: `the file ${others} does not exist or was not uploaded by you` }]);
      expect(await state()).toEqual(filesBefore);
      expect({ ...(await state()), files: before.files, activityLogs: before.activityLogs }).toEqual(before);
    });
  });

  describe('reading and listing', () => {
    itWithoutBytes('answers 404 to a student for an assignment not set for their class, as for an unknown id', async () => {
      const a = await createAssignment(s.teacher.token, { title: 'Only A', classIds: [s.classA.id], dueAt: fromNow(HOUR) });
      const foreign = await as(s.cleo.token).get(`/api/assignments/${a.id}`);
      const unknown = await as(s.cleo.token).get(`/api/assignments/${randomUUID()}`);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.data).toEqual({ code: 'NOT_FOUND', message: 'Assignment not found' });
      expect(unknown.data).toEqual(foreign.data);
    });

    itWithoutBytes('pages by due date with filters; a student sees only their class', async () => {
      const school = await registerInstitution(ctx.app);
      const local = await assignmentSchool(ctx.app, school);
      const make = (token: string, body: Record<string, unknown>) =>
        call(ctx.app, 'POST', '/api/assignments', { token, body }).then((r) => {
          expect(r.statusCode, r.body).toBe(201);
          return r.data as { id: string; dueAt: string };
        });
      const late = await make(local.teacher.token, { title: 'Late', subjectId: local.subject.id, classIds: [local.classA.id], dueAt: fromNow(30 * HOUR) });
      await make(local.teacher.token, { title: 'Soon', classIds: [local.classA.id], dueAt: fromNow(2 * HOUR) });
      await make(school.adminToken, { title: 'For B', classIds: [local.classB.id], dueAt: fromNow(10 * HOUR), teacherId: local.outsider.id });
      const past = await make(local.teacher.token, { title: 'Past', classIds: [local.classA.id], dueAt: fromNow(HOUR) });
      await setDueAt(ctx.app, school, past.id, new Date(Date.now() - HOUR));

      const list = async (token: string, query = '') => {
        const response = await call(ctx.app, 'GET', `/api/assignments${query}`, { token });
        expect(response.statusCode, response.body).toBe(200);
        expectExactShape(AssignmentList, response.data);
        return response.data as { items: { id: string; title: string }[]; total: number; page: number; limit: number };
      };
      const titles = (page: { items: { title: string }[] }) => page.items.map((item) => item.title);
      expect(titles(await list(local.outsider.token))).toEqual(['Past', 'Soon', 'For B', 'Late']);
      const first = await list(local.outsider.token, '?limit=2&page=2');
      expect({ ...first, items: titles(first) }).toEqual({ items: ['For B', 'Late'], total: 4, page: 2, limit: 2 });
      expect(titles(await list(school.adminToken, `?classId=${local.classB.id}`))).toEqual(['For B']);
      expect(titles(await list(school.adminToken, `?subjectId=${local.subject.id}`))).toEqual(['Late']);
      expect(titles(await list(school.adminToken, `?teacherId=${local.outsider.id}`))).toEqual(['For B']);
      expect(titles(await list(school.adminToken, '?due=upcoming'))).toEqual(['Soon', 'For B', 'Late']);
      expect(titles(await list(school.adminToken, '?due=past'))).toEqual(['Past']);
      expect(titles(await list(local.ana.token))).toEqual(['Past', 'Soon', 'Late']);
      expect(titles(await list(local.cleo.token))).toEqual(['For B']);
      expect(titles(await list(local.cleo.token, `?classId=${local.classA.id}`))).toEqual([]);
      const item = (await list(local.ana.token, `?subjectId=${local.subject.id}`)).items[0];
      expect(item).toEqual({
        id: late.id,
        title: 'Late',
        subject: local.subject,
        classes: [local.classA],
        teacher: { id: local.teacher.id, name: local.teacher.name },
        dueAt: late.dueAt,
        maxPoints: 100,
        allowLate: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const bad = await call(ctx.app, 'GET', '/api/assignments?due=soon', { token: school.adminToken });
      expect(bad.statusCode).toBe(400);
      // A teacher's own list with counts: nothing handed in, Past is missing for both students.
      const mine = await call(ctx.app, 'GET', '/api/assignments/my-assignments', { token: local.teacher.token });
      expectExactShape(MyAssignments, mine.data);
      expect((mine.data as unknown as { title: string; counts: unknown }[]).map(({ title, counts }) => ({ title, counts }))).toEqual([
        { title: 'Past', counts: { students: 2, submitted: 0, graded: 0, late: 0, missing: 2 } },
        { title: 'Soon', counts: { students: 2, submitted: 0, graded: 0, late: 0, missing: 0 } },
        { title: 'Late', counts: { students: 2, submitted: 0, graded: 0, late: 0, missing: 0 } },
      ]);
      const adminMine = await call(ctx.app, 'GET', '/api/assignments/my-assignments', { token: school.adminToken });
      expect(adminMine.statusCode).toBe(403);
    });
  });

  describe('changing assignments', () => {
    it('lets its teacher change fields, classes and files; dropped files nothing holds are deleted with their bytes; logged', async () => {
      const [keep, drop] = (await uploadTexts(s.teacher.token, 'keep.txt', 'drop.txt')) as [string, string];
      const [added] = (await uploadTexts(s.teacher.token, 'added.txt')) as [string];
      const a = await createAssignment(s.teacher.token, { title: 'Draft', classIds: [s.classA.id], dueAt: fromNow(HOUR), fileIds: [keep, drop] });
      const dueAt = fromNow(72 * HOUR);
      const response = await as(s.teacher.token).patch(`/api/assignments/${a.id}`, {
        title: ' Final ',
        description: null,
        subjectId: s.subject.id,
        dueAt,
        maxPoints: 10,
        allowLate: true,
        fileIds: [keep, added],
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.data).toEqual({
        ...a,
        title: 'Final',
        description: null,
        subject: s.subject,
        dueAt: instant(dueAt),
        maxPoints: 10,
        allowLate: true,
        files: [expect.objectContaining({ id: added, name: 'added.txt' }), expect.objectContaining({ id: keep, name: 'keep.txt' })],
        updatedAt: expect.any(String),
      });
      expect(await tenant().selectFrom('files').select('id').where('id', 'in', [keep, drop, added]).orderBy('id').execute()).toEqual(
        [keep, added].sort().map((id) => ({ id })),
      );
      expect((await call(ctx.app, 'GET', `/api/files/${drop}`, { token: s.teacher.token })).statusCode).toBe(404);
      const keys = await stored();
      expect(keys).toEqual(expect.arrayContaining(keysOf([keep, added])));
      expect(keys).not.toContain(keysOf([drop])[0]);
      expect((await logs(a.id)).at(-1)).toMatchObject({ action: 'update', userId: s.teacher.id, details: { title: 'Final', previousTitle: 'Draft', deletedFileIds: [drop] } });
    });

    itWithoutBytes('refuses other teachers (403), teachers who no longer teach its classes, classes they do not teach, and maxPoints below a grade', async () => {
      const a = await createAssignment(s.teacher.token, { title: 'Guarded', classIds: [s.classA.id], dueAt: fromNow(HOUR) });
      const before = await state();
      const other = await as(s.outsider.token).patch(`/api/assignments/${a.id}`, { title: 'Mine now' });
      expect(other.statusCode).toBe(403);
      expect(other.data).toEqual({ code: 'FORBIDDEN', message: 'You do not have permission to do this' });
      const addB = await as(s.teacher.token).patch(`/api/assignments/${a.id}`, { classIds: [s.classA.id, s.classB.id] });
      expect(addB.statusCode).toBe(403);
      expect(addB.data.details).toEqual([{ field: 'classIds.1', message: `you do not teach ${s.classB.name}` }]);
      const past = await as(s.teacher.token).patch(`/api/assignments/${a.id}`, { dueAt: fromNow(-HOUR) });
      expect(past.statusCode).toBe(400);
      expect(past.data.details).toEqual([{ field: 'dueAt', message: 'must be in the future' }]);
      const empty = await as(s.teacher.token).patch(`/api/assignments/${a.id}`, {});
      expect(empty.statusCode).toBe(400);
      expect(await as(s.ana.token).patch(`/api/assignments/${a.id}`, { title: 'x' })).toMatchObject({ statusCode: 403 });
      expect(await state()).toEqual(before);

      // An admin may move it to class B and to another teacher; the old teacher then cannot change it.
      const moved = await as(ctx.school.adminToken).patch(`/api/assignments/${a.id}`, { classIds: [s.classB.id] });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.data.classes).toEqual([s.classB]);
      const stale = await as(s.teacher.token).patch(`/api/assignments/${a.id}`, { title: 'Still mine?' });
      expect(stale.statusCode).toBe(403);
      expect((await as(s.teacher.token).delete(`/api/assignments/${a.id}`)).statusCode).toBe(403);
      const handed = await as(ctx.school.adminToken).patch(`/api/assignments/${a.id}`, { teacherId: s.homeroom.id, classIds: [s.classA.id] });
      expect(handed.data.teacher).toEqual({ id: s.homeroom.id, name: s.homeroom.name });

      // maxPoints cannot go below a grade given.
      const submitted = await as(s.ana.token).post(`/api/assignments/${a.id}/submissions`, { text: 'done' });
      expect(submitted.statusCode, submitted.body).toBe(201);
      expect((await as(s.homeroom.token).post(`/api/submissions/${submitted.data.id}/grade`, { points: 80, version: 1 })).statusCode).toBe(200);
      const lower = await as(s.homeroom.token).patch(`/api/assignments/${a.id}`, { maxPoints: 79 });
      expect(lower.statusCode).toBe(409);
      expect(lower.data).toEqual({ code: 'CONFLICT', message: 'A submission has been given 80 points; maxPoints cannot be lower than that' });
      expect((await as(s.homeroom.token).patch(`/api/assignments/${a.id}`, { maxPoints: 80 })).statusCode).toBe(200);
    });
  });

  describe('uploading files to an assignment', () => {
    it('stores multipart files through the files module and attaches them, up to 5 per assignment', async () => {
      const a = await createAssignment(s.teacher.token, { title: 'With uploads', classIds: [s.classA.id], dueAt: fromNow(HOUR) });
      const send = (token: string, names: string[]) => {
        const { payload, headers } = multipartBody(names.map((name) => ({ name, content: Buffer.from(`text of ${name}`) })));
        return call(ctx.app, 'POST', `/api/assignments/${a.id}/upload`, { token, body: payload, headers });
      };
      const first = await send(s.teacher.token, ['one.txt', 'two.txt', 'three.txt']);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.data.files.map((file: { name: string }) => file.name)).toEqual(['one.txt', 'three.txt', 'two.txt']);
      const uploaded = (first.data.files as { id: string }[]).map((file) => file.id);
      expect((await logs(a.id)).at(-1)).toMatchObject({ action: 'attach-files', details: { fileIds: expect.arrayContaining(uploaded) } });
      // The files are readable by its class's students, not by another class's.
      const fileId = first.data.files[0].id as string;
      expect((await call(ctx.app, 'GET', `/api/files/${fileId}`, { token: s.ana.token })).statusCode).toBe(200);
      expect((await call(ctx.app, 'GET', `/api/files/${fileId}`, { token: s.homeroom.token })).statusCode).toBe(200);
      expect((await call(ctx.app, 'GET', `/api/files/${fileId}`, { token: s.cleo.token })).statusCode).toBe(404);

      expect(await call(ctx.app, 'GET', `/api/files/${fileId}`, { token: s.ana.token })).toMatchObject({ body: `text of ${first.data.files[0].name}` });

      const before = { ...(await state()), stored: await stored() };
      const tooMany = await send(s.teacher.token, ['four.txt', 'five.txt', 'six.txt']);
      expect(tooMany.statusCode).toBe(409);
      expect(tooMany.data).toEqual({ code: 'TOO_MANY_FILES', message: 'The assignment has 3 files; at most 5 can be attached', current: 3, requested: 3, max: 5 });
      // The refused upload is not kept: no file rows, no attachment, no bytes (only log entries of the upload and its discarding).
      expect({ ...(await state()), stored: await stored(), activityLogs: 0 }).toEqual({ ...before, activityLogs: 0 });
      const forbidden = await send(s.outsider.token, ['x.txt']);
      expect(forbidden.statusCode).toBe(403);
      expect({ ...(await state()), stored: await stored(), activityLogs: 0 }).toEqual({ ...before, activityLogs: 0 });
      const notMultipart = await as(s.teacher.token).post(`/api/assignments/${a.id}/upload`, { fileIds: [fileId] });
      expect(notMultipart.statusCode).toBe(415);
    });
  });

  describe('deleting assignments', () => {
    it('removes its submissions, versions and attachments, and the files nothing else holds, rows and bytes; logged', async () => {
      const [shared, own] = (await uploadTexts(s.teacher.token, 'shared.txt', 'own.txt')) as [string, string];
      const a = await createAssignment(s.teacher.token, { title: 'Doomed', classIds: [s.classA.id], dueAt: fromNow(HOUR), fileIds: [shared, own] });
      await createAssignment(s.teacher.token, { title: 'Keeps shared', classIds: [s.classA.id], dueAt: fromNow(HOUR), fileIds: [shared] });
      const [work] = (await uploadTexts(s.ana.token, 'work.txt')) as [string];
      const submission = await as(s.ana.token).post(`/api/assignments/${a.id}/submissions`, { text: 'v1', fileIds: [work] });
      expect((await as(s.ana.token).post(`/api/assignments/${a.id}/submissions`, { text: 'v2' })).statusCode).toBe(201);

      const response = await as(s.teacher.token).delete(`/api/assignments/${a.id}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.data).toEqual({ message: 'Assignment deleted' });
      expect(await tenant().selectFrom('assignments').select('id').where('id', '=', a.id).execute()).toEqual([]);
      expect(await tenant().selectFrom('assignmentClasses').select('classId').where('assignmentId', '=', a.id).execute()).toEqual([]);
      expect(await tenant().selectFrom('assignmentFiles').select('fileId').where('assignmentId', '=', a.id).execute()).toEqual([]);
      expect(await tenant().selectFrom('submissions').select('id').where('assignmentId', '=', a.id).execute()).toEqual([]);
      expect(await tenant().selectFrom('submissionVersions').select('id').where('submissionId', '=', submission.data.id).execute()).toEqual([]);
      expect((await tenant().selectFrom('files').select('id').where('id', 'in', [shared, own, work]).execute()).map((row) => row.id)).toEqual([shared]);
      for (const gone of [own, work]) {
        await expect(ctx.app.fileStorage.get(ctx.school.id, gone)).rejects.toThrow(MissingFileError);
      }
      expect(await stored()).toContain(keysOf([shared])[0]);
      expect((await logs(a.id)).at(-1)).toEqual({
        action: 'delete',
        targetType: 'assignment',
        targetName: 'Doomed',
        userId: s.teacher.id,
        details: { submissions: 1, deletedFileIds: expect.arrayContaining([own, work]) },
      });
      expect((await as(s.teacher.token).get(`/api/assignments/${a.id}`)).statusCode).toBe(404);
      expect((await as(s.teacher.token).delete(`/api/assignments/${a.id}`)).statusCode).toBe(404);
    });

    it("leaves the orphan sweep the files an assignment or a hand-in holds, and lets it take an upload nothing holds", async () => {
      const [sheet] = (await uploadTexts(s.teacher.token, 'sheet.txt')) as [string];
      const [work, stray] = (await uploadTexts(s.ana.token, 'work.txt', 'stray.txt')) as [string, string];
      const a = await createAssignment(s.teacher.token, { title: 'Swept around', classIds: [s.classA.id], dueAt: fromNow(HOUR), fileIds: [sheet] });
      expect((await as(s.ana.token).post(`/api/assignments/${a.id}/submissions`, { fileIds: [work] })).statusCode).toBe(201);

      const ttlMs = 24 * HOUR;
      await sweepOrphanFiles(ctx.app.db, ctx.app.fileStorage, { ttlMs, now: new Date(Date.now() + ttlMs + 60_000), log: ctx.app.log });
      expect((await tenant().selectFrom('files').select('id').where('id', 'in', [sheet, work, stray]).orderBy('id').execute()).map((row) => row.id)).toEqual([sheet, work].sort());
      const keys = await stored();
      expect(keys).toEqual(expect.arrayContaining(keysOf([sheet, work])));
      expect(keys).not.toContain(keysOf([stray])[0]);
    });

    itWithoutBytes('keeps classes, subjects and users with assignments from being deleted (409 IN_USE)', async () => {
      const school = await registerInstitution(ctx.app);
      const local = await assignmentSchool(ctx.app, school);
      const a = (await call(ctx.app, 'POST', '/api/assignments', { token: local.teacher.token, body: { title: 'Pin', subjectId: local.subject.id, classIds: [local.classA.id], dueAt: fromNow(HOUR) } })).data;
      await call(ctx.app, 'POST', `/api/assignments/${a.id}/submissions`, { token: local.ana.token, body: { text: 'x' } });
      const admin = (url: string) => call(ctx.app, 'DELETE', url, { token: school.adminToken });
      expect((await admin(`/api/classes/${local.classA.id}`)).data).toMatchObject({ code: 'IN_USE', references: { assignmentClasses: 1 } });
      expect((await admin(`/api/users/${local.ana.id}`)).data).toMatchObject({ code: 'IN_USE', references: { submissions: 1 } });
      expect((await admin(`/api/subjects/${local.subject.id}`)).data).toMatchObject({ code: 'IN_USE', references: { assignments: 1 } });
    });
  });

  describe('a teacher of another institution', () => {
    itWithoutBytes('cannot reach the assignment at all', async () => {
      const a = await createAssignment(s.teacher.token, { title: 'Private', classIds: [s.classA.id], dueAt: fromNow(HOUR) });
      const other = await registerInstitution(ctx.app);
      const stranger = await createMember(ctx.app, other, 'teacher');
      const response = await as(stranger.token).get(`/api/assignments/${a.id}`);
      expect(response.statusCode).toBe(404);
    });
  });
});
