import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { listLessons } from './queries.js';
import {
  BulkLessonsBody,
  BulkResult,
  ClearLessonsQuery,
  ClearResult,
  CreateLessonBody,
  LessonList,
  LessonView,
  ListLessonsQuery,
  UpdateLessonBody,
} from './schemas.js';
import { clearClassLessons, createLesson, createLessons, deleteLesson, getLesson, updateLesson } from './service.js';

const tags = ['timetable'];
const adminOnly = { access: 'adminOnly' as const };
const staff = { access: 'teacherOrAdmin' as const };

const CONFLICTS =
  'A teacher, class or room already booked in that day and period answers 409 SCHEDULE_CONFLICT with ' +
  '`conflicts: [{kind: "teacher"|"class"|"room", lesson}]`, the lessons in the way.';
const INVALID =
  'A day that is not a working day, a period outside the bell schedule, a teacher who is not an active teacher, or an ' +
  'unknown class, subject or room answers 400 naming the field.';

const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/schedules',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Lessons of the weekly timetable, by day and period; filter by class, teacher, room or day',
        querystring: ListLessonsQuery,
        response: { 200: LessonList },
      },
    },
    async (request, reply) => sendJsonPage(reply, await listLessons(request.tenantDb, request.query), request.query),
  );

  app.post(
    '/schedules',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Put a lesson into the timetable',
        description: `${INVALID} ${CONFLICTS}`,
        body: CreateLessonBody,
        response: { 201: LessonView },
      },
    },
    async (request, reply) => reply.code(201).send(await createLesson(request, request.body)),
  );

  app.post(
    '/schedules/bulk',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Put up to 2000 lessons into the timetable: all or none',
        description:
          'Every invalid item is listed (400, fields `lessons.<index>.<field>`); otherwise every item that clashes answers 409 ' +
          'SCHEDULE_CONFLICT with `conflicts: [{index, kind, lesson}]` for lessons already in the timetable and ' +
          '`[{index, kind, withIndex}]` for two items of the batch that want the same slot.',
        body: BulkLessonsBody,
        response: { 201: BulkResult },
      },
    },
    async (request, reply) => reply.code(201).send(await createLessons(request, request.body.lessons)),
  );

  app.delete(
    '/schedules',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: "Clear a class's timetable, keeping its pinned lessons",
        querystring: ClearLessonsQuery,
        response: { 200: ClearResult },
      },
    },
    async (request) => clearClassLessons(request, request.query.classId),
  );

  app.get(
    '/schedules/:id',
    { config: staff, schema: { tags, summary: 'One lesson', params: IdParams, response: { 200: LessonView } } },
    async (request) => getLesson(request.tenantDb, request.params.id),
  );

  app.patch(
    '/schedules/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Move a lesson or give it another class, subject, teacher or room',
        description: `Only the fields sent are checked and changed. ${INVALID} ${CONFLICTS}`,
        params: IdParams,
        body: UpdateLessonBody,
        response: { 200: LessonView },
      },
    },
    async (request) => updateLesson(request, request.params.id, request.body),
  );

  app.delete(
    '/schedules/:id',
    { config: adminOnly, schema: { tags, summary: 'Remove a lesson', params: IdParams, response: { 200: MessageResponse } } },
    async (request) => {
      await deleteLesson(request, request.params.id);
      return { message: 'Lesson deleted' };
    },
  );
};

export default scheduleRoutes;
