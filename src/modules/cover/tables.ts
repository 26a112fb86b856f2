import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../db/types.js';

/** A teacher away from `from` to `to` (inclusive), every period of those days or only `periods`. */
export interface TeacherAbsenceTable {
  id: Generated<string>;
  teacherId: string;
  /** 'YYYY-MM-DD'. */
  from: string;
  to: string;
  periods: number[] | null;
  reason: string | null;
  createdBy: string;
  createdAt: CreatedAt;
}

/** Who teaches one lesson on one date instead of its absent teacher. */
export interface CoverTable {
  id: Generated<string>;
  absenceId: string;
  lessonId: string;
  date: ColumnType<string, string, never>;
  /** The lesson's period, so that (coverTeacherId, date, period) is unique. */
  period: number;
  coverTeacherId: string;
  assignedBy: string;
  createdAt: CreatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    teacherAbsences: TeacherAbsenceTable;
    covers: CoverTable;
  }
}
