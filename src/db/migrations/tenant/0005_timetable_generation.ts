import { type Kysely, sql } from 'kysely';

/**
 * What the timetable generator (issue 8) needs beyond the academic structure: each teacher's
 * not-available periods and limits, per curriculum row its double periods and lessons a day, per
 * class whether its days are compact, and the generation jobs with their progress and result.
 *
 * At most one job per institution is queued or running: a partial unique index decides, so two
 * admins starting a job at once cannot both succeed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "teacherAvailability" (
      "teacherId" uuid primary key references users (id) on delete cascade,
      unavailable jsonb not null default '[]'::jsonb,
      "maxPeriodsPerDay" integer check ("maxPeriodsPerDay" between 1 and 16),
      "maxPeriodsPerWeek" integer check ("maxPeriodsPerWeek" between 1 and 112),
      "maxGapsPerDay" integer check ("maxGapsPerDay" between 0 and 15),
      "updatedAt" timestamptz not null default now()
    );

    alter table curriculum add column "doublePeriods" integer not null default 0 check ("doublePeriods" between 0 and 10);
    -- NULL: the default, 1 when the lessons fit one a day (and none is double), else 2.
    alter table curriculum add column "maxPerDay" integer check ("maxPerDay" between 1 and 16);
    alter table classes add column "compactDays" boolean not null default true;

    create table "timetableJobs" (
      id uuid primary key default gen_random_uuid(),
      status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      "classIds" uuid[] not null,
      options jsonb not null,
      progress jsonb not null default '{"elapsedMs":0,"placed":0,"total":0,"hardViolations":0,"softPenalty":0}'::jsonb,
      result jsonb,
      "inputHash" text not null,
      error text,
      "instanceId" text,
      "heartbeatAt" timestamptz,
      "createdBy" uuid,
      "createdAt" timestamptz not null default now(),
      "startedAt" timestamptz,
      "finishedAt" timestamptz,
      "appliedAt" timestamptz
    );
    create unique index "timetableJobs_one_active" on "timetableJobs" ((true)) where status in ('queued', 'running');
    create index "timetableJobs_created_idx" on "timetableJobs" ("createdAt");
  `.execute(db);
}
