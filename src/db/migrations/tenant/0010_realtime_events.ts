import { type Kysely, sql } from 'kysely';

/**
 * Live events (issue 10): one row per recipient, ordered by `cursor`, so a socket that reconnects
 * reads what it missed from here (modules/realtime). Rows hold ids and small facts, never message
 * bodies; a periodic sweep removes them after the retention (REALTIME_EVENT_RETENTION_MS).
 *
 * Writers go through publish_events() (modules/realtime/publish.ts calls it; the timetable
 * triggers below do too), which takes the institution's event lock before inserting: see there.
 * The functions keep the tenant's search_path (`from current`: the migration runs with it set), so
 * they find the tenant's tables whoever calls them.
 *
 * `timetable.changed` is sent by triggers on lessons and enrollments rather than by the schedules
 * service: lessons are written by the lesson routes (one, bulk), by applying a generated timetable,
 * by cascades (a class deleted) and by hand in SQL, and a trigger is the one place none of these
 * can forget. Recipients: the teachers of the lessons before and after the change and the students
 * of their classes before and after (a lesson moved to another class changes both weeks); for
 * enrollments, the student who joined, left or changed class. Statement triggers with transition
 * tables: a bulk write or an apply is one event per person, not one per lesson.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table events (
      cursor bigint generated always as identity primary key,
      id uuid not null unique default gen_random_uuid(),
      "userId" uuid not null,
      type text not null,
      data jsonb not null default '{}',
      "createdAt" timestamptz not null default now()
    );
    create index events_user_idx on events ("userId", cursor);
    create index events_created_idx on events ("createdAt");

    -- Cursors must become visible in order: a socket that has read cursor 11 must never later
    -- find 10 committed. Identity values are handed out at insert but become visible at commit,
    -- so two writers could commit out of order. A transaction-scoped advisory lock per
    -- institution, taken before the insert and held to commit, makes event-writing transactions
    -- of one institution commit in cursor order (they only wait for each other). Every instance
    -- is told '<schema>:<highest cursor>' at commit; a rolled-back transaction tells nobody.
    create function publish_events(recipients uuid[], event_type text, event_data jsonb) returns void
    language plpgsql set search_path from current as $$
    declare
      last_cursor bigint;
    begin
      if coalesce(cardinality(recipients), 0) = 0 then
        return;
      end if;
      perform pg_advisory_xact_lock(hashtext('crm_events'), hashtext(current_schema()));
      with inserted as (
        insert into events ("userId", type, data)
          select distinct recipient, event_type, event_data from unnest(recipients) as recipient
          returning cursor
      )
      select max(cursor) into last_cursor from inserted;
      perform pg_notify('crm_events', current_schema() || ':' || last_cursor::text);
    end
    $$;

    create function publish_timetable_changed() returns trigger
    language plpgsql set search_path from current as $$
    declare
      classes uuid[];
      people uuid[];
    begin
      -- Transition tables exist only for their operation, so each branch names only its own.
      if tg_table_name = 'lessons' then
        if tg_op = 'INSERT' then
          select array_agg("classId"), array_agg("teacherId") into classes, people from new_lessons;
        elsif tg_op = 'DELETE' then
          select array_agg("classId"), array_agg("teacherId") into classes, people from old_lessons;
        else
          select array_agg(c), array_agg(t) into classes, people
            from old_lessons o join new_lessons n using (id),
              lateral (values (o."classId", o."teacherId"), (n."classId", n."teacherId")) as both_sides (c, t)
            where (o."classId", o."teacherId", o."subjectId", o."roomId", o.day, o.period)
              is distinct from (n."classId", n."teacherId", n."subjectId", n."roomId", n.day, n.period);
        end if;
        people := people || array(select "studentId" from enrollments where "classId" = any(classes));
      elsif tg_op = 'INSERT' then
        people := array(select "studentId" from new_enrollments);
      elsif tg_op = 'DELETE' then
        people := array(select "studentId" from old_enrollments);
      else
        people := array(select o."studentId" from old_enrollments o join new_enrollments n using ("studentId")
          where o."classId" is distinct from n."classId");
      end if;
      perform publish_events(people, 'timetable.changed', '{}'::jsonb);
      return null;
    end
    $$;

    create trigger lessons_inserted_publish after insert on lessons referencing new table as new_lessons
      for each statement execute function publish_timetable_changed();
    create trigger lessons_updated_publish after update on lessons
      referencing old table as old_lessons new table as new_lessons
      for each statement execute function publish_timetable_changed();
    create trigger lessons_deleted_publish after delete on lessons referencing old table as old_lessons
      for each statement execute function publish_timetable_changed();
    create trigger enrollments_inserted_publish after insert on enrollments referencing new table as new_enrollments
      for each statement execute function publish_timetable_changed();
    create trigger enrollments_updated_publish after update on enrollments
      referencing old table as old_enrollments new table as new_enrollments
      for each statement execute function publish_timetable_changed();
    create trigger enrollments_deleted_publish after delete on enrollments referencing old table as old_enrollments
      for each statement execute function publish_timetable_changed();
  `.execute(db);
}
