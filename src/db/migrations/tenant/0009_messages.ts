import { type Kysely, sql } from 'kysely';

/**
 * One-to-one messages (issue 10), a summary row per user and conversation, and the institution's
 * messaging settings.
 *
 * `senderId` and `receiverId` have no foreign key: either may be an admin, and admins live in
 * registry.admins, not in this schema's users. A message outlives a deleted account (the other
 * side keeps the conversation); the API shows such a partner without a name. The pair of a
 * message, (`userLow`, `userHigh`), is stored so that a conversation is one index range, whoever
 * sent each message.
 *
 * A deleted message stays as a row ("message deleted"): its body, file and duration are cleared
 * and `deletedAt` is set, so replies to it and the conversation summaries keep pointing at it. A
 * voice message's file is held with ON DELETE RESTRICT like every attachment (files/attachments.ts).
 *
 * `conversations` holds, per user and partner, the last message and how many of the partner's
 * messages the user has not read. Every message write keeps it in step in its own transaction, so
 * the conversation list is one indexed read however long the conversations are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table messages (
      id uuid primary key default gen_random_uuid(),
      "senderId" uuid not null,
      "receiverId" uuid not null,
      "userLow" uuid not null generated always as (least("senderId", "receiverId")) stored,
      "userHigh" uuid not null generated always as (greatest("senderId", "receiverId")) stored,
      "messageType" text not null check ("messageType" in ('text', 'audio')),
      body text check (length(body) between 1 and 5000),
      "fileId" uuid references files (id) on delete restrict,
      "durationSeconds" double precision check ("durationSeconds" between 0 and 3600),
      "replyToId" uuid references messages (id) on delete restrict,
      "readAt" timestamptz,
      "deletedAt" timestamptz,
      -- No foreign key: an admin deleting lives in the registry.
      "deletedBy" uuid,
      "createdAt" timestamptz not null default now(),
      constraint messages_not_to_self check ("senderId" <> "receiverId"),
      constraint messages_content check (
        "deletedAt" is not null and body is null and "fileId" is null
        or "deletedAt" is null and "messageType" = 'text' and body is not null and "fileId" is null
        or "deletedAt" is null and "messageType" = 'audio' and body is null and "fileId" is not null)
    );
    create index messages_conversation_idx on messages ("userLow", "userHigh", "createdAt" desc, id desc);
    create index messages_unread_idx on messages ("receiverId", "senderId", "createdAt") where "readAt" is null and "deletedAt" is null;
    create index messages_file_idx on messages ("fileId") where "fileId" is not null;
    create index messages_reply_idx on messages ("replyToId") where "replyToId" is not null;

    create table conversations (
      "userId" uuid not null,
      "partnerId" uuid not null,
      "lastMessageId" uuid not null references messages (id) on delete restrict,
      "lastMessageAt" timestamptz not null,
      "unreadCount" integer not null default 0 check ("unreadCount" >= 0),
      primary key ("userId", "partnerId")
    );
    create index conversations_recent_idx on conversations ("userId", "lastMessageAt" desc, "lastMessageId" desc);

    create table "messagingSettings" (
      -- One row per institution.
      id boolean primary key default true check (id),
      "studentToStudent" boolean not null default false,
      "updatedAt" timestamptz not null default now()
    );
    insert into "messagingSettings" default values;
  `.execute(db);
}
