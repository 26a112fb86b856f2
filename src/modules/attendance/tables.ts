import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../db/types.js';

export type AttendanceStatus = 'present' | 'absent' | 'late' | 'excused';

/** Postgres DATE, kept as 'YYYY-MM-DD' by both drivers. */
type DateOnly = string;
type Timestamp = ColumnType<string, Date | undefined, Date>;

/** The register of one lesson on one date, with the lesson as it was then (see 0013_attendance). */
export interface AttendanceRegisterTable {
  id: Generated<string>;
  /** Null once the lesson is deleted; the register stays. */
  lessonId: string | null;
  classId: string;
  subjectId: string;
  teacherId: string;
  date: DateOnly;
  period: number;
  takenBy: string;
  takenByName: string;
  takenAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AttendanceMarkTable {
  registerId: string;
  studentId: string;
  status: AttendanceStatus;
  minutesLate: number | null;
  note: string | null;
}

/** A change to a mark made after the register's day; `status` null is a mark taken away. */
export interface AttendanceChangeTable {
  id: Generated<string>;
  registerId: string;
  studentId: string;
  previousStatus: AttendanceStatus | null;
  status: AttendanceStatus | null;
  minutesLate: number | null;
  note: string | null;
  changedBy: string;
  changedByName: string;
  changedAt: CreatedAt;
}

/** A known absence: whole days, or only `periods` of each day. */
export interface StudentAbsenceTable {
  id: Generated<string>;
  studentId: string;
  fromDate: DateOnly;
  toDate: DateOnly;
  reason: string;
  periods: number[] | null;
  createdBy: string;
  createdByName: string;
  createdAt: CreatedAt;
}

/** One row per student and date whose guardians were told of an unexplained absence. */
export interface AbsenceAlertTable {
  studentId: string;
  date: DateOnly;
  registerId: string | null;
  sentAt: CreatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    attendanceRegisters: AttendanceRegisterTable;
    attendanceMarks: AttendanceMarkTable;
    attendanceChanges: AttendanceChangeTable;
    studentAbsences: StudentAbsenceTable;
    absenceAlerts: AbsenceAlertTable;
  }
}
