import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { authorizeStudent } from '../guardians/policy.js';
import { feedOwner, feedText, revokeFeed, rotateFeed } from './feed.js';
import { isValidTimeZone } from './recurrence.js';
import { CalendarQuery, CalendarView, CreateEventBody, EventDetailView, EventView, FeedParams, FeedView, ImportResult, InstitutionSettings, UpdateEventBody } from './schemas.js';
import { calendarFor, createEvent, deleteEvent, eventFor, importCalendar, institutionTimeZone, updateEvent } from './service.js';

const tags = ['calendar'];

/** The .ics arrives either as a multipart upload (field "file") or as a text/calendar body. */
async function icsText(request: FastifyRequest): Promise<string> {
  if (request.isMultipart()) {
    const file = await request.file();
    if (!file || file.fieldname !== 'file') throw badRequest('Attach the .ics file as the "file" field', [{ field: 'file', message: 'is missing' }]);
    return (await file.toBuffer()).toString('utf8');
  }
  if (typeof request.body === 'string') return request.body;
  throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the calendar as multipart/form-data or text/calendar');
}

const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('text/calendar', { parseAs: 'string', bodyLimit: app.config.uploadLimitBytes }, (_request, body, done) => done(null, body));

  app.get(
    '/calendar',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'The events the caller sees between two days, recurring ones expanded into occurrences',
        description:
          "Days in the institution's time zone, both inclusive, at most 366 days (400 VALIDATION_ERROR). Admins see every event; " +
          'teachers events for everyone, for teachers, for the classes they teach and their own; students events for everyone and their class; ' +
          "guardians events for everyone and their children's classes. With `studentId`: what that student sees (403 for another " +
          'student, 400 for a user who is not a student).',
        querystring: CalendarQuery,
        response: { 200: CalendarView },
      },
    },
    async (request) => {
      const { studentId, ...range } = request.query;
      if (studentId === undefined) return calendarFor(request.tenantDb, request.principal, request.principal, range);
      const student = await authorizeStudent(request.tenantDb, request.principal, 'read', studentId, 'studentId');
      return calendarFor(request.tenantDb, request.principal, { id: student.id, role: 'student' }, range);
    },
  );

  app.get(
    '/calendar/events/:id',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'One event as stored: a repeating one with its rule, its exceptions and its first occurrence',
        description:
          'With who created it and `canEdit`, whether the caller may change or delete it. Seen by whom the calendar shows it to; ' +
          'an event the caller does not see: 404.',
        params: IdParams,
        response: { 200: EventDetailView },
      },
    },
    async (request) => eventFor(request.tenantDb, request.principal, request.params.id),
  );

  app.post(
    '/calendar/events',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Create an event',
        description:
          'Timed (`startsAt`, `endsAt`) or all-day (`allDay: true`, `date`, `endDate`). Admins create any event; teachers only events ' +
          'for classes they all teach, and no holidays (403 FORBIDDEN). Unknown classes: 404. Announced as `calendar.changed`.',
        body: CreateEventBody,
        response: { 201: EventView },
      },
    },
    async (request, reply) => reply.code(201).send(await createEvent(request, request.body)),
  );

  app.patch(
    '/calendar/events/:id',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Change an event',
        description: 'Admins change any; teachers the events they created, within the create rules. An event the caller does not see: 404.',
        params: IdParams,
        body: UpdateEventBody,
        response: { 200: EventView },
      },
    },
    async (request) => updateEvent(request, request.params.id, request.body),
  );

  app.delete(
    '/calendar/events/:id',
    {
      config: { access: 'teacherOrAdmin' },
      schema: { tags, summary: 'Delete an event (every occurrence)', params: IdParams, response: { 200: MessageResponse } },
    },
    async (request) => {
      await deleteEvent(request, request.params.id);
      return { message: 'Event deleted' };
    },
  );

  app.post(
    '/calendar/import',
    {
      config: { access: 'adminOnly' },
      bodyLimit: app.config.uploadLimitBytes,
      schema: {
        tags,
        summary: 'Import holidays from an .ics file: all entries or none',
        description:
          'multipart/form-data (field "file") or a text/calendar body. Each VEVENT becomes a holiday for everyone; problems are listed per entry ' +
          'in `details` (`events.N.PROPERTY`). An entry whose UID was imported before updates that event: importing a file twice duplicates nothing.',
        consumes: ['multipart/form-data', 'text/calendar'],
        response: { 200: ImportResult },
      },
    },
    async (request) => importCalendar(request, await icsText(request)),
  );

  app.post(
    '/calendar/feed',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Create or rotate my private iCalendar feed',
        description: 'The URL holds a secret token: the previous URL stops working. It needs no sign-in, so keep it private.',
        response: { 201: FeedView },
      },
    },
    async (request, reply) => {
      const token = await request.change(async ({ db, log }) => {
        const created = await rotateFeed(db, request.principal);
        await log({ action: 'rotate', targetType: 'calendarFeed', targetId: request.principal.id, targetName: request.principal.name });
        return created;
      });
      return reply.code(201).send({ url: `${request.protocol}://${request.host}/api/calendar/feed/${token}.ics`, token });
    },
  );

  app.delete(
    '/calendar/feed',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Revoke my iCalendar feed', response: { 200: MessageResponse } } },
    async (request) => {
      await request.change(async ({ db, log }) => {
        if (!(await revokeFeed(db, request.principal))) throw notFound('Calendar feed');
        await log({ action: 'revoke', targetType: 'calendarFeed', targetId: request.principal.id, targetName: request.principal.name });
      });
      return { message: 'Calendar feed revoked' };
    },
  );

  app.get(
    '/calendar/feed/:token.ics',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "A person's private iCalendar feed (no sign-in: the token is the secret)",
        description: 'Their events, their weekly lessons (holidays left out) and their assignments\' due dates. An unknown or revoked token: 404.',
        params: FeedParams,
        produces: ['text/calendar'],
      },
    },
    async (request, reply) => {
      const owner = await feedOwner(app.db, request.params.token);
      if (!owner) throw notFound('Calendar feed');
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-cache')
        .header('content-disposition', 'inline; filename="calendar.ics"')
        .send(await feedText(app.db, owner));
    },
  );

  app.get(
    '/settings/institution',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['settings'], summary: "The institution's settings: its time zone", response: { 200: InstitutionSettings } },
    },
    async (request) => ({ timeZone: await institutionTimeZone(request.tenantDb, request.principal.institution.id) }),
  );

  app.put(
    '/settings/institution',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags: ['settings'],
        summary: "Change the institution's time zone",
        description: 'An IANA name (400 VALIDATION_ERROR otherwise). Recurring events, lessons in feeds and holiday dates follow it.',
        body: InstitutionSettings,
        response: { 200: InstitutionSettings },
      },
    },
    async (request) => {
      const { timeZone } = request.body;
      if (!isValidTimeZone(timeZone)) throw badRequest(`"${timeZone}" is not an IANA time zone`, [{ field: 'timeZone', message: 'is not an IANA time zone' }]);
      return request.change(async ({ db, log }) => {
        const before = await institutionTimeZone(db, request.principal.institution.id);
        await db.updateTable('registry.institutions').set({ timeZone }).where('id', '=', request.principal.institution.id).execute();
        await log({ action: 'update', targetType: 'institution', targetId: request.principal.institution.id, targetName: request.principal.institution.name, details: { timeZone: { from: before, to: timeZone } } });
        return { timeZone };
      });
    },
  );
};

export default calendarRoutes;
