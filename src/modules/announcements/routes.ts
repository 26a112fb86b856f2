import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { listAnnouncements } from './queries.js';
import { AnnouncementList, AnnouncementView, CreateAnnouncementBody, ListAnnouncementsQuery, ReadMark, ReadsView, UpdateAnnouncementBody } from './schemas.js';
import { deleteAnnouncement, getAnnouncement, markRead, postAnnouncement, readsOf, updateAnnouncement } from './service.js';

const tags = ['announcements'];

const MARKDOWN_NOTE = 'The body is Markdown, returned exactly as written: the server never renders it, clients render it with raw HTML disabled.';

const announcementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/announcements',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Post an announcement',
        description:
          'Admins post to any audience; teachers to classes they all teach, which reaches those classes\' students, their guardians and ' +
          'their teachers (403 FORBIDDEN otherwise). Unknown classes: 404. Everyone who sees it (the audience, admins, the author) gets a ' +
          `live \`announcement.created\` event. ${MARKDOWN_NOTE}`,
        body: CreateAnnouncementBody,
        response: { 201: AnnouncementView },
      },
    },
    async (request, reply) => reply.code(201).send(await postAnnouncement(request, request.body)),
  );

  app.get(
    '/announcements',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'The announcements the caller sees: pinned ones first while pinned, then newest first',
        description: `Each with \`read\` for the caller. Admins see every announcement. ${MARKDOWN_NOTE}`,
        querystring: ListAnnouncementsQuery,
        response: { 200: AnnouncementList },
      },
    },
    async (request, reply) => sendJsonPage(reply, await listAnnouncements(request.tenantDb, request.principal, request.query), request.query),
  );

  app.get(
    '/announcements/:id',
    {
      config: { access: 'anyAccount' },
      schema: { tags, summary: 'One announcement (404 when the caller does not see it)', params: IdParams, response: { 200: AnnouncementView } },
    },
    async (request) => getAnnouncement(request.tenantDb, request.principal, request.params.id),
  );

  app.post(
    '/announcements/:id/read',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'Mark an announcement read (confirm it); again changes nothing',
        description: 'Answers the time of the first mark every time.',
        params: IdParams,
        response: { 200: ReadMark },
      },
    },
    async (request) => markRead(request, request.params.id),
  );

  app.get(
    '/announcements/:id/reads',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Who of the audience has read it and who has not (its author and admins)',
        description: 'The audience is resolved now: active accounts it is for. Others who see it: 403.',
        params: IdParams,
        response: { 200: ReadsView },
      },
    },
    async (request) => readsOf(request.tenantDb, request.principal, request.params.id),
  );

  app.patch(
    '/announcements/:id',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'Change an announcement\'s title, body, pin or confirmation',
        description: 'Admins change any; authors their own while they may still post to its audience. Read marks stay. `pinnedUntil: null` unpins.',
        params: IdParams,
        body: UpdateAnnouncementBody,
        response: { 200: AnnouncementView },
      },
    },
    async (request) => updateAnnouncement(request, request.params.id, request.body),
  );

  app.delete(
    '/announcements/:id',
    {
      config: { access: 'teacherOrAdmin' },
      schema: { tags, summary: 'Delete an announcement with its read marks', params: IdParams, response: { 200: MessageResponse } },
    },
    async (request) => {
      await deleteAnnouncement(request, request.params.id);
      return { message: 'Announcement deleted' };
    },
  );
};

export default announcementRoutes;
