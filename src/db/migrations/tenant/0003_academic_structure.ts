import { type Kysely, sql } from 'kysely';

/**
 * Subjects, rooms, classes with their students, the bell schedule, each class's curriculum and the
 * weekly lessons. Foreign keys stay inside the tenant schema. Deletes of what is still referenced
 * are refused (RESTRICT) so the API can answer IN_USE with counts (db/references.ts); a class's
 * enrollments, curriculum and lessons go with it, and a student's enrollment with the student.
 *
 * The three unique slot constraints on lessons are what keeps a teacher, a class or a room from
 * being booked twice in one period, whatever requests race: the database decides, not a check
 * before the insert.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table subjects (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      code text,
      color text,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now()
    );
    create unique index subjects_name_key on subjects (lower(name));
    create unique index subjects_code_key on subjects (lower(code)) where code is not null;

    create table rooms (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      capacity integer check (capacity between 1 and 1000),
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now()
    );
    create unique index rooms_name_key on rooms (lower(name));

    create table classes (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      grade integer not null check (grade between 1 and 12),
      section text not null,
      "homeroomTeacherId" uuid references users (id) on delete restrict,
      "maxStudents" integer not null default 40 check ("maxStudents" between 1 and 200),
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now()
    );
    create unique index classes_name_key on classes (lower(name));
    create index classes_grade_idx on classes (grade, lower(name));
    create index classes_homeroom_idx on classes ("homeroomTeacherId");

    -- A student belongs to at most one class: the student is the key.
    create table enrollments (
      "studentId" uuid primary key references users (id) on delete cascade,
      "classId" uuid not null references classes (id) on delete cascade,
      "enrolledAt" timestamptz not null default now()
    );
    create index enrollments_class_idx on enrollments ("classId");

    -- One row: the institution's week. periods is [{number, start, end}] with "HH:MM" times.
    create table "bellSchedule" (
      id boolean primary key default true check (id),
      days text[] not null,
      periods jsonb not null,
      "updatedAt" timestamptz not null default now()
    );
    insert into "bellSchedule" (days, periods) values (
      array['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      '[{"number":1,"start":"08:00","end":"08:45"},{"number":2,"start":"08:50","end":"09:35"},
        {"number":3,"start":"09:40","end":"10:25"},{"number":4,"start":"10:30","end":"11:15"},
        {"number":5,"start":"11:45","end":"12:30"},{"number":6,"start":"12:35","end":"13:20"},
        {"number":7,"start":"13:25","end":"14:10"},{"number":8,"start":"14:15","end":"15:00"}]'::jsonb
    );

    create table curriculum (
      "classId" uuid not null references classes (id) on delete cascade,
      "subjectId" uuid not null references subjects (id) on delete restrict,
      "teacherId" uuid not null references users (id) on delete restrict,
      "periodsPerWeek" integer not null check ("periodsPerWeek" between 1 and 20),
      "roomId" uuid references rooms (id) on delete restrict,
      primary key ("classId", "subjectId")
    );
    create index curriculum_subject_idx on curriculum ("subjectId");
    create index curriculum_teacher_idx on curriculum ("teacherId");
    create index curriculum_room_idx on curriculum ("roomId");

    create table lessons (
      id uuid primary key default gen_random_uuid(),
      "classId" uuid not null references classes (id) on delete cascade,
      "subjectId" uuid not null references subjects (id) on delete restrict,
      "teacherId" uuid not null references users (id) on delete restrict,
      "roomId" uuid references rooms (id) on delete restrict,
      day text not null check (day in ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
      period integer not null check (period between 1 and 16),
      pinned boolean not null default false,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now(),
      constraint lessons_teacher_slot unique ("teacherId", day, period),
      constraint lessons_class_slot unique ("classId", day, period),
      -- NULL rooms are distinct, so any number of lessons may have no room.
      constraint lessons_room_slot unique ("roomId", day, period)
    );
    create index lessons_subject_idx on lessons ("subjectId");
  `.execute(db);
}
