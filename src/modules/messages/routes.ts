import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendJson } from '../../lib/replies.js';
import { IdParams } from '../../lib/schemas.js';
import { conversationListJson, startConversationsCache, unreadCountJson } from './cache.js';
import { mayReadMessageFile } from './policy.js';
import * as queries from './queries.js';
import {
  ConversationList,
  ConversationListQuery,
  ConversationPage,
  ConversationParams,
  ConversationQuery,
  MessageView,
  MessagingSettings,
  ReadBody,
  ReadResult,
  SendMessageBody,
  UnreadCount,
} from './schemas.js';
import { conversation, deleteMessage, markRead, sendMessage, updateSettings } from './service.js';

const tags = ['messages'];

const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.fileAccess.register(mayReadMessageFile);
  const conversations = await startConversationsCache(app);

  app.post(
    '/messages',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'Send a text or voice message to one person',
        description:
          'Text: `message` (1-5,000 characters). Voice: `messageType: "audio"` with `fileId`, an mp3, wav, webm or ogg file the caller ' +
          'uploaded (POST /api/files), and optionally `durationSeconds`. `replyTo` quotes a message of the same conversation (400 ' +
          'otherwise). Admins and teachers write to anyone; students to admins, to the teachers of their class (subject or homeroom), ' +
          'to anyone who wrote to them, and to students only when GET /api/settings/messaging allows it: 403 FORBIDDEN otherwise. ' +
          'An unknown or inactive receiver: 404. The receiver gets a `message.created` event.',
        body: SendMessageBody,
        response: { 201: MessageView },
      },
    },
    async (request, reply) => reply.code(201).send(await sendMessage(request, request.body)),
  );

  app.get(
    '/messages/unread-count',
    {
      config: { access: 'anyAccount' },
      schema: { tags, summary: 'How many messages to the caller are unread, over all conversations', response: { 200: UnreadCount } },
    },
    async (request, reply) => sendJson(reply, await unreadCountJson(conversations, request)),
  );

  app.get(
    '/messages/:userId',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'The conversation with one person, newest first',
        description:
          'Pages go back in time: pass the answer\'s `nextBefore` as `before` for older messages. Each message carries a summary of ' +
          "the one it replies to. Opening the conversation marks the other side's messages read (they get a `message.read` event). " +
          '404 for an id that is no account of the institution and has no messages with the caller.',
        params: ConversationParams,
        querystring: ConversationQuery,
        response: { 200: ConversationPage },
      },
    },
    async (request) => conversation(request, request.params.userId, request.query),
  );

  app.post(
    '/messages/:userId/read',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: "Mark the other side's messages read up to one message",
        description: "`upTo` must be a message of this conversation (400 otherwise); the other side's unread messages up to it are marked read.",
        params: ConversationParams,
        body: ReadBody,
        response: { 200: ReadResult },
      },
    },
    async (request) => markRead(request, request.params.userId, request.body.upTo),
  );

  app.delete(
    '/messages/:id',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'Delete a message: it stays as "message deleted"',
        description:
          'The sender within 15 minutes of sending, and admins at any time (403 otherwise; 404 for a message the caller is no party to). ' +
          'Its text and file are removed (the file is deleted when nothing else holds it); both sides get a `message.deleted` event. ' +
          'Deleting a deleted message answers it unchanged.',
        params: IdParams,
        response: { 200: MessageView },
      },
    },
    async (request) => deleteMessage(request, request.params.id),
  );

  app.get(
    '/conversations',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: "The caller's conversations, most recent first",
        description: 'One row per person the caller has exchanged messages with: the partner, a preview of the last message, and how many of theirs are unread.',
        querystring: ConversationListQuery,
        response: { 200: ConversationList },
      },
    },
    async (request, reply) => sendJson(reply, await conversationListJson(conversations, request, request.query)),
  );

  app.get(
    '/settings/messaging',
    {
      config: { access: 'adminOnly' },
      schema: { tags, summary: 'Who may write to whom in this institution', response: { 200: MessagingSettings } },
    },
    async (request) => queries.readSettings(request.tenantDb),
  );

  app.put(
    '/settings/messaging',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Change who may write to whom',
        description: '`studentToStudent`: students may write to any student of the institution (off by default).',
        body: MessagingSettings,
        response: { 200: MessagingSettings },
      },
    },
    async (request) => updateSettings(request, request.body),
  );
};

export default messageRoutes;
