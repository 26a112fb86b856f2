import type { Generated } from 'kysely';

/** What a class is taught: one row per subject, with its teacher and periods a week. */
export interface CurriculumTable {
  classId: string;
  subjectId: string;
  teacherId: string;
  periodsPerWeek: number;
  roomId: string | null;
  /** How many of its lessons come as two consecutive periods. */
  doublePeriods: Generated<number>;
  /** Most lessons of it on one day; null: 1 when they fit one a day and none is double, else 2. */
  maxPerDay: number | null;
}

declare module '../../db/types.js' {
  interface TenantTables {
    curriculum: CurriculumTable;
  }
}
