import type { Generated } from 'kysely';
import type { Weekday } from '../bell-schedule/tables.js';
import type { CreatedAt, UpdatedAt } from '../../db/types.js';

/** One lesson of the weekly timetable. Unique per (teacher, day, period), (class, …) and (room, …). */
export interface LessonTable {
  id: Generated<string>;
  classId: string;
  subjectId: string;
  teacherId: string;
  roomId: string | null;
  day: Weekday;
  period: number;
  pinned: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    lessons: LessonTable;
  }
}
