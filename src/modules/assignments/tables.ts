import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../../db/types.js';

type Timestamp = ColumnType<string, Date, Date>;
type DefaultedTimestamp = ColumnType<string, Date | undefined, Date>;

export interface AssignmentTable {
  id: Generated<string>;
  title: string;
  description: string | null;
  subjectId: string | null;
  /** Who set it. */
  teacherId: string;
  dueAt: Timestamp;
  maxPoints: Generated<number>;
  allowLate: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface AssignmentClassTable {
  assignmentId: string;
  classId: string;
}

export interface AssignmentFileTable {
  assignmentId: string;
  fileId: string;
  addedAt: ColumnType<string, never, never>;
}

export type SubmissionStatus = 'submitted' | 'graded' | 'reassigned';

/** One student's work on one assignment: the current version and its grade. */
export interface SubmissionTable {
  id: Generated<string>;
  assignmentId: string;
  studentId: string;
  status: Generated<SubmissionStatus>;
  /** The number of the latest version. */
  version: Generated<number>;
  /** The latest version came after the due date. */
  late: Generated<boolean>;
  submittedAt: DefaultedTimestamp;
  points: number | null;
  feedback: string | null;
  accepted: boolean | null;
  gradedVersion: number | null;
  gradedBy: string | null;
  gradedAt: ColumnType<string | null, Date | null | undefined, Date | null>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** Each hand-in, kept when the student submits again. */
export interface SubmissionVersionTable {
  id: Generated<string>;
  submissionId: string;
  version: number;
  text: string | null;
  late: boolean;
  submittedAt: DefaultedTimestamp;
}

export interface SubmissionVersionFileTable {
  versionId: string;
  fileId: string;
}

declare module '../../db/types.js' {
  interface TenantTables {
    assignments: AssignmentTable;
    assignmentClasses: AssignmentClassTable;
    assignmentFiles: AssignmentFileTable;
    submissions: SubmissionTable;
    submissionVersions: SubmissionVersionTable;
    submissionVersionFiles: SubmissionVersionFileTable;
  }
}
