import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { importUsersCsv, previewUsersCsv } from './csv-import.js';
import { adminSummary, listUsers } from './queries.js';
import { AdminSummary, CreateUserBody, ImportPreview, ImportQuery, ImportResult, ListUsersQuery, UpdateUserBody, UserList, UserView } from './schemas.js';
import { createUser, deleteUser, getUser, updateUser } from './service.js';

const tags = ['users'];

const adminOnly = { access: 'adminOnly' as const };

/** The CSV arrives either as a multipart upload (field "file") or as a text/csv body. */
async function csvText(request: FastifyRequest): Promise<string> {
  if (request.isMultipart()) {
    const file = await request.file();
    if (!file) throw new AppError(400, 'VALIDATION_ERROR', 'Attach the CSV as the "file" field');
    return (await file.toBuffer()).toString('utf8');
  }
  if (typeof request.body === 'string') return request.body;
  throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the CSV as multipart/form-data or text/csv');
}

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: app.config.uploadLimitBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/users',
    {
      config: adminOnly,
      schema: { tags, summary: 'List users (teachers, students, guardians), sorted by name', querystring: ListUsersQuery, response: { 200: UserList } },
    },
    async (request, reply) => sendJsonPage(reply, await listUsers(request.tenantDb, request.query), request.query),
  );

  app.get(
    '/users/summary',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: "The admin dashboard's figures: active users per role, classes, curriculum periods not yet scheduled",
        response: { 200: AdminSummary },
      },
    },
    async (request) => adminSummary(request.tenantDb),
  );

  app.post(
    '/users',
    {
      config: adminOnly,
      schema: { tags, summary: 'Create a teacher, student or guardian account', body: CreateUserBody, response: { 201: UserView } },
    },
    async (request, reply) => {
      return reply.code(201).send(await createUser(request, request.body));
    },
  );

  app.post(
    '/users/import',
    {
      config: adminOnly,
      bodyLimit: app.config.uploadLimitBytes,
      schema: {
        tags,
        summary: 'Create users (and link guardians) from a CSV: all rows or none',
        description:
          'Header row: username,password,role,name,email,phone,address,dateOfBirth (joiningDate optional). ' +
          'Guardian rows may add guardianOf (student usernames separated by ";": students of the institution or student rows of the same file) ' +
          'and relationship (mother, father, guardian or other; guardian when empty): each named student is linked to the guardian, not as primary. ' +
          'Send as multipart/form-data (field "file") or as a text/csv body. Invalid rows are reported with their row number and field. ' +
          'With `dryRun=true` nothing is written: 200 with each row, what it would create and its errors, checked exactly as the import checks them.',
        consumes: ['multipart/form-data', 'text/csv'],
        querystring: ImportQuery,
        response: { 200: ImportPreview, 201: ImportResult },
      },
    },
    async (request, reply) => {
      const text = await csvText(request);
      if (request.query.dryRun) return previewUsersCsv(request.tenantDb, text);
      return reply.code(201).send(await importUsersCsv(request, request.tenantDb, text));
    },
  );

  app.get(
    '/users/:id',
    { config: adminOnly, schema: { tags, summary: 'One user', params: IdParams, response: { 200: UserView } } },
    async (request) => getUser(request.tenantDb, request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a user; a new password or deactivation signs them out everywhere',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserView },
      },
    },
    async (request) => updateUser(request, request.params.id, request.body),
  );

  app.delete(
    '/users/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Delete a user; their tokens stop working at once',
        description: 'A user still referenced (homeroom of a class, curriculum, lessons) answers 409 IN_USE with `references` counted per table; deactivate instead.',
        params: IdParams,
        response: { 200: MessageResponse },
      },
    },
    async (request) => {
      await deleteUser(request, request.params.id);
      return { message: 'User deleted' };
    },
  );
};

export default userRoutes;

