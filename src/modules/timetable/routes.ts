import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, notFound } from '../../lib/errors.js';
import { sendJson } from '../../lib/replies.js';
import { IdParams } from '../../lib/schemas.js';
import type { Principal } from '../auth/queries.js';
import { classPolicy, enrolledClassId, relationTo } from '../classes/policy.js';
import { keepInStep } from '../../plugins/notified-cache.js';
import { TIMETABLE_CHANNEL, TimetableCache } from './cache.js';
import { classExists, roomExists, teacherExists, timetableJson } from './queries.js';
import { Timetable } from './schemas.js';

const tags = ['timetable'];
const response = { 200: Timetable };

async function startCache(app: FastifyInstance): Promise<TimetableCache> {
  const cache = new TimetableCache({ maxEntries: 20_000, maxAgeMs: 10 * 60_000 });
  const evict = (schemaName: string) => cache.evict(schemaName);
  await keepInStep(app, { channel: TIMETABLE_CHANNEL, cache, evict, evictInstitution: evict, what: 'timetables' });
  return cache;
}

/**
 * A teacher's week, or a student's class week: from the cache when it holds it, else one query
 * (a student's class is looked up first, so the class's students share one cached week).
 */
async function myWeek(cache: TimetableCache, request: FastifyRequest, principal: Principal): Promise<string> {
  const db = request.tenantDb;
  const ticket = cache.ticket(db.tenantSchema);
  const cached = (key: string, read: () => Promise<string>) => {
    const hit = cache.get(db.tenantSchema, key);
    if (hit !== undefined) return hit;
    return read().then((value) => {
      cache.store(ticket, key, value);
      return value;
    });
  };
  if (principal.role === 'teacher') return cached(`teacher:${principal.id}`, () => timetableJson(db, { teacherId: principal.id }));
  const classId = await cached(`student:${principal.id}`, async () => (await enrolledClassId(db, principal.id)) ?? '');
  // A student in no class gets the week without lessons.
  return cached(`class:${classId}`, () => timetableJson(db, classId ? { classId } : { studentId: principal.id }));
}

const timetableRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = await startCache(app);

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
      if (request.principal.role === 'admin') throw forbidden('Admins have no timetable of their own; open a class, teacher or room timetable');
      return sendJson(reply, await myWeek(cache, request, request.principal));
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

/** Not encapsulated: the eviction hook must see every route's writes. */
export default fp(timetableRoutes, { name: 'timetable' });
