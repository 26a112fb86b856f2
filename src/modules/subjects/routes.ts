import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { listSubjects } from './queries.js';
import { CreateSubjectBody, ListSubjectsQuery, SubjectList, SubjectView, UpdateSubjectBody } from './schemas.js';
import { createSubject, deleteSubject, getSubject, updateSubject } from './service.js';

const tags = ['subjects'];

/** Everyone in the institution reads subjects (timetables show them); only admins change them. */
const everyone = { access: 'authenticated' as const };
const adminOnly = { access: 'adminOnly' as const };

const subjectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/subjects',
    {
      config: everyone,
      schema: { tags, summary: 'List subjects, sorted by name', querystring: ListSubjectsQuery, response: { 200: SubjectList } },
    },
    async (request, reply) => sendJsonPage(reply, await listSubjects(request.tenantDb, request.query), request.query),
  );

  app.post(
    '/subjects',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a subject',
        description: 'Name and code are unique in the institution, ignoring case: a clash answers 409 CONFLICT naming the field.',
        body: CreateSubjectBody,
        response: { 201: SubjectView },
      },
    },
    async (request, reply) => reply.code(201).send(await createSubject(request, request.body)),
  );

  app.get(
    '/subjects/:id',
    { config: everyone, schema: { tags, summary: 'One subject', params: IdParams, response: { 200: SubjectView } } },
    async (request) => getSubject(request.tenantDb, request.params.id),
  );

  app.patch(
    '/subjects/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a subject; null clears its code or color',
        params: IdParams,
        body: UpdateSubjectBody,
        response: { 200: SubjectView },
      },
    },
    async (request) => updateSubject(request, request.params.id, request.body),
  );

  app.delete(
    '/subjects/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Delete a subject',
        description: 'A subject still in a curriculum or the timetable answers 409 IN_USE with `references` counted per table.',
        params: IdParams,
        response: { 200: MessageResponse },
      },
    },
    async (request) => {
      await deleteSubject(request, request.params.id);
      return { message: 'Subject deleted' };
    },
  );
};

export default subjectRoutes;
