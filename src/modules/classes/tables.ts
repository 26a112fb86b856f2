import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../../db/types.js';

export interface ClassTable {
  id: Generated<string>;
  name: string;
  grade: number;
  section: string;
  homeroomTeacherId: string | null;
  maxStudents: Generated<number>;
  /** The timetable generator keeps the class's days without free periods, starting at period 1. */
  compactDays: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** A student's class: the student is the key, so a student is in at most one class. */
export interface EnrollmentTable {
  studentId: string;
  classId: string;
  /** Set by the database; a move into another class sets it anew. */
  enrolledAt: ColumnType<string, never, Date>;
}

declare module '../../db/types.js' {
  interface TenantTables {
    classes: ClassTable;
    enrollments: EnrollmentTable;
  }
}
