import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, type ErrorDetail, notFound } from '../../lib/errors.js';
import type { ChangeContext } from '../../plugins/activity-log.js';
import { type Caller, removeFiles } from '../assignments/service.js';
import type { Principal } from '../auth/queries.js';
import { assertOwnUploads, deleteFilesIfUnreferenced } from '../files/attachments.js';
import { publishEvent } from '../realtime/publish.js';
import { assertSharedChild, authorizeReceiver, DELETE_WINDOW_MINUTES, findAccount, messagePolicy } from './policy.js';
import * as queries from './queries.js';
import type { ConversationQuery, MessagingSettings, SendMessageBody } from './schemas.js';

/**
 * What the activity log records of messaging. Messages are private: the log never holds a body,
 * a quote or a file name. It records that a message was sent (its id, receiver, type, the message
 * it replies to and its file's id), that someone read a partner's messages (how many, up to which),
 * deletions (by whom, and the files deleted with them) and changes to the settings.
 */
const MESSAGE = 'message';

/** The fields of a send that do not fit its type, as 400 details. */
function contentDetails(body: SendMessageBody): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (body.messageType === 'audio') {
    if (body.fileId === undefined) details.push({ field: 'fileId', message: 'is required for a voice message' });
    if (body.message !== undefined) details.push({ field: 'message', message: 'a voice message has no text' });
  } else {
    if (body.message === undefined) details.push({ field: 'message', message: 'is required for a text message' });
    if (body.fileId !== undefined) details.push({ field: 'fileId', message: 'only a voice message (messageType audio) carries a file' });
    if (body.durationSeconds !== undefined) details.push({ field: 'durationSeconds', message: 'only a voice message has a duration' });
  }
  return details;
}

function invalid(details: ErrorDetail[]): AppError {
  return badRequest(`Invalid request: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
}

/** The voice message's file: the sender's own upload (files/attachments.ts) and audio; 400 on `fileId` otherwise. */
async function assertVoiceFile(db: TenantDb, senderId: string, fileId: string): Promise<void> {
  try {
    await assertOwnUploads(db, senderId, [fileId]);
  } catch (error) {
    if (error instanceof AppError && error.details) throw invalid(error.details.map((detail) => ({ ...detail, field: 'fileId' })));
    throw error;
  }
  const file = await db.selectFrom('files').select('contentType').where('id', '=', fileId).executeTakeFirstOrThrow();
  if (!file.contentType.startsWith('audio/')) throw invalid([{ field: 'fileId', message: 'must be an audio file (mp3, wav, webm or ogg)' }]);
}

/**
 * Sends a message: 404 for an unknown or inactive receiver, 403 when the caller may not write to
 * them, 400 when the content does not fit its type or `replyTo` is not a message of this
 * conversation, or `aboutStudentId` is not a child both sides share (policy.ts). The receiver (and
 * the sender's other sessions) hear of it as `message.created`.
 */
export async function sendMessage(caller: Caller, body: SendMessageBody) {
  const { principal } = caller;
  const messageType = body.messageType ?? 'text';
  const details = contentDetails({ ...body, messageType });
  if (body.receiverId.toLowerCase() === principal.id) details.push({ field: 'receiverId', message: 'cannot be yourself' });
  if (details.length > 0) throw invalid(details);
  return caller.change(async ({ db, log }) => {
    const receiver = await authorizeReceiver(db, principal, body.receiverId);
    if (body.replyTo !== undefined && !(await queries.findInConversation(db, principal.id, receiver.id, body.replyTo))) {
      throw invalid([{ field: 'replyTo', message: 'is not a message of this conversation' }]);
    }
    if (body.fileId !== undefined) await assertVoiceFile(db, principal.id, body.fileId);
    if (body.aboutStudentId !== undefined) await assertSharedChild(db, principal, receiver, body.aboutStudentId);
    const { id } = await queries.insertMessage(db, {
      senderId: principal.id,
      receiverId: receiver.id,
      messageType,
      body: body.message ?? null,
      fileId: body.fileId ?? null,
      durationSeconds: body.durationSeconds ?? null,
      replyToId: body.replyTo ?? null,
      aboutStudentId: body.aboutStudentId ?? null,
    });
    await publishEvent(db, { type: 'message.created', recipients: [receiver.id, principal.id], data: { messageId: id, senderId: principal.id, receiverId: receiver.id } });
    await log({
      action: 'send',
      targetType: MESSAGE,
      targetId: id,
      details: { receiverId: receiver.id, messageType, replyTo: body.replyTo ?? null, fileId: body.fileId ?? null, ...(body.aboutStudentId ? { aboutStudentId: body.aboutStudentId } : {}) },
    });
    return queries.findMessage(db, id);
  });
}

/**
 * The other side of a conversation: an account of the institution, or one that was deleted but
 * left messages with the caller. Anything else answers 404, as an id of another institution does.
 */
async function assertPartner(db: TenantDb, principal: Principal, partnerId: string): Promise<string> {
  const id = partnerId.toLowerCase();
  if (id === principal.id) throw invalid([{ field: 'userId', message: 'is yourself: a conversation is with someone else' }]);
  const account = await findAccount(db, principal.institution.id, id);
  if (account || (await queries.haveCorresponded(db, principal.id, id))) return id;
  throw notFound('User');
}

/** Marks read, logs and tells both sides (`message.read`); nothing when there was nothing to mark. */
async function recordRead({ db, log }: ChangeContext, readerId: string, partnerId: string, upTo?: string) {
  await queries.lockConversation(db, readerId, partnerId);
  const marked = await queries.markRead(db, readerId, partnerId, upTo);
  const unreadCount = await queries.recountUnread(db, readerId, partnerId);
  if (marked.count > 0) {
    await publishEvent(db, { type: 'message.read', recipients: [partnerId, readerId], data: { readerId, partnerId, upTo: marked.newestId } });
    await log({ action: 'read', targetType: 'conversation', targetId: partnerId, details: { count: marked.count, upTo: marked.newestId } });
  }
  return { markedRead: marked.count, unreadCount };
}

/**
 * A page of the conversation with `partnerId`, newest first. Opening it marks the partner's
 * messages to the caller read. `before` must be a message of this conversation (400).
 */
export async function conversation(caller: Caller, partnerId: string, query: ConversationQuery) {
  const { principal } = caller;
  return caller.change(async (context) => {
    const { db } = context;
    const partner = await assertPartner(db, principal, partnerId);
    if (query.before !== undefined && !(await queries.findInConversation(db, principal.id, partner, query.before))) {
      throw invalid([{ field: 'before', message: 'is not a message of this conversation' }]);
    }
    await recordRead(context, principal.id, partner);
    const rows = await queries.conversationMessages(db, principal.id, partner, query.before, query.limit + 1);
    const items = rows.slice(0, query.limit);
    return { items, nextBefore: rows.length > query.limit ? items.at(-1)!.id : null };
  });
}

/** Marks the partner's messages read up to `upTo`, a message of this conversation (400 otherwise). */
export async function markRead(caller: Caller, partnerId: string, upTo: string) {
  const { principal } = caller;
  return caller.change(async (context) => {
    const partner = await assertPartner(context.db, principal, partnerId);
    if (!(await queries.findInConversation(context.db, principal.id, partner, upTo))) {
      throw invalid([{ field: 'upTo', message: 'is not a message of this conversation' }]);
    }
    return recordRead(context, principal.id, partner, upTo);
  });
}

/**
 * Deletes a message: the sender within DELETE_WINDOW_MINUTES, admins any (403 otherwise; 404 for
 * a message the caller is no party to). The row stays as "message deleted" without its text or
 * file; the file is deleted when nothing else holds it. Deleting it again changes nothing.
 */
export async function deleteMessage(caller: Caller, id: string) {
  const { principal } = caller;
  const { message, removedFiles } = await caller.change(async ({ db, log }) => {
    const parties = await queries.messageParties(db, id);
    if (!parties || (parties.senderId !== principal.id && parties.receiverId !== principal.id && principal.role !== 'admin')) throw notFound('Message');
    await queries.lockConversation(db, parties.receiverId, parties.senderId);
    const found = await queries.lockMessage(db, parties.id, DELETE_WINDOW_MINUTES);
    if (found.deletedAt !== null) return { message: await queries.findMessage(db, found.id), removedFiles: [] };
    if (!messagePolicy.can(principal, 'delete', found)) {
      throw new AppError(403, 'FORBIDDEN', found.senderId === principal.id ? `Messages can be deleted only within ${DELETE_WINDOW_MINUTES} minutes of sending` : 'Only the sender or an admin can delete a message');
    }
    await db
      .updateTable('messages')
      .set({ body: null, fileId: null, durationSeconds: null, deletedAt: new Date(), deletedBy: principal.id })
      .where('id', '=', found.id)
      .execute();
    const removedFiles = found.fileId ? await deleteFilesIfUnreferenced(db, [found.fileId]) : [];
    if (found.readAt === null) await queries.recountUnread(db, found.receiverId, found.senderId);
    await publishEvent(db, {
      type: 'message.deleted',
      recipients: [found.senderId, found.receiverId],
      data: { messageId: found.id, senderId: found.senderId, receiverId: found.receiverId },
    });
    await log({
      action: 'delete',
      targetType: MESSAGE,
      targetId: found.id,
      details: { senderId: found.senderId, receiverId: found.receiverId, messageType: found.messageType, bySender: found.senderId === principal.id, deletedFileIds: removedFiles },
    });
    return { message: await queries.findMessage(db, found.id), removedFiles };
  });
  await removeFiles(caller, removedFiles);
  return message;
}

export async function updateSettings(caller: Caller, body: MessagingSettings) {
  return caller.change(async ({ db, log }) => {
    const previous = await queries.readSettings(db);
    await db.updateTable('messagingSettings').set({ studentToStudent: body.studentToStudent, updatedAt: new Date() }).execute();
    await log({ action: 'update', targetType: 'messaging-settings', details: { studentToStudent: body.studentToStudent, previous } });
    return queries.readSettings(db);
  });
}

/**
 * A text message another module sends inside its own change (the cover notice to a cover teacher,
 * from the admin who assigned the cover; the absence alert to a guardian, about their child): that
 * module's rules decided it goes out, so messaging's who-may-write-to-whom is not asked. The rows,
 * summary and `message.created` are a send's.
 */
export async function sendNotice({ db, log }: ChangeContext, notice: { senderId: string; receiverId: string; text: string; aboutStudentId?: string }) {
  const { senderId, receiverId, text } = notice;
  const { id } = await queries.insertMessage(db, {
    senderId,
    receiverId,
    messageType: 'text',
    body: text,
    fileId: null,
    durationSeconds: null,
    replyToId: null,
    aboutStudentId: notice.aboutStudentId ?? null,
  });
  await publishEvent(db, { type: 'message.created', recipients: [receiverId, senderId], data: { messageId: id, senderId, receiverId } });
  await log({ action: 'send', targetType: MESSAGE, targetId: id, details: { receiverId, messageType: 'text', replyTo: null, fileId: null } });
  return id;
}
