import { type Kysely, sql } from 'kysely';

/**
 * The institution's time zone (recurring events, lessons in the calendar feed and holiday dates
 * are reckoned in it), and each person's private calendar feed: the feed URL carries no
 * institution, so its token is looked up here. Only the token's SHA-256 is stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table institutions add column "timeZone" text not null default 'UTC';

    -- A new time zone moves holiday dates in cached timetables (modules/timetable/cache.ts).
    create function notify_institution_time_zone_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_timetable_changed', new."schemaName");
      return null;
    end
    $$;
    create trigger institutions_time_zone_changed after update on institutions for each row
      when (old."timeZone" is distinct from new."timeZone")
      execute function notify_institution_time_zone_changed();

    create table "calendarFeeds" (
      id uuid primary key default gen_random_uuid(),
      "institutionId" uuid not null references institutions (id) on delete cascade,
      -- A user id or an admin id (admins live here, users in the tenant schema): no foreign key.
      "userId" uuid not null,
      role text not null,
      "tokenHash" bytea not null,
      "createdAt" timestamptz not null default now(),
      unique ("institutionId", "userId")
    );
  `.execute(db);
}
