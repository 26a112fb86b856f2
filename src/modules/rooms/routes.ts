import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { listRooms } from './queries.js';
import { CreateRoomBody, ListRoomsQuery, RoomList, RoomView, UpdateRoomBody } from './schemas.js';
import { createRoom, deleteRoom, getRoom, updateRoom } from './service.js';

const tags = ['rooms'];

/** Everyone in the institution reads rooms (timetables show them); only admins change them. */
const everyone = { access: 'authenticated' as const };
const adminOnly = { access: 'adminOnly' as const };

const roomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/rooms',
    {
      config: everyone,
      schema: { tags, summary: 'List rooms, sorted by name', querystring: ListRoomsQuery, response: { 200: RoomList } },
    },
    async (request, reply) => sendJsonPage(reply, await listRooms(request.tenantDb, request.query), request.query),
  );

  app.post(
    '/rooms',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Create a room',
        description: 'The name is unique in the institution, ignoring case: a clash answers 409 CONFLICT.',
        body: CreateRoomBody,
        response: { 201: RoomView },
      },
    },
    async (request, reply) => reply.code(201).send(await createRoom(request, request.body)),
  );

  app.get(
    '/rooms/:id',
    { config: everyone, schema: { tags, summary: 'One room', params: IdParams, response: { 200: RoomView } } },
    async (request) => getRoom(request.tenantDb, request.params.id),
  );

  app.patch(
    '/rooms/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Change a room; null clears its capacity',
        params: IdParams,
        body: UpdateRoomBody,
        response: { 200: RoomView },
      },
    },
    async (request) => updateRoom(request, request.params.id, request.body),
  );

  app.delete(
    '/rooms/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Delete a room',
        description: 'A room still in a curriculum or the timetable answers 409 IN_USE with `references` counted per table.',
        params: IdParams,
        response: { 200: MessageResponse },
      },
    },
    async (request) => {
      await deleteRoom(request, request.params.id);
      return { message: 'Room deleted' };
    },
  );
};

export default roomRoutes;
