import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { sendCsv, wantsCsv } from '../../lib/csv.js';
import { sendJson, sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { authorizeStudent } from '../guardians/policy.js';
import { myAssignmentsJson, startMyAssignmentsCache, studentAssignmentsJson } from './cache.js';
import { gradebook, gradebookCsv } from './gradebook.js';
import { authorizeAssignment, mayReadAssignmentFile, mayReadSubmissionFile } from './policy.js';
import {
  AssignmentDetail,
  AssignmentList,
  CreateAssignmentBody,
  GradeBody,
  Gradebook,
  ListAssignmentsQuery,
  MyAssignments,
  ReassignBody,
  RosterList,
  RosterQuery,
  SubmissionVersions,
  SubmissionView,
  SubmitBody,
  UpdateAssignmentBody,
} from './schemas.js';
import { attachUploads, createAssignment, deleteAssignment, getAssignment, listAssignments, updateAssignment } from './service.js';
import { getSubmission, grade, listVersions, reassign, roster, submit } from './submissions.js';

const tags = ['assignments'];

const assignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.fileAccess.register(mayReadAssignmentFile);
  app.fileAccess.register(mayReadSubmissionFile);
  const myAssignments = await startMyAssignmentsCache(app);

  app.post(
    '/assignments',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Set work for one or more classes',
        description:
          'A teacher for classes they teach (curriculum or timetable) or lead as homeroom teacher (403 naming the others), in their own ' +
          'name; an admin for any class, naming the teacher it belongs to (`teacherId`). Unknown classes or subject, or a dueAt not in ' +
          'the future: 400 naming each field. `fileIds` are the caller\'s uploads (POST /api/files).',
        body: CreateAssignmentBody,
        response: { 201: AssignmentDetail },
      },
    },
    async (request, reply) => reply.code(201).send(await createAssignment(request, request.body)),
  );

  app.get(
    '/assignments',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'List assignments, sorted by due date',
        description: "Admins and teachers see the institution's assignments, a student those of their class.",
        querystring: ListAssignmentsQuery,
        response: { 200: AssignmentList },
      },
    },
    async (request, reply) => sendJsonPage(reply, await listAssignments(request.tenantDb, request.principal, request.query), request.query),
  );

  app.get(
    '/assignments/my-assignments',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "The caller's assignments, sorted by due date",
        description:
          "A student: their class's assignments, each with their `status` (pending, missing once past due, submitted, graded, " +
          'reassigned), whether the last hand-in was `late`, and points (once graded) and feedback. A teacher: the assignments they ' +
          'set, each with counts of its students. Admins: 403.',
        response: { 200: MyAssignments },
      },
    },
    async (request, reply) => sendJson(reply, await myAssignmentsJson(myAssignments, request)),
  );

  app.get(
    '/students/:id/assignments',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: "A student's assignments with their standing, as GET /api/assignments/my-assignments shows them to the student",
        description:
          'For the student, their guardians, the teachers of their class and admins; another student: 403, a user who is not a ' +
          'student: 400. Points and feedback appear once graded.',
        params: IdParams,
        response: { 200: MyAssignments },
      },
    },
    async (request, reply) => {
      const student = await authorizeStudent(request.tenantDb, request.principal, 'read', request.params.id);
      return sendJson(reply, await studentAssignmentsJson(myAssignments, request, student.id));
    },
  );

  app.get(
    '/assignments/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'One assignment with its files',
        description: 'Admins and teachers read every assignment; a student those of their class (404 for any other).',
        params: IdParams,
        response: { 200: AssignmentDetail },
      },
    },
    async (request) => getAssignment(request.tenantDb, request.principal, request.params.id),
  );

  app.patch(
    '/assignments/:id',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Change an assignment',
        description:
          'Its teacher, while they teach one of its classes, and admins (who may also hand it to another teacher with `teacherId`). ' +
          'Added classes must be ones the caller teaches; maxPoints cannot go below points already given (409 CONFLICT). `fileIds` ' +
          'replaces its files: files dropped that nothing else holds are deleted.',
        params: IdParams,
        body: UpdateAssignmentBody,
        response: { 200: AssignmentDetail },
      },
    },
    async (request) => updateAssignment(request, request.params.id, request.body),
  );

  app.delete(
    '/assignments/:id',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Delete an assignment with its submissions, their versions and its files',
        description: 'Its teacher, while they teach one of its classes, and admins. Files nothing else holds are deleted too.',
        params: IdParams,
        response: { 200: MessageResponse },
      },
    },
    async (request) => {
      await deleteAssignment(request, request.params.id);
      return { message: 'Assignment deleted' };
    },
  );

  app.post(
    '/assignments/:id/upload',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Upload files and attach them to the assignment (multipart/form-data)',
        description:
          'Whoever may change the assignment. The files are checked and stored as POST /api/files does (same limits, 413/415/400), ' +
          'then attached; an assignment holds at most 5 files (409 TOO_MANY_FILES, and the upload is not kept). To attach files ' +
          'uploaded before, PATCH the assignment with `fileIds`.',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 200: AssignmentDetail },
      },
    },
    async (request) => {
      // Asked before any byte is stored: who may not change it uploads nothing.
      await authorizeAssignment(request.tenantDb, request.principal, 'change', request.params.id);
      return attachUploads(request, request.params.id);
    },
  );

  app.post(
    '/assignments/:id/submissions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Hand in work (a student of one of its classes)',
        description:
          'Text, `fileIds` (the student\'s uploads) or both: 400 with neither. Submitting again adds a version until the submission ' +
          'is graded (409 ALREADY_GRADED). After dueAt: 409 PAST_DUE, unless the assignment allows late work or the teacher ' +
          'reassigned it; the version is then marked late. Teachers and admins: 403.',
        params: IdParams,
        body: SubmitBody,
        response: { 201: SubmissionView },
      },
    },
    async (request, reply) => reply.code(201).send(await submit(request, request.params.id, request.body)),
  );

  app.get(
    '/assignments/:id/submissions',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Where each student of its classes stands, sorted by name',
        description:
          'Its teacher and admins. One row per student of its classes (and any who submitted and left since), with `status` pending ' +
          'or missing (past due) for those who have not handed anything in.',
        params: IdParams,
        querystring: RosterQuery,
        response: { 200: RosterList },
      },
    },
    async (request, reply) =>
      sendJsonPage(reply, await roster(request.tenantDb, request.principal, request.params.id, request.query), request.query),
  );

  app.get(
    '/submissions/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'A submission: its latest version and its grade',
        description: "Its student, the assignment's teacher and admins; another student's submission answers 404.",
        params: IdParams,
        response: { 200: SubmissionView },
      },
    },
    async (request) => getSubmission(request.tenantDb, request.principal, request.params.id),
  );

  app.get(
    '/submissions/:id/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Every version of a submission, oldest first',
        description: "Its student, the assignment's teacher and admins.",
        params: IdParams,
        response: { 200: SubmissionVersions },
      },
    },
    async (request) => listVersions(request.tenantDb, request.principal, request.params.id),
  );

  app.post(
    '/submissions/:id/grade',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Grade the version you saw',
        description:
          "The assignment's teacher and admins. Points from 0 to its maxPoints. `version` is the version graded: 409 STALE with the " +
          'latest `version` when the student has handed in a newer one. A graded submission may be graded again.',
        params: IdParams,
        body: GradeBody,
        response: { 200: SubmissionView },
      },
    },
    async (request) => grade(request, request.params.id, request.body),
  );

  app.post(
    '/submissions/:id/reassign',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Hand a submission back with feedback, so the student can submit again',
        description: "The assignment's teacher and admins. Any grade is cleared; the student may resubmit even past the due date (marked late).",
        params: IdParams,
        body: ReassignBody,
        response: { 200: SubmissionView },
      },
    },
    async (request) => reassign(request, request.params.id, request.body),
  );

  app.get(
    '/classes/:id/gradebook',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: "A class's students against its assignments, with points",
        description:
          'Admins, teachers of the class and teachers who set work for it. JSON, or CSV with `Accept: text/csv` (cells a spreadsheet ' +
          "would take for a formula get a leading ').",
        params: IdParams,
        produces: ['application/json', 'text/csv'],
        response: { 200: Gradebook },
      },
    },
    async (request, reply) => {
      const book = await gradebook(request.tenantDb, request.principal, request.params.id);
      if (!wantsCsv(request)) return book;
      return sendCsv(reply as FastifyReply, 'gradebook.csv', gradebookCsv(book));
    },
  );
};

/** Not encapsulated: the cache's eviction hook must see every route's writes. */
export default fp(assignmentRoutes, { name: 'assignments' });
