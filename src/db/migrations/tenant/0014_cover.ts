import { type Kysely, sql } from 'kysely';

/**
 * Cover for absent teachers (issue 11, modules/cover): a teacher's absence over dates (whole days,
 * or some periods of each), and the covers assigned for the lessons it takes out. The base
 * timetable does not change: a cover is one lesson on one date.
 *
 * The database decides the races: one cover per lesson and date, and a teacher covers at most one
 * lesson in a period of a date, whoever assigns it at the same time (`day` is the date's, so the
 * period of a date is a slot). A lesson that moves or changes teacher loses its covers (they were
 * for its old slot), and its cover teachers hear `timetable.changed`; a deleted lesson or absence
 * takes its covers with it. Absences and covers show in the dated week of `GET /timetable/me`, so
 * both notify the timetable channel (see 0004_schedules_timetable_notifications).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "teacherAbsences" (
      id uuid primary key default gen_random_uuid(),
      "teacherId" uuid not null references users (id) on delete restrict,
      "from" date not null,
      "to" date not null,
      -- NULL: the whole of each day.
      periods integer[] check (cardinality(periods) > 0),
      reason text,
      -- No foreign key: admins live in the registry.
      "createdBy" uuid not null,
      "createdAt" timestamptz not null default now(),
      check ("to" >= "from")
    );
    create index teacher_absences_teacher_idx on "teacherAbsences" ("teacherId", "to");
    create index teacher_absences_dates_idx on "teacherAbsences" ("to", "from");

    create table covers (
      id uuid primary key default gen_random_uuid(),
      "absenceId" uuid not null references "teacherAbsences" (id) on delete cascade,
      "lessonId" uuid not null references lessons (id) on delete cascade,
      date date not null,
      period integer not null,
      "coverTeacherId" uuid not null references users (id) on delete restrict,
      "assignedBy" uuid not null,
      "createdAt" timestamptz not null default now(),
      constraint covers_lesson_date unique ("lessonId", date),
      constraint covers_teacher_slot unique ("coverTeacherId", date, period)
    );
    create index covers_absence_idx on covers ("absenceId");
    create index covers_date_idx on covers (date);

    create function drop_moved_lesson_covers() returns trigger
    language plpgsql set search_path from current as $$
    declare
      people uuid[];
    begin
      with gone as (delete from covers where "lessonId" = new.id returning "coverTeacherId")
        select array_agg("coverTeacherId") into people from gone;
      perform publish_events(people, 'timetable.changed', '{}'::jsonb);
      return null;
    end
    $$;
    create trigger lessons_moved_drop_covers after update on lessons
      for each row when ((old.day, old.period, old."teacherId") is distinct from (new.day, new.period, new."teacherId"))
      execute function drop_moved_lesson_covers();

    create trigger teacher_absences_timetable_changed after insert or update or delete or truncate on "teacherAbsences"
      for each statement execute function notify_timetable_changed();
    create trigger covers_timetable_changed after insert or update or delete or truncate on covers
      for each statement execute function notify_timetable_changed();
  `.execute(db);
}
