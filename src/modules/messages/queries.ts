import { expressionBuilder, type Insertable, sql } from 'kysely';
import { jsonBuildObject, jsonObjectFrom } from 'kysely/helpers/postgres';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { PREVIEW_CHARS } from './schemas.js';
import type { MessageTable } from './tables.js';

/** Builds subqueries; the tenant schema is applied by the query they end up in. */
const q = expressionBuilder<Database, never>();

/** The text of message `alias` cut for a preview. */
const preview = (alias: string) => sql<string | null>`left(${sql.ref(`${alias}.body`)}, ${sql.lit(PREVIEW_CHARS)})`;

/** The message `m` quotes, as `ReplySummary`. */
const replySummary = () =>
  jsonObjectFrom(
    q
      .selectFrom('messages as r')
      .select(['r.id', 'r.senderId', 'r.messageType', preview('r').as('message'), 'r.durationSeconds', 'r.deletedAt'])
      .where('r.id', '=', sql.ref<string>('m.replyToId')),
  );

/** The columns of `MessageView`, in its order, for a query of `messages as m`. */
const messageColumns = () =>
  [
    'm.id',
    'm.senderId',
    'm.receiverId',
    'm.messageType',
    'm.body as message',
    jsonObjectFrom(q.selectFrom('files as f').select(['f.id', 'f.name', 'f.size', 'f.contentType']).where('f.id', '=', sql.ref<string>('m.fileId'))).as('file'),
    'm.durationSeconds',
    replySummary().as('replyTo'),
    'm.aboutStudentId',
    'm.readAt',
    'm.deletedAt',
    'm.createdAt',
  ] as const;

/** The two ids of a conversation as the messages table stores its pair. */
const pairOf = (a: string, b: string) => ({ low: sql<string>`least(${a}::uuid, ${b}::uuid)`, high: sql<string>`greatest(${a}::uuid, ${b}::uuid)` });

export function findMessage(db: TenantDb, id: string) {
  return db.selectFrom('messages as m').select(messageColumns()).where('m.id', '=', id).executeTakeFirstOrThrow();
}

/** The message with this id if it belongs to the conversation of `a` and `b`. */
export function findInConversation(db: TenantDb, a: string, b: string, id: string) {
  const { low, high } = pairOf(a, b);
  return db.selectFrom('messages').select(['id', 'senderId']).where('id', '=', id).where('userLow', '=', low).where('userHigh', '=', high).executeTakeFirst();
}

/** Whether `a` and `b` have exchanged any message. */
export async function haveCorresponded(db: TenantDb, a: string, b: string): Promise<boolean> {
  const row = await db.selectFrom('conversations').select('userId').where('userId', '=', a).where('partnerId', '=', b).executeTakeFirst();
  return row !== undefined;
}

/** Up to `limit` messages of the conversation of `a` and `b`, newest first, older than the message `before`. */
export function conversationMessages(db: TenantDb, a: string, b: string, before: string | undefined, limit: number) {
  const { low, high } = pairOf(a, b);
  let query = db.selectFrom('messages as m').select(messageColumns()).where('m.userLow', '=', low).where('m.userHigh', '=', high);
  if (before !== undefined) {
    query = query.where((eb) =>
      eb(eb.refTuple('m.createdAt', 'm.id'), '<', eb.selectFrom('messages as b').select(['b.createdAt', 'b.id']).where('b.id', '=', before).$asTuple('createdAt', 'id')),
    );
  }
  return query.orderBy('m.createdAt', 'desc').orderBy('m.id', 'desc').limit(limit).execute();
}

/**
 * Adds a message and brings both sides' conversation rows up to date: the newest message (by
 * time, then id, so concurrent writers agree) and one more unread for the receiver. Both rows are
 * written by one statement in the order of their keys, so two people writing to each other at
 * once lock them in the same order and cannot deadlock.
 */
export async function insertMessage(db: TenantDb, values: Insertable<MessageTable>) {
  const message = await db.insertInto('messages').values(values).returning(['id', 'createdAt']).executeTakeFirstOrThrow();
  const sides = [
    { userId: values.senderId, partnerId: values.receiverId, unreadCount: 0 },
    { userId: values.receiverId, partnerId: values.senderId, unreadCount: 1 },
  ].sort((x, y) => (x.userId < y.userId ? -1 : 1));
  await db
    .insertInto('conversations')
    .values(sides.map((side) => ({ ...side, lastMessageId: message.id, lastMessageAt: message.createdAt })))
    .onConflict((conflict) =>
      conflict.columns(['userId', 'partnerId']).doUpdateSet({
        lastMessageId: sql`case when (excluded."lastMessageAt", excluded."lastMessageId") > (conversations."lastMessageAt", conversations."lastMessageId") then excluded."lastMessageId" else conversations."lastMessageId" end`,
        lastMessageAt: sql`greatest(excluded."lastMessageAt", conversations."lastMessageAt")`,
        unreadCount: sql`conversations."unreadCount" + excluded."unreadCount"`,
      }),
    )
    .execute();
  return message;
}

/**
 * Locks `userId`'s conversation row with `partnerId` until the transaction ends. Read marks and
 * deletions take it before they touch messages, and sends hold it from their upsert, so an unread
 * count is always recounted after every message a concurrent send committed (a statement's
 * snapshot is taken when it starts, not when it gets the lock); rows are always locked
 * conversation first, then messages, so these writers cannot deadlock each other.
 */
export async function lockConversation(db: TenantDb, userId: string, partnerId: string): Promise<void> {
  await db.selectFrom('conversations').select('userId').where('userId', '=', userId).where('partnerId', '=', partnerId).forUpdate().execute();
}

/** Counts again the messages of `partnerId` that `userId` has not read, into their conversation row. */
export async function recountUnread(db: TenantDb, userId: string, partnerId: string): Promise<number> {
  const row = await db
    .updateTable('conversations')
    .set((eb) => ({
      unreadCount: eb
        .selectFrom('messages')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .where('receiverId', '=', userId)
        .where('senderId', '=', partnerId)
        .where('readAt', 'is', null)
        .where('deletedAt', 'is', null),
    }))
    .where('userId', '=', userId)
    .where('partnerId', '=', partnerId)
    .returning('unreadCount')
    .executeTakeFirst();
  return row?.unreadCount ?? 0;
}

/**
 * Marks `partnerId`'s unread messages to `readerId` read, those up to the message `upTo` when it
 * is given, and returns the newest one marked (undefined when there was none).
 */
export async function markRead(db: TenantDb, readerId: string, partnerId: string, upTo?: string) {
  const row = await db
    .with('marked', (cte) => {
      let update = cte
        .updateTable('messages as m')
        .set({ readAt: new Date() })
        .where('m.receiverId', '=', readerId)
        .where('m.senderId', '=', partnerId)
        .where('m.readAt', 'is', null)
        .where('m.deletedAt', 'is', null);
      if (upTo !== undefined) {
        update = update.where((eb) =>
          eb(eb.refTuple('m.createdAt', 'm.id'), '<=', eb.selectFrom('messages as u').select(['u.createdAt', 'u.id']).where('u.id', '=', upTo).$asTuple('createdAt', 'id')),
        );
      }
      return update.returning(['m.id', 'm.createdAt']);
    })
    .selectFrom('marked')
    .select([sql<number>`count(*)::int`.as('count'), sql<string | null>`(array_agg(id order by "createdAt" desc, id desc))[1]`.as('newestId')])
    .executeTakeFirstOrThrow();
  return { count: row.count, newestId: row.newestId ?? undefined };
}

/** Who sent the message to whom, without a lock. */
export function messageParties(db: TenantDb, id: string) {
  return db.selectFrom('messages').select(['id', 'senderId', 'receiverId']).where('id', '=', id).executeTakeFirst();
}

/** The message with what deciding on its deletion needs, locked for the rest of the transaction. */
export function lockMessage(db: TenantDb, id: string, windowMinutes: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'senderId', 'receiverId', 'messageType', 'fileId', 'readAt', 'deletedAt', sql<boolean>`"createdAt" > now() - make_interval(mins => ${windowMinutes})`.as('withinWindow')])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function unreadTotal(db: TenantDb, userId: string): Promise<number> {
  const row = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('unreadCount'), sql<number>`0`).as('total'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

interface ConversationFilters extends Record<string, unknown> {
  userId: string;
}

/** A conversation's last message as `LastMessage`, for a query of `conversations as c`. */
const lastMessage = () =>
  q
    .selectFrom('messages as m')
    .select((eb) =>
      jsonBuildObject({
        id: eb.ref('m.id'),
        senderId: eb.ref('m.senderId'),
        messageType: eb.ref('m.messageType'),
        message: preview('m'),
        durationSeconds: eb.ref('m.durationSeconds'),
        deletedAt: eb.ref('m.deletedAt'),
        readAt: eb.ref('m.readAt'),
        createdAt: eb.ref('m.createdAt'),
      }).as('lastMessage'),
    )
    .where('m.id', '=', sql.ref<string>('c.lastMessageId'));

/**
 * The caller's conversations as `Conversation` rows, most recent first: one read of their
 * summary rows by index, each with its last message (by primary key) and its partner (a user, or
 * an admin in the registry; neither when the account was deleted). The last message is a
 * subquery rather than a join, so the page's count reads the summary rows alone (PostgreSQL drops
 * the unused left joins on unique keys).
 */
export const conversationPages = jsonPages((db, filters: ConversationFilters) =>
  db
    .selectFrom('conversations as c')
    .leftJoin('users as u', 'u.id', 'c.partnerId')
    .leftJoin('registry.admins as a', 'a.id', 'c.partnerId')
    .select((eb) => [
      jsonBuildObject({
        id: eb.ref('c.partnerId'),
        name: eb.fn.coalesce('u.name', 'a.name'),
        role: sql<string | null>`coalesce(${eb.ref('u.role')}, case when ${eb.ref('a.id')} is not null then 'admin' end)`,
      }).as('partner'),
      lastMessage().$asScalar().as('lastMessage'),
      'c.unreadCount',
    ])
    .where('c.userId', '=', filters.userId)
    .orderBy('c.lastMessageAt', 'desc')
    .orderBy('c.lastMessageId', 'desc'),
);

export function readSettings(db: TenantDb) {
  return db.selectFrom('messagingSettings').select(['studentToStudent']).executeTakeFirstOrThrow();
}
