import { type Kysely, sql } from 'kysely';

/**
 * Two things issue 10 was missing.
 *
 * 1. Tells every API instance when a cached conversation list or unread count
 *    (modules/messages/cache.ts) may have changed, whichever code path or manual SQL made the
 *    change. Channel `crm_conversations_changed`, payload '<schema> <tag> <tag>…':
 *    - `user:<id>`: that user's answers – their summary rows changed (a message to or from them, a
 *      read mark, a recount), or a message of theirs changed what a list shows of it (read,
 *      deleted);
 *    - `partner:<id>`: answers that show this account as a partner – it was renamed, changed role or
 *      was deleted;
 *    - '<schema>' alone: every answer of the institution (truncation, or a bulk change naming more
 *      people than fit in one payload: NOTIFY takes at most 8,000 bytes).
 *    Messages are only inserted together with their summary rows, whose trigger tells both sides.
 *    Admins' names live in the registry and no route changes them.
 *
 * 2. A bell-schedule change moves the times of every lesson: `timetable.changed` goes to everyone
 *    with lessons, their teachers and the students enrolled in their classes (the lesson and
 *    enrollment triggers of 0010_realtime_events tell only the people of the lessons they touch).
 *    Only a change of days or periods: its `updatedAt` alone changes nobody's week.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The trigger functions keep the tenant's search_path (set while the migration runs), so they
    -- find this function and the tenant's tables whoever calls them.
    -- At most 150 tags per notification (each about 45 bytes): more evict the institution.
    create function notify_conversations_changed(schema_name text, tags text[]) returns void language plpgsql as $$
    begin
      if cardinality(tags) = 0 then
        return;
      elsif cardinality(tags) > 150 then
        perform pg_notify('crm_conversations_changed', schema_name);
      else
        perform pg_notify('crm_conversations_changed', schema_name || ' ' || array_to_string(tags, ' '));
      end if;
    end
    $$;

    create function notify_conversation_rows_changed() returns trigger
    language plpgsql set search_path from current as $$
    declare
      tags text[] := '{}';
    begin
      if tg_op <> 'INSERT' then tags := tags || ('user:' || old."userId"); end if;
      if tg_op <> 'DELETE' then tags := tags || ('user:' || new."userId"); end if;
      perform notify_conversations_changed(tg_table_schema, array(select distinct unnest(tags)));
      return null;
    end
    $$;

    -- A statement trigger: a read mark updates many messages of one pair, which is one notification.
    -- Transition tables exist only for their operation, so each branch names only its own.
    create function notify_conversation_messages_changed() returns trigger
    language plpgsql set search_path from current as $$
    declare
      tags text[];
    begin
      if tg_op = 'UPDATE' then
        select coalesce(array_agg(distinct 'user:' || person), '{}') into tags
          from old_messages o join new_messages n using (id),
            lateral (values (n."senderId"), (n."receiverId")) as parties (person)
          where (o."messageType", o.body, o."durationSeconds", o."readAt", o."deletedAt")
            is distinct from (n."messageType", n.body, n."durationSeconds", n."readAt", n."deletedAt");
      else
        select coalesce(array_agg(distinct 'user:' || person), '{}') into tags
          from old_messages o, lateral (values (o."senderId"), (o."receiverId")) as parties (person);
      end if;
      perform notify_conversations_changed(tg_table_schema, tags);
      return null;
    end
    $$;

    create function notify_conversation_partner_changed() returns trigger
    language plpgsql set search_path from current as $$
    begin
      perform notify_conversations_changed(tg_table_schema, array['partner:' || old.id]);
      return null;
    end
    $$;

    create function notify_conversations_institution() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_conversations_changed', tg_table_schema);
      return null;
    end
    $$;

    create trigger conversations_cache_changed after insert or delete on conversations
      for each row execute function notify_conversation_rows_changed();
    -- Opening a conversation recounts its unread messages whether or not any were marked.
    create trigger conversations_cache_updated after update on conversations
      for each row when (old is distinct from new) execute function notify_conversation_rows_changed();
    create trigger messages_cache_updated after update on messages
      referencing old table as old_messages new table as new_messages
      for each statement execute function notify_conversation_messages_changed();
    create trigger messages_cache_deleted after delete on messages referencing old table as old_messages
      for each statement execute function notify_conversation_messages_changed();
    create trigger conversations_cache_truncated after truncate on conversations
      for each statement execute function notify_conversations_institution();
    create trigger messages_cache_truncated after truncate on messages
      for each statement execute function notify_conversations_institution();
    -- Sign-ins update users all day; only a name or role shows in a list.
    create trigger users_conversation_partner_changed after update on users
      for each row when ((old.name, old.role) is distinct from (new.name, new.role))
      execute function notify_conversation_partner_changed();
    create trigger users_conversation_partner_deleted after delete on users
      for each row execute function notify_conversation_partner_changed();

    create function publish_bell_schedule_changed() returns trigger
    language plpgsql set search_path from current as $$
    begin
      perform publish_events(
        array(
          select "teacherId" from lessons
          union
          select e."studentId" from enrollments e where e."classId" in (select "classId" from lessons)
        ),
        'timetable.changed',
        '{"bellSchedule": true}'::jsonb);
      return null;
    end
    $$;

    create trigger bell_schedule_publish after update on "bellSchedule"
      for each row when ((old.days, old.periods) is distinct from (new.days, new.periods))
      execute function publish_bell_schedule_changed();
  `.execute(db);
}
