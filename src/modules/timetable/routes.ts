import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { forbidden, notFound } from '../../lib/errors.js';
import { sendJson } from '../../lib/replies.js';
import { IdParams } from '../../lib/schemas.js';
import { classPolicy, relationTo } from '../classes/policy.js';
import { classExists, roomExists, teacherExists, timetableJson } from './queries.js';
import { Timetable } from './schemas.js';

const tags = ['timetable'];
const response = { 200: Timetable };

const timetableRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/timetable/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "A teacher's own week, or a student's class week",
        description: 'A student in no class gets the bell schedule with no lessons. Admins teach no lessons: 403.',
        response,
      },
    },
    async (request, reply) => {
      const { role, id } = request.principal;
      if (role === 'admin') throw forbidden('Admins have no timetable of their own; open a class, teacher or room timetable');
      return sendJson(reply, await timetableJson(request.tenantDb, role === 'teacher' ? { teacherId: id } : { studentId: id }));
    },
  );

  app.get(
    '/timetable/classes/:id',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: "A class's week; a student sees only their own class", params: IdParams, response },
    },
    async (request, reply) => {
      const db = request.tenantDb;
      const classId = request.params.id;
      if (!(await classExists(db, classId))) throw notFound('Class');
      classPolicy.authorize(request.principal, 'read', await relationTo(db, request.principal, classId));
      return sendJson(reply, await timetableJson(db, { classId }));
    },
  );

  const staffViews = [
    { path: 'teachers', what: 'Teacher', exists: teacherExists, owner: (id: string) => ({ teacherId: id }) },
    { path: 'rooms', what: 'Room', exists: roomExists, owner: (id: string) => ({ roomId: id }) },
  ];
  for (const { path, what, exists, owner } of staffViews) {
    app.get(
      `/timetable/${path}/:id`,
      { config: { access: 'teacherOrAdmin' }, schema: { tags, summary: `A ${what.toLowerCase()}'s week`, params: IdParams, response } },
      async (request, reply) => {
        if (!(await exists(request.tenantDb, request.params.id))) throw notFound(what);
        return sendJson(reply, await timetableJson(request.tenantDb, owner(request.params.id)));
      },
    );
  }
};

export default timetableRoutes;
