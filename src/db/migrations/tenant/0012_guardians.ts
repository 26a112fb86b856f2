import { type Kysely, sql } from 'kysely';

/**
 * Guardians (issue 11): a fourth user role and the links between a student and their guardians.
 * A student may have several guardians and a guardian several children; at most one link per
 * student is primary (a partial unique index decides, so two admins marking different guardians
 * primary at once cannot both succeed). Deleting either account deletes its links.
 *
 * A message may name the child it is about (`aboutStudentId`). No foreign key, like the sender and
 * receiver: the message outlives a deleted account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check check (role in ('teacher', 'student', 'guardian'));

    create table "guardianLinks" (
      "studentId" uuid not null references users (id) on delete cascade,
      "guardianId" uuid not null references users (id) on delete cascade,
      relationship text not null check (relationship in ('mother', 'father', 'guardian', 'other')),
      "primary" boolean not null default false,
      "createdAt" timestamptz not null default now(),
      primary key ("studentId", "guardianId")
    );
    create index guardian_links_guardian_idx on "guardianLinks" ("guardianId", "studentId");
    create unique index guardian_links_one_primary on "guardianLinks" ("studentId") where "primary";

    alter table messages add column "aboutStudentId" uuid;
  `.execute(db);
}
