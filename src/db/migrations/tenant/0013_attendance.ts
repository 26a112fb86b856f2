import { type Kysely, sql } from 'kysely';

/**
 * Attendance (modules/attendance): one register per lesson and date, its marks, the changes made
 * to them after the day, the absences guardians and admins announce, and the absence alerts sent.
 *
 * A register keeps its lesson's class, subject, teacher and period as they were on the day, and
 * loses only the link when the lesson is deleted (a regenerated timetable replaces every lesson):
 * attendance is a record the school keeps, so reports read the register's own columns, and a class
 * or subject with registers is IN_USE (db/references.ts) rather than deleted with them. Who took or
 * changed a register is an id without a foreign key (admins live in the registry) with the name
 * they had then.
 *
 * `absenceAlerts` has one row per student and date: the alert to the guardians is sent by whichever
 * save inserts it, so concurrent saves of two registers (or of one) send it once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "attendanceRegisters" (
      id uuid primary key default gen_random_uuid(),
      "lessonId" uuid references lessons (id) on delete set null,
      "classId" uuid not null references classes (id),
      "subjectId" uuid not null references subjects (id),
      "teacherId" uuid not null,
      date date not null,
      period integer not null,
      "takenBy" uuid not null,
      "takenByName" text not null,
      "takenAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now(),
      unique ("lessonId", date)
    );
    create index attendance_registers_class_date_idx on "attendanceRegisters" ("classId", date);
    create index attendance_registers_date_idx on "attendanceRegisters" (date);

    create table "attendanceMarks" (
      "registerId" uuid not null references "attendanceRegisters" (id) on delete cascade,
      "studentId" uuid not null references users (id) on delete cascade,
      status text not null check (status in ('present', 'absent', 'late', 'excused')),
      "minutesLate" integer check ("minutesLate" is null or status = 'late'),
      note text,
      primary key ("registerId", "studentId")
    );
    create index attendance_marks_student_idx on "attendanceMarks" ("studentId");

    -- A change to a mark after the register's day: status null is a mark taken away.
    create table "attendanceChanges" (
      id bigint generated always as identity primary key,
      "registerId" uuid not null references "attendanceRegisters" (id) on delete cascade,
      "studentId" uuid not null references users (id) on delete cascade,
      "previousStatus" text,
      status text,
      "minutesLate" integer,
      note text,
      "changedBy" uuid not null,
      "changedByName" text not null,
      "changedAt" timestamptz not null default now()
    );
    create index attendance_changes_register_idx on "attendanceChanges" ("registerId", id);

    -- A known absence: whole days from "fromDate" to "toDate", or only the listed periods of them.
    create table "studentAbsences" (
      id uuid primary key default gen_random_uuid(),
      "studentId" uuid not null references users (id) on delete cascade,
      "fromDate" date not null,
      "toDate" date not null check ("toDate" >= "fromDate"),
      reason text not null,
      periods integer[],
      "createdBy" uuid not null,
      "createdByName" text not null,
      "createdAt" timestamptz not null default now()
    );
    create index student_absences_student_idx on "studentAbsences" ("studentId", "fromDate");

    create table "absenceAlerts" (
      "studentId" uuid not null references users (id) on delete cascade,
      date date not null,
      "registerId" uuid references "attendanceRegisters" (id) on delete set null,
      "sentAt" timestamptz not null default now(),
      primary key ("studentId", date)
    );
  `.execute(db);
}
