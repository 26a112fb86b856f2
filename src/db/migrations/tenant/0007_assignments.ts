import { type Kysely, sql } from 'kysely';

/**
 * Assignments for classes, with their files, and the students' submissions with every version
 * they handed in (issue 9).
 *
 * An assignment goes with its classes' links, its attachments and its submissions (cascade); the
 * files themselves are never deleted by a cascade: attachments point at them with ON DELETE
 * RESTRICT, and the service deletes the files nothing references anymore (files/service.ts). A
 * class, subject, teacher or student an assignment or submission points at cannot be deleted
 * (RESTRICT: the API answers IN_USE), so no grade disappears with a class or an account.
 *
 * One submission row per student and assignment (unique), holding the current state: its version
 * counter, whether the current version was late, and the grade. Every version is a row of
 * submissionVersions with its text and files; grading names the version graded, so a resubmission
 * that lands meanwhile is noticed (STALE).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table assignments (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      description text,
      "subjectId" uuid references subjects (id) on delete restrict,
      "teacherId" uuid not null references users (id) on delete restrict,
      "dueAt" timestamptz not null,
      "maxPoints" integer not null default 100 check ("maxPoints" between 1 and 1000),
      "allowLate" boolean not null default false,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now()
    );
    create index assignments_teacher_idx on assignments ("teacherId", "dueAt");
    create index assignments_subject_idx on assignments ("subjectId");
    create index assignments_due_idx on assignments ("dueAt", id);

    create table "assignmentClasses" (
      "assignmentId" uuid not null references assignments (id) on delete cascade,
      "classId" uuid not null references classes (id) on delete restrict,
      primary key ("assignmentId", "classId")
    );
    create index "assignmentClasses_class_idx" on "assignmentClasses" ("classId");

    create table "assignmentFiles" (
      "assignmentId" uuid not null references assignments (id) on delete cascade,
      "fileId" uuid not null references files (id) on delete restrict,
      "addedAt" timestamptz not null default now(),
      primary key ("assignmentId", "fileId")
    );
    create index "assignmentFiles_file_idx" on "assignmentFiles" ("fileId");

    create table submissions (
      id uuid primary key default gen_random_uuid(),
      "assignmentId" uuid not null references assignments (id) on delete cascade,
      "studentId" uuid not null references users (id) on delete restrict,
      status text not null default 'submitted' check (status in ('submitted', 'graded', 'reassigned')),
      version integer not null default 1 check (version >= 1),
      late boolean not null default false,
      "submittedAt" timestamptz not null default now(),
      points integer check (points >= 0),
      feedback text,
      accepted boolean,
      "gradedVersion" integer,
      -- No foreign key: an admin grading lives in the registry.
      "gradedBy" uuid,
      "gradedAt" timestamptz,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now(),
      constraint submissions_one_per_student unique ("assignmentId", "studentId"),
      constraint submissions_graded_has_points check (status <> 'graded' or points is not null)
    );
    create index submissions_student_idx on submissions ("studentId");

    create table "submissionVersions" (
      id uuid primary key default gen_random_uuid(),
      "submissionId" uuid not null references submissions (id) on delete cascade,
      version integer not null,
      text text,
      late boolean not null,
      "submittedAt" timestamptz not null default now(),
      constraint "submissionVersions_number" unique ("submissionId", version)
    );

    create table "submissionVersionFiles" (
      "versionId" uuid not null references "submissionVersions" (id) on delete cascade,
      "fileId" uuid not null references files (id) on delete restrict,
      primary key ("versionId", "fileId")
    );
    create index "submissionVersionFiles_file_idx" on "submissionVersionFiles" ("fileId");
  `.execute(db);
}
