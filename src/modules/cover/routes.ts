import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { listAbsences } from './queries.js';
import { AbsenceList, AbsenceView, CoverView, CreateAbsenceBody, CreateCoverBody, ListAbsencesQuery, Suggestions, SuggestionsQuery } from './schemas.js';
import { createAbsence, createCover, deleteAbsence, deleteCover, getAbsence, suggestions } from './service.js';

const tags = ['cover'];
/** Absences and cover are the school office's work; teachers and students see cover in their dated week (GET /timetable/me?week=). */
const adminOnly = { access: 'adminOnly' as const };

const NOT_ON = 'A date on which the lesson does not take place (another weekday, a holiday for its class) answers 400 on `date`.';

const coverRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/teacher-absences',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: "Record a teacher's absence; answers the lessons it takes out, each with coverStatus needed",
        description:
          'From `from` to `to` inclusive (up to 366 days), every period of those days or only `periods`. Its lessons are each dated ' +
          'occurrence in the range, by date and period, except those on a holiday for their class. An absence overlapping another ' +
          'of the same teacher (a day and a period in common) answers 409 CONFLICT with that `absence`.',
        body: CreateAbsenceBody,
        response: { 201: AbsenceView },
      },
    },
    async (request, reply) => reply.code(201).send(await createAbsence(request, request.body)),
  );

  app.get(
    '/teacher-absences',
    {
      config: adminOnly,
      schema: { tags, summary: 'Absences, latest first; filter by teacher or by a date they include', querystring: ListAbsencesQuery, response: { 200: AbsenceList } },
    },
    async (request, reply) => sendJsonPage(reply, await listAbsences(request.tenantDb, request.query), request.query),
  );

  app.get(
    '/teacher-absences/:id',
    { config: adminOnly, schema: { tags, summary: 'An absence with the lessons it takes out and their covers', params: IdParams, response: { 200: AbsenceView } } },
    async (request) => getAbsence(request.tenantDb, request.principal, request.params.id),
  );

  app.delete(
    '/teacher-absences/:id',
    {
      config: adminOnly,
      schema: { tags, summary: 'Delete an absence with its covers; each cover teacher is told', params: IdParams, response: { 200: MessageResponse } },
    },
    async (request) => {
      await deleteAbsence(request, request.params.id);
      return { message: 'Teacher absence deleted' };
    },
  );

  app.get(
    '/cover/suggestions',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: "Teachers free to cover a lesson on a date, best first",
        description:
          'Free: not teaching then (a lesson a holiday takes out does not count), not covering another lesson then, not absent, ' +
          'not unavailable then (timetable-generator availability). Teachers of the class first, then of the subject, then the ' +
          `fewest covers in that ISO week, then by name; each with its reasons. ${NOT_ON}`,
        querystring: SuggestionsQuery,
        response: { 200: Suggestions },
      },
    },
    async (request) => suggestions(request.tenantDb, request.principal, request.query),
  );

  app.post(
    '/cover',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Assign a cover teacher to one lesson on one date',
        description:
          `${NOT_ON} So does a date outside an absence of the lesson's teacher. A lesson already covered that date answers 409 ` +
          'CONFLICT; a cover teacher who is not free then answers 409 SCHEDULE_CONFLICT with `conflicts: [{kind: "teacher"|"cover"|' +
          '"absence"|"unavailable", lesson?, date?, absence?, slot?}]`. Two assignments of one teacher to the same period at once: one ' +
          'succeeds. The cover teacher gets a message from the admin and a `timetable.changed` event.',
        body: CreateCoverBody,
        response: { 201: CoverView },
      },
    },
    async (request, reply) => reply.code(201).send(await createCover(request, request.body)),
  );

  app.delete(
    '/cover/:id',
    {
      config: adminOnly,
      schema: { tags, summary: 'Take a cover back; the cover teacher is told', params: IdParams, response: { 200: MessageResponse } },
    },
    async (request) => {
      await deleteCover(request, request.params.id);
      return { message: 'Cover deleted' };
    },
  );
};

export default coverRoutes;
