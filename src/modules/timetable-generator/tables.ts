import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../../db/types.js';
import type { Weekday } from '../bell-schedule/tables.js';
import type { LessonTable } from '../schedules/tables.js';

export interface Slot {
  day: Weekday;
  period: number;
}

/** A teacher's periods they cannot teach, and the limits of their day and week. */
export interface TeacherAvailabilityTable {
  teacherId: string;
  /** Written as JSON text, read back parsed. */
  unavailable: ColumnType<Slot[], string, string>;
  maxPeriodsPerDay: number | null;
  maxPeriodsPerWeek: number | null;
  maxGapsPerDay: number | null;
  updatedAt: UpdatedAt;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  elapsedMs: number;
  placed: number;
  total: number;
  hardViolations: number;
  softPenalty: number;
}

/** A lesson of a generated timetable: a lesson row without its id, pin and timestamps. */
export type GeneratedLesson = Pick<LessonTable, 'classId' | 'subjectId' | 'teacherId' | 'roomId' | 'day' | 'period'>;

export interface UnplacedLessons {
  classId: string;
  subjectId: string;
  teacherId: string;
  count: number;
  reason: string;
}

export interface JobResult {
  lessons: GeneratedLesson[];
  unplaced: UnplacedLessons[];
  score: { hard: number; soft: number };
}

export interface JobOptions {
  timeLimitSeconds: number;
  seed: number;
  keepExisting: boolean;
}

type Json<T> = ColumnType<T, string, string>;

export interface TimetableJobTable {
  id: Generated<string>;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  classIds: string[];
  options: Json<JobOptions>;
  progress: ColumnType<JobProgress, string | undefined, string>;
  result: ColumnType<JobResult | null, string | null | undefined, string | null>;
  inputHash: string;
  error: string | null;
  /** The API instance that runs the job: only it writes progress and the outcome. */
  instanceId: string | null;
  heartbeatAt: ColumnType<string | null, Date | null | undefined, Date | null>;
  createdBy: string | null;
  createdAt: CreatedAt;
  startedAt: ColumnType<string | null, Date | null | undefined, Date | null>;
  finishedAt: ColumnType<string | null, Date | null | undefined, Date | null>;
  appliedAt: ColumnType<string | null, Date | null | undefined, Date | null>;
}

declare module '../../db/types.js' {
  interface TenantTables {
    teacherAvailability: TeacherAvailabilityTable;
    timetableJobs: TimetableJobTable;
  }
}


