import { type Kysely, sql } from 'kysely';

/**
 * Tells every API instance when something a timetable shows has changed, so that cached
 * timetables (modules/timetable/cache.ts) are dropped whichever code path or manual SQL made the
 * change: lessons, the bell schedule, enrollments, and the names and colours of subjects, classes,
 * rooms and teachers. Payload: the institution's schema. Statement triggers: a bulk write
 * notifies once, and PostgreSQL folds equal notifications of one transaction into one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_timetable_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_timetable_changed', tg_table_schema);
      return null;
    end
    $$;

    create trigger lessons_timetable_changed after insert or update or delete or truncate on lessons
      for each statement execute function notify_timetable_changed();
    create trigger enrollments_timetable_changed after insert or update or delete or truncate on enrollments
      for each statement execute function notify_timetable_changed();
    create trigger bell_schedule_timetable_changed after update on "bellSchedule"
      for each statement execute function notify_timetable_changed();
    create trigger subjects_timetable_changed after update or delete on subjects
      for each statement execute function notify_timetable_changed();
    create trigger classes_timetable_changed after update or delete on classes
      for each statement execute function notify_timetable_changed();
    create trigger rooms_timetable_changed after update or delete on rooms
      for each statement execute function notify_timetable_changed();
    -- Sign-ins update users all day; only a new name shows in a timetable.
    create trigger users_timetable_changed after update on users
      for each row when (old.name is distinct from new.name) execute function notify_timetable_changed();
  `.execute(db);
}
