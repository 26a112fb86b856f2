import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';
import { FileRef } from '../assignments/schemas.js';

const EXAMPLE_ID = '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f';

/** Text shown where a message is only previewed (a reply's quote, a conversation's last message). */
export const PREVIEW_CHARS = 200;

export const MessageType = Type.Union([Type.Literal('text'), Type.Literal('audio')]);
const DurationSeconds = Type.Number({ minimum: 0, maximum: 3600, description: 'Length of the voice message, as the recording client measured it' });

export const SendMessageBody = Type.Object(
  {
    receiverId: { ...Uuid, description: 'An active user or admin of the institution the caller may write to' },
    messageType: Type.Optional({ ...MessageType, default: 'text' }),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S', description: 'The text (messageType text only); not blank' })),
    fileId: Type.Optional({ ...Uuid, description: 'messageType audio: an mp3, wav, webm or ogg file the caller uploaded (POST /api/files)' }),
    durationSeconds: Type.Optional(DurationSeconds),
    replyTo: Type.Optional({ ...Uuid, description: 'A message of the same conversation' }),
    aboutStudentId: Type.Optional({
      ...Uuid,
      description: "Between a guardian and the school: the child the message is about, the guardian's child and, for a teacher, a student they teach",
    }),
  },
  {
    additionalProperties: false,
    examples: [{ receiverId: EXAMPLE_ID, message: 'Could we talk about the field trip tomorrow?' }],
  },
);

/** The message a reply quotes: its text cut to PREVIEW_CHARS characters. */
export const ReplySummary = Type.Object({
  id: Uuid,
  senderId: Uuid,
  messageType: MessageType,
  message: Nullable(Type.String({ description: `The first ${PREVIEW_CHARS} characters; null for voice and deleted messages` })),
  durationSeconds: Nullable(Type.Number()),
  deletedAt: Nullable(Timestamp),
});

export const MessageView = Type.Object({
  id: Uuid,
  senderId: Uuid,
  receiverId: Uuid,
  messageType: MessageType,
  message: Nullable(Type.String({ description: 'Null for voice messages and deleted messages' })),
  file: Nullable({ ...FileRef, description: 'The voice message\'s audio at GET /api/files/:id (sender and receiver may download it); null once deleted' }),
  durationSeconds: Nullable(Type.Number()),
  replyTo: Nullable(ReplySummary),
  aboutStudentId: Nullable({ ...Uuid, description: 'The child the message is about (messages between a guardian and the school)' }),
  readAt: Nullable({ ...Timestamp, description: 'When the receiver read it' }),
  deletedAt: Nullable({ ...Timestamp, description: 'Set when the message was deleted: it stays as "message deleted", without text or file' }),
  createdAt: Timestamp,
});

export const ConversationParams = Type.Object({ userId: { ...Uuid, description: 'The other side: a user or admin of the institution' } });

export const ConversationQuery = Type.Object(
  {
    before: Type.Optional({ ...Uuid, description: 'A message of this conversation: only older ones are listed (the `nextBefore` of the previous page)' }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  },
  { additionalProperties: false },
);

export const ConversationPage = Type.Object({
  items: Type.Array(MessageView, { description: 'Newest first' }),
  nextBefore: Nullable({ ...Uuid, description: 'Pass as `before` for the next, older page; null on the last page' }),
});

export const ReadBody = Type.Object(
  { upTo: { ...Uuid, description: "A message of this conversation: the other side's messages up to it are marked read" } },
  { additionalProperties: false, examples: [{ upTo: EXAMPLE_ID }] },
);

export const ReadResult = Type.Object({
  markedRead: Type.Integer({ description: 'Messages this call marked read' }),
  unreadCount: Type.Integer({ description: "The other side's messages still unread in this conversation" }),
});

export const Partner = Type.Object({
  id: Uuid,
  name: Nullable(Type.String({ description: 'Null when the account was deleted' })),
  role: Nullable({ ...Type.Union([Type.Literal('admin'), Type.Literal('teacher'), Type.Literal('student'), Type.Literal('guardian')]), description: 'Null when the account was deleted' }),
});

/** A conversation's last message, previewed like a quote. */
export const LastMessage = Type.Object({ ...ReplySummary.properties, readAt: Nullable(Timestamp), createdAt: Timestamp });

export const Conversation = Type.Object({
  partner: Partner,
  lastMessage: LastMessage,
  unreadCount: Type.Integer({ description: "The partner's messages the caller has not read" }),
});

export const ConversationList = Paginated(Conversation);
export const ConversationListQuery = Type.Object(PageQuery, { additionalProperties: false });

export const UnreadCount = Type.Object({ unreadCount: Type.Integer({ description: 'Messages to the caller not read yet, over all conversations' }) });

export const MessagingSettings = Type.Object(
  { studentToStudent: Type.Boolean({ description: 'Students may write to other students (off by default)' }) },
  { additionalProperties: false, examples: [{ studentToStudent: true }] },
);

export type SendMessageBody = Static<typeof SendMessageBody>;
export type ConversationQuery = Static<typeof ConversationQuery>;
export type MessageView = Static<typeof MessageView>;
export type MessagingSettings = Static<typeof MessagingSettings>;
