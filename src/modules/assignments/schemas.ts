import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';
import { NamedRef } from '../curriculum/schemas.js';

const Title = Type.String({ minLength: 1, maxLength: 200, description: 'Trimmed; not blank' });
const Description = Type.String({ maxLength: 20_000, description: 'Plain text or Markdown' });
const Text = Type.String({ minLength: 1, maxLength: 50_000, pattern: '\\S' });
const DueAt = { ...Timestamp, description: 'ISO date-time; must be in the future' };
const MaxPoints = Type.Integer({ minimum: 1, maximum: 1000 });
const AllowLate = Type.Boolean({ description: 'Students may still submit after dueAt; such submissions are marked late' });
const FileIds = Type.Array(Uuid, {
  maxItems: 5,
  uniqueItems: true,
  description: 'Files uploaded by the caller (POST /api/files) and not yet attached by anyone else',
});
const ClassIds = Type.Array(Uuid, { minItems: 1, maxItems: 20, uniqueItems: true });
const TeacherId = {
  ...Uuid,
  description: "The teacher who owns it and grades it: admins name an active teacher; a teacher leaves it out (or gives their own id)",
};

const EXAMPLE_ID = '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f';

/** A file as an assignment or submission shows it; its bytes are at GET /api/files/:id. */
export const FileRef = Type.Object({ id: Uuid, name: Type.String(), size: Type.Integer(), contentType: Type.String() });

/** An assignment in lists: everything but its description and files. */
export const AssignmentSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  subject: Nullable(NamedRef),
  classes: Type.Array(NamedRef),
  teacher: NamedRef,
  dueAt: Timestamp,
  maxPoints: Type.Integer(),
  allowLate: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const AssignmentDetail = Type.Object({
  ...AssignmentSummary.properties,
  description: Nullable(Type.String()),
  files: Type.Array(FileRef),
});

export const AssignmentList = Paginated(AssignmentSummary);

export const CreateAssignmentBody = Type.Object(
  {
    title: Title,
    description: Type.Optional(Description),
    subjectId: Type.Optional(Uuid),
    classIds: ClassIds,
    dueAt: DueAt,
    teacherId: Type.Optional(TeacherId),
    maxPoints: Type.Optional({ ...MaxPoints, default: 100 }),
    allowLate: Type.Optional({ ...AllowLate, default: false }),
    fileIds: Type.Optional(FileIds),
  },
  {
    additionalProperties: false,
    examples: [{ title: 'Essay: my summer', classIds: [EXAMPLE_ID], dueAt: '2099-06-01T18:00:00Z', maxPoints: 20 }],
  },
);

export const UpdateAssignmentBody = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Nullable(Description)),
    subjectId: Type.Optional(Nullable(Uuid)),
    classIds: Type.Optional(ClassIds),
    dueAt: Type.Optional(DueAt),
    teacherId: Type.Optional(TeacherId),
    maxPoints: Type.Optional(MaxPoints),
    allowLate: Type.Optional(AllowLate),
    fileIds: Type.Optional({ ...FileIds, description: "The assignment's files from now on: ones it has stay, new ones must be the caller's uploads" }),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ title: 'Essay: my summer (500 words)', maxPoints: 25 }] },
);

export const AttachFilesBody = Type.Object(
  { fileIds: Type.Array(Uuid, { minItems: 1, maxItems: 5, uniqueItems: true, description: "The caller's uploads (POST /api/files)" }) },
  { additionalProperties: false, examples: [{ fileIds: [EXAMPLE_ID] }] },
);

export const ListAssignmentsQuery = Type.Object(
  {
    classId: Type.Optional(Uuid),
    subjectId: Type.Optional(Uuid),
    teacherId: Type.Optional(Uuid),
    due: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past')])),
    ...PageQuery,
  },
  { additionalProperties: false },
);

/**
 * Where a student stands with an assignment: `pending` (nothing handed in, still open), `missing`
 * (nothing handed in and past due), `submitted` (waiting to be graded), `graded`, `reassigned`
 * (handed back; the student may submit again). Lateness is the separate `late` flag.
 */
export const StudentStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('missing'),
  Type.Literal('submitted'),
  Type.Literal('graded'),
  Type.Literal('reassigned'),
]);

export const MyAssignmentAsStudent = Type.Object({
  id: Uuid,
  title: Type.String(),
  subject: Nullable(NamedRef),
  teacher: NamedRef,
  dueAt: Timestamp,
  maxPoints: Type.Integer(),
  allowLate: Type.Boolean(),
  status: StudentStatus,
  late: Type.Boolean({ description: 'The version handed in last came after the due date' }),
  submissionId: Nullable(Uuid),
  submittedAt: Nullable(Timestamp),
  points: Nullable(Type.Integer({ description: 'Only once graded' })),
  feedback: Nullable(Type.String()),
  gradedAt: Nullable(Timestamp),
});

export const SubmissionCounts = Type.Object({
  students: Type.Integer({ description: 'Students of its classes, and any who submitted and left since' }),
  submitted: Type.Integer({ description: 'Handed in and not handed back: status submitted or graded' }),
  graded: Type.Integer(),
  late: Type.Integer({ description: 'Of the submitted, those whose last version came after the due date' }),
  missing: Type.Integer({ description: 'Past due with nothing handed in' }),
});

export const MyAssignmentAsTeacher = Type.Object({
  id: Uuid,
  title: Type.String(),
  subject: Nullable(NamedRef),
  classes: Type.Array(NamedRef),
  dueAt: Timestamp,
  maxPoints: Type.Integer(),
  allowLate: Type.Boolean(),
  counts: SubmissionCounts,
});

export const MyAssignments = Type.Union([Type.Array(MyAssignmentAsStudent), Type.Array(MyAssignmentAsTeacher)]);

export const SubmitBody = Type.Object(
  {
    text: Type.Optional(Text),
    fileIds: Type.Optional(FileIds),
  },
  { additionalProperties: false, examples: [{ text: 'My essay is attached.', fileIds: [EXAMPLE_ID] }] },
);

export const SubmissionStatus = Type.Union([Type.Literal('submitted'), Type.Literal('graded'), Type.Literal('reassigned')]);

export const SubmissionView = Type.Object({
  id: Uuid,
  assignment: Type.Object({ id: Uuid, title: Type.String(), maxPoints: Type.Integer() }),
  student: NamedRef,
  status: SubmissionStatus,
  late: Type.Boolean(),
  version: Type.Integer({ description: 'The latest version; send it when grading' }),
  text: Nullable(Type.String()),
  files: Type.Array(FileRef),
  submittedAt: Timestamp,
  points: Nullable(Type.Integer({ description: 'Only once graded' })),
  feedback: Nullable(Type.String()),
  accepted: Nullable(Type.Boolean()),
  gradedAt: Nullable(Timestamp),
});

export const SubmissionVersion = Type.Object({
  version: Type.Integer(),
  text: Nullable(Type.String()),
  files: Type.Array(FileRef),
  late: Type.Boolean(),
  submittedAt: Timestamp,
});
export const SubmissionVersions = Type.Array(SubmissionVersion);

/** One student of the assignment's classes, with or without a submission. */
export const RosterRow = Type.Object({
  student: NamedRef,
  class: Nullable(NamedRef),
  status: StudentStatus,
  late: Type.Boolean(),
  submissionId: Nullable(Uuid),
  version: Nullable(Type.Integer()),
  submittedAt: Nullable(Timestamp),
  points: Nullable(Type.Integer()),
  feedback: Nullable(Type.String()),
});
export const RosterList = Paginated(RosterRow);
export const RosterQuery = Type.Object(PageQuery, { additionalProperties: false });

export const GradeBody = Type.Object(
  {
    points: Type.Integer({ minimum: 0, description: "0 to the assignment's maxPoints" }),
    feedback: Type.Optional(Type.String({ maxLength: 20_000 })),
    accepted: Type.Optional(Type.Boolean({ default: true })),
    version: Type.Integer({ minimum: 1, description: 'The version graded: 409 STALE when the student has submitted a newer one' }),
  },
  { additionalProperties: false, examples: [{ points: 18, feedback: 'Well argued.', version: 1 }] },
);

export const ReassignBody = Type.Object(
  { feedback: Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' }) },
  { additionalProperties: false, examples: [{ feedback: 'Please add your sources.' }] },
);

export const SubmissionParams = Type.Object({ id: Uuid });

export const Gradebook = Type.Object({
  class: NamedRef,
  assignments: Type.Array(Type.Object({ id: Uuid, title: Type.String(), dueAt: Timestamp, maxPoints: Type.Integer() })),
  students: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      points: Type.Array(Nullable(Type.Integer()), { description: 'Per assignment, in the order of `assignments`; null until graded' }),
    }),
  ),
});

export type CreateAssignmentBody = Static<typeof CreateAssignmentBody>;
export type UpdateAssignmentBody = Static<typeof UpdateAssignmentBody>;
export type ListAssignmentsQuery = Static<typeof ListAssignmentsQuery>;
export type SubmitBody = Static<typeof SubmitBody>;
export type GradeBody = Static<typeof GradeBody>;
export type ReassignBody = Static<typeof ReassignBody>;
export type Gradebook = Static<typeof Gradebook>;
