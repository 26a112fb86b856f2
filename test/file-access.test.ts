import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromNow, HOUR, useAssignmentSchool } from '../src/modules/assignments/test-school.js';
import { uploadIds } from './files.js';
import { call, createMember, type TestUser } from './helpers.js';

/**
 * Downloads within one institution, across classes, as the assignments policy words them
 * (src/modules/assignments/policy.ts): an assignment's files are for its teacher, the teachers of
 * its classes (curriculum, lesson or homeroom) and their students; a submission's files for its
 * student, the assignment's teacher and the teachers of its classes. To anyone else a file does not
 * exist. Class A's `teacher` teaches it by curriculum, `homeroom` leads it; `outsider` teaches
 * neither class; ana and ben are in class A, cleo in class B (test-school.ts).
 */
const { ctx, s, as } = useAssignmentSchool();

/** Class A's assignment with the teacher's worksheet, and ana's and ben's hand-ins with a file each. */
const work = {} as { assignmentId: string; worksheet: string; anaFile: string; benFile: string; benSubmission: string };

async function handIn(student: TestUser, assignmentId: string, name: string) {
  const [fileId] = await uploadIds(ctx.app, student.token, [{ name, content: Buffer.from(`${name}\n`) }]);
  const response = await as(student.token).post(`/api/assignments/${assignmentId}/submissions`, { text: 'Done.', fileIds: [fileId] });
  expect(response.statusCode, response.body).toBe(201);
  return { fileId: fileId!, submissionId: response.data.id as string };
}

beforeAll(async () => {
  const [worksheet] = await uploadIds(ctx.app, s.teacher.token, [{ name: 'worksheet.txt', content: Buffer.from('Questions 1-5\n') }]);
  const created = await as(s.teacher.token).post('/api/assignments', { title: 'Fractions', classIds: [s.classA.id], dueAt: fromNow(HOUR), fileIds: [worksheet] });
  expect(created.statusCode, created.body).toBe(201);
  const ana = await handIn(s.ana, created.data.id, 'ana.txt');
  const ben = await handIn(s.ben, created.data.id, 'ben.txt');
  Object.assign(work, { assignmentId: created.data.id, worksheet: worksheet!, anaFile: ana.fileId, benFile: ben.fileId, benSubmission: ben.submissionId });
});

const download = (token: string, fileId: string) => call(ctx.app, 'GET', `/api/files/${fileId}`, { token });

/** The file answers 404 exactly as an id that names no file at all. */
async function expectHidden(token: string, fileId: string) {
  const [response, unknown] = [await download(token, fileId), await download(token, randomUUID())];
  expect({ status: response.statusCode, body: response.data }).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'File not found' } });
  expect(response.data).toEqual(unknown.data);
}

describe('files across classes of one institution', () => {
  it("a student of another class gets neither class A's worksheet nor a class A student's hand-in", async () => {
    await expectHidden(s.cleo.token, work.worksheet);
    await expectHidden(s.cleo.token, work.anaFile);
  });

  it('a teacher of neither class may read the assignment, but not download its worksheet', async () => {
    const read = await as(s.outsider.token).get(`/api/assignments/${work.assignmentId}`);
    expect(read.statusCode).toBe(200);
    expect(read.data.files).toEqual([expect.objectContaining({ id: work.worksheet, name: 'worksheet.txt' })]);
    await expectHidden(s.outsider.token, work.worksheet);
  });

  it('a teacher with a lesson in the class downloads its worksheet and hand-ins; one with lessons elsewhere does not', async () => {
    const [inClass, elsewhere] = [await createMember(ctx.app, ctx.school, 'teacher'), await createMember(ctx.app, ctx.school, 'teacher')];
    for (const [teacher, classId, period] of [[inClass, s.classA.id, 1], [elsewhere, s.classB.id, 2]] as const) {
      const lesson = await call(ctx.app, 'POST', '/api/schedules', { token: ctx.school.adminToken, body: { classId, subjectId: s.subject.id, teacherId: teacher.id, day: 'monday', period } });
      expect(lesson.statusCode, lesson.body).toBe(201);
    }
    for (const fileId of [work.worksheet, work.anaFile]) {
      expect((await download(inClass.token, fileId)).statusCode).toBe(200);
      await expectHidden(elsewhere.token, fileId);
    }
  });

  it("the assignment's own teacher downloads its files and hand-ins without teaching its class", async () => {
    const owner = await createMember(ctx.app, ctx.school, 'teacher');
    const [brief] = await uploadIds(ctx.app, ctx.school.adminToken, [{ name: 'brief.txt', content: Buffer.from('Read pages 4-9\n') }]);
    const created = await call(ctx.app, 'POST', '/api/assignments', {
      token: ctx.school.adminToken,
      body: { title: 'Reading', classIds: [s.classB.id], dueAt: fromNow(HOUR), teacherId: owner.id, fileIds: [brief] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const cleo = await handIn(s.cleo, created.data.id, 'cleo.txt');
    for (const fileId of [brief!, cleo.fileId]) expect((await download(owner.token, fileId)).statusCode).toBe(200);
    // Class A's teacher teaches neither class B nor this assignment.
    for (const fileId of [brief!, cleo.fileId]) await expectHidden(s.teacher.token, fileId);
  });

  it("a student who moves to another class loses the old class's worksheet but keeps their own hand-in", async () => {
    const moved = await call(ctx.app, 'POST', `/api/classes/${s.classB.id}/students`, { token: ctx.school.adminToken, body: { studentIds: [s.ben.id], move: true } });
    expect(moved.statusCode, moved.body).toBe(200);
    await expectHidden(s.ben.token, work.worksheet);
    expect((await download(s.ben.token, work.benFile)).statusCode).toBe(200);
    expect((await as(s.ben.token).get(`/api/submissions/${work.benSubmission}`)).statusCode).toBe(200);
    await expectHidden(s.ben.token, work.anaFile);
  });
});
