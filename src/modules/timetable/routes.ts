import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, notFound } from '../../lib/errors.js';
import { sendJson } from '../../lib/replies.js';
import { IdParams } from '../../lib/schemas.js';
import type { Principal } from '../auth/queries.js';
import { classPolicy, enrolledClassId, relationTo } from '../classes/policy.js';
import { authorizeStudent } from '../guardians/policy.js';
import { startTimetableCache, type TimetableCache } from './cache.js';
import { classExists, roomExists, teacherExists, timetableJson } from './queries.js';
import { MyTimetable, MyTimetableQuery, Timetable } from './schemas.js';
import { datedWeek, mondayOf } from './week.js';

const tags = ['timetable'];
const response = { 200: Timetable };

/**
 * A teacher's week, or a student's class week: from the cache when it holds it, else one query
 * (a student's class is looked up first, so the class's students share one cached week).
 * With an ISO `week`, that week dated with its holidays (calendar triggers evict it too).
 */
async function myWeek(cache: TimetableCache, request: FastifyRequest, principal: Principal, week?: string): Promise<string> {
  const db = request.tenantDb;
  const ticket = cache.ticket(db.tenantSchema);
  const cached = (key: string, read: () => Promise<string>) => cache.cached(ticket, key, async () => ({ value: await read() }));
  const weekOf = (key: string, read: () => Promise<string>) =>
    week === undefined ? cached(key, read) : cached(`${week}:${key}`, async () => datedWeek(db, principal, week, await cached(key, read)));
  if (principal.role === 'teacher') return weekOf(`teacher:${principal.id}`, () => timetableJson(db, { teacherId: principal.id }));
  const classId = await cached(`student:${principal.id}`, async () => (await enrolledClassId(db, principal.id)) ?? '');
  // A student in no class gets the week without lessons.
  return weekOf(`class:${classId}`, () => timetableJson(db, classId ? { classId } : { studentId: principal.id }));
}

const timetableRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = await startTimetableCache(app);

  app.get(
    '/timetable/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "A teacher's own week, or a student's class week",
        description:
          'A student in no class gets the bell schedule with no lessons. Admins teach no lessons: 403. With `week` (ISO, 2026-W48): ' +
          'that week, each working day with its date and holidays, and without the lessons that fall on a holiday.',
        querystring: MyTimetableQuery,
        response: { 200: MyTimetable },
      },
    },
    async (request, reply) => {
      if (request.principal.role === 'admin') throw forbidden('Admins have no timetable of their own; open a class, teacher or room timetable');
      if (request.query.week !== undefined) mondayOf(request.query.week);
      return sendJson(reply, await myWeek(cache, request, request.principal, request.query.week));
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

  app.get(
    '/timetable/students/:id',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: "A student's class week: for the student, their guardians, their teachers and admins",
        description: 'Another student: 403; a user who is not a student: 400. With `week`, dated as in GET /api/timetable/me, with the holidays the student sees.',
        params: IdParams,
        querystring: MyTimetableQuery,
        response: { 200: MyTimetable },
      },
    },
    async (request, reply) => {
      const student = await authorizeStudent(request.tenantDb, request.principal, 'read', request.params.id);
      if (request.query.week !== undefined) mondayOf(request.query.week);
      // The week as the student sees it, so it is the same cached week as their own.
      const asStudent: Principal = { ...request.principal, id: student.id, role: 'student' };
      return sendJson(reply, await myWeek(cache, request, asStudent, request.query.week));
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

/** Not encapsulated: the eviction hook must see every route's writes. */
export default fp(timetableRoutes, { name: 'timetable' });
