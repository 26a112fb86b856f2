import { type Kysely, sql } from 'kysely';

/**
 * The school calendar (modules/calendar): events with their audience and recurrence, and the
 * classes a class event is for. Holidays take lessons out of the personal timetable, so every
 * change here notifies the timetable channel too (see 0004_schedules_timetable_notifications):
 * cached weeks with holidays marked are dropped on every instance.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "calendarEvents" (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      description text,
      type text not null check (type in ('event', 'holiday', 'exam', 'meeting')),
      -- A timed event has its instants; an all-day one its first and last day (inclusive).
      "allDay" boolean not null,
      "startsAt" timestamptz,
      "endsAt" timestamptz,
      "startDate" date,
      "endDate" date,
      audience text not null check (audience in ('all', 'classes', 'teachers')),
      -- An RFC 5545 RRULE, expanded in the institution's time zone; exceptions are local dates.
      recurrence text,
      exceptions text[] not null default '{}',
      -- The UID of the imported iCalendar entry: importing the same file again updates it.
      uid text unique,
      -- No foreign key: admins live in the registry.
      "createdBy" uuid not null,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now(),
      check (case when "allDay"
        then "startDate" is not null and "endDate" >= "startDate" and "startsAt" is null and "endsAt" is null
        else "startsAt" is not null and "endsAt" > "startsAt" and "startDate" is null and "endDate" is null end)
    );
    create index calendar_events_starts_idx on "calendarEvents" ("startsAt");
    create index calendar_events_start_date_idx on "calendarEvents" ("startDate");

    create table "calendarEventClasses" (
      "eventId" uuid not null references "calendarEvents" (id) on delete cascade,
      "classId" uuid not null references classes (id) on delete cascade,
      primary key ("eventId", "classId")
    );
    create index calendar_event_classes_class_idx on "calendarEventClasses" ("classId");

    create trigger calendar_events_timetable_changed after insert or update or delete or truncate on "calendarEvents"
      for each statement execute function notify_timetable_changed();
    create trigger calendar_event_classes_timetable_changed after insert or update or delete or truncate on "calendarEventClasses"
      for each statement execute function notify_timetable_changed();
  `.execute(db);
}
