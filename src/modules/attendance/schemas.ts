import { type Static, Type } from 'typebox';
import { DateOnly, Nullable, Timestamp, Uuid } from '../../lib/schemas.js';
import { PeriodNumber } from '../bell-schedule/schemas.js';
import { LessonView } from '../schedules/schemas.js';

export const STATUSES = ['present', 'absent', 'late', 'excused'] as const;
export const AttendanceStatus = Type.Enum([...STATUSES]);

const Person = Type.Object({ id: Uuid, name: Type.String() });
const Ref = Type.Object({ id: Uuid, name: Type.String() });

export const RegisterParams = Type.Object({ lessonId: Uuid });
export const RegisterQuery = Type.Object({ date: Type.Optional(DateOnly) }, { additionalProperties: false });

export const MarkInput = Type.Object(
  {
    studentId: Uuid,
    status: AttendanceStatus,
    minutesLate: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, description: 'Only with status late' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const RegisterBody = Type.Array(MarkInput, {
  maxItems: 200,
  description: 'The whole register: students left out are unmarked',
  examples: [[{ studentId: '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f', status: 'late', minutesLate: 5 }]],
});

const KnownAbsence = Type.Object({ id: Uuid, reason: Type.String() });

export const RegisterEntry = Type.Object({
  student: Person,
  status: Nullable(AttendanceStatus),
  minutesLate: Nullable(Type.Integer()),
  note: Nullable(Type.String()),
  marked: Type.Boolean({ description: 'Whether the status was saved (false: unmarked or pre-marked from a known absence)' }),
  knownAbsence: Nullable(KnownAbsence),
});

export const RegisterView = Type.Object({
  lesson: LessonView,
  date: DateOnly,
  taken: Type.Boolean(),
  takenBy: Nullable(Person),
  takenAt: Nullable(Timestamp),
  updatedAt: Nullable(Timestamp),
  students: Type.Array(RegisterEntry),
});

export const RegisterChange = Type.Object({
  student: Person,
  previousStatus: Nullable(AttendanceStatus),
  status: Nullable(AttendanceStatus),
  minutesLate: Nullable(Type.Integer()),
  note: Nullable(Type.String()),
  changedBy: Person,
  changedAt: Timestamp,
});

export const RegisterHistory = Type.Object({ lessonId: Uuid, date: DateOnly, changes: Type.Array(RegisterChange) });

export const StudentParams = Type.Object({ id: Uuid });
export const AbsenceParams = Type.Object({ id: Uuid, absenceId: Uuid });

export const CreateAbsenceBody = Type.Object(
  {
    from: DateOnly,
    to: DateOnly,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    periods: Type.Optional(Type.Array(PeriodNumber, { minItems: 1, maxItems: 16, uniqueItems: true, description: 'Only these periods of each day; all when left out' })),
  },
  { additionalProperties: false, examples: [{ from: '2026-11-30', to: '2026-12-01', reason: 'Dentist', periods: [1, 2] }] },
);

export const AbsenceView = Type.Object({
  id: Uuid,
  studentId: Uuid,
  from: DateOnly,
  to: DateOnly,
  reason: Type.String(),
  periods: Nullable(Type.Array(Type.Integer())),
  createdBy: Person,
  createdAt: Timestamp,
});

export const AbsenceList = Type.Array(AbsenceView);

export const RangeQuery = Type.Object(
  {
    from: Type.Optional(DateOnly),
    to: Type.Optional(DateOnly),
  },
  { additionalProperties: false },
);

export const Counts = Type.Object({ present: Type.Integer(), absent: Type.Integer(), late: Type.Integer(), excused: Type.Integer() });
const Rate = Nullable(Type.Number({ description: 'Present or late, of the marked lessons (0-1, 3 decimals); null without marks' }));

export const ClassReport = Type.Object({
  class: Ref,
  from: DateOnly,
  to: DateOnly,
  dates: Type.Array(DateOnly, { description: 'The dates with a register taken, in order' }),
  students: Type.Array(
    Type.Object({
      student: Person,
      days: Type.Array(Counts, { description: 'One per date of `dates`, in its order' }),
      counts: Counts,
      rate: Rate,
    }),
  ),
});

export const StudentReport = Type.Object({
  student: Person,
  from: DateOnly,
  to: DateOnly,
  counts: Counts,
  rate: Rate,
  marks: Type.Array(
    Type.Object({
      date: DateOnly,
      period: Type.Integer(),
      subject: Ref,
      class: Ref,
      status: AttendanceStatus,
      minutesLate: Nullable(Type.Integer()),
      note: Nullable(Type.String()),
    }),
  ),
  absences: Type.Array(AbsenceView),
});

export const MissingQuery = RegisterQuery;
export const MissingRegisters = Type.Object({ date: DateOnly, lessons: Type.Array(LessonView) });

export type AttendanceStatusName = Static<typeof AttendanceStatus>;
export type MarkInput = Static<typeof MarkInput>;
export type RegisterView = Static<typeof RegisterView>;
export type CreateAbsenceBody = Static<typeof CreateAbsenceBody>;
export type AbsenceView = Static<typeof AbsenceView>;
export type Counts = Static<typeof Counts>;
export type ClassReport = Static<typeof ClassReport>;
export type StudentReport = Static<typeof StudentReport>;
