import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { sendJson } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { authorizeStudent } from './policy.js';
import { cachedChildrenJson, startChildrenCache } from './cache.js';
import { guardianLinks } from './queries.js';
import { ChildList, GuardianLink, GuardianLinkList, GuardianLinkParams, LinkGuardianBody } from './schemas.js';
import { linkGuardian, unlinkGuardian } from './service.js';

const tags = ['guardians'];

const guardianRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const children = await startChildrenCache(app);

  app.get(
    '/guardians/me/children',
    {
      config: { access: 'guardianOnly' },
      schema: {
        tags,
        summary: "The signed-in guardian's children with their class and homeroom teacher",
        description:
          'Each child\'s timetable is at GET /api/timetable/students/:id, their assignments at GET /api/students/:id/assignments, ' +
          'the calendar of their class at GET /api/calendar?studentId=. Deactivated children are left out.',
        response: { 200: ChildList },
      },
    },
    async (request, reply) => sendJson(reply, await cachedChildrenJson(children, request)),
  );

  app.get(
    '/students/:id/guardians',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: "A student's guardians with their contacts",
        description: 'Admins, and teachers of the student\'s class (403 for other students). A user who is not a student: 400.',
        params: IdParams,
        response: { 200: GuardianLinkList },
      },
    },
    async (request) => {
      const student = await authorizeStudent(request.tenantDb, request.principal, 'readGuardians', request.params.id);
      return guardianLinks(request.tenantDb, student.id);
    },
  );

  app.post(
    '/students/:id/guardians',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Link a guardian to a student',
        description:
          'A student may have several guardians and a guardian several children. `primary: true` makes this guardian the ' +
          "student's first contact and clears the mark of the previous one. Not a student (`id`) or not a guardian " +
          '(`guardianId`): 400 naming the field; already linked: 409.',
        params: IdParams,
        body: LinkGuardianBody,
        response: { 201: GuardianLink },
      },
    },
    async (request, reply) => reply.code(201).send(await linkGuardian(request, request.params.id, request.body)),
  );

  app.delete(
    '/students/:id/guardians/:guardianId',
    {
      config: { access: 'adminOnly' },
      schema: { tags, summary: 'Unlink a guardian from a student', params: GuardianLinkParams, response: { 200: MessageResponse } },
    },
    async (request) => {
      await unlinkGuardian(request, request.params.id, request.params.guardianId);
      return { message: 'Guardian unlinked' };
    },
  );
};

/** Not encapsulated: the children cache's eviction hook must see every route's writes. */
export default fp(guardianRoutes, { name: 'guardians' });
