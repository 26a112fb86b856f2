import { type Kysely, sql } from 'kysely';

/**
 * Announcements (modules/announcements): a Markdown body for an audience (everyone, some roles, or
 * the people of some classes), optionally pinned until a time, optionally asking its readers to
 * confirm; and who has read each one. The body is stored as written and never rendered here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table announcements (
      id uuid primary key default gen_random_uuid(),
      title text not null check (length(title) between 1 and 200),
      body text not null check (length(body) between 1 and 20000),
      audience text not null check (audience in ('all', 'roles', 'classes')),
      -- The roles of a 'roles' announcement, empty otherwise (its classes are announcementClasses).
      roles text[] not null default '{}' check (roles <@ array['admin', 'teacher', 'student', 'guardian']),
      check ((audience = 'roles') = (cardinality(roles) > 0)),
      "pinnedUntil" timestamptz,
      "requireConfirmation" boolean not null default false,
      -- No foreign key: admins live in the registry, and the announcement outlives its author.
      "authorId" uuid not null,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now()
    );
    create index announcements_created_idx on announcements ("createdAt" desc, id desc);
    create index announcements_pinned_idx on announcements ("pinnedUntil") where "pinnedUntil" is not null;

    create table "announcementClasses" (
      "announcementId" uuid not null references announcements (id) on delete cascade,
      "classId" uuid not null references classes (id) on delete cascade,
      primary key ("announcementId", "classId")
    );
    create index announcement_classes_class_idx on "announcementClasses" ("classId");

    create table "announcementReads" (
      "announcementId" uuid not null references announcements (id) on delete cascade,
      -- A user or an admin: no foreign key, as for the author.
      "readerId" uuid not null,
      "readAt" timestamptz not null default now(),
      primary key ("announcementId", "readerId")
    );
    create index announcement_reads_reader_idx on "announcementReads" ("readerId");
  `.execute(db);
}
