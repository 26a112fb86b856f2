/** What a class is taught: one row per subject, with its teacher and periods a week. */
export interface CurriculumTable {
  classId: string;
  subjectId: string;
  teacherId: string;
  periodsPerWeek: number;
  roomId: string | null;
}

declare module '../../db/types.js' {
  interface TenantTables {
    curriculum: CurriculumTable;
  }
}
