import { type Static, Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../lib/schemas.js';
import { PeriodNumber, Weekday } from '../bell-schedule/schemas.js';

export const SlotRef = Type.Object({ day: Weekday, period: PeriodNumber }, { additionalProperties: false });

/** A teacher's not-available periods and limits, as written and as read. */
export const Availability = Type.Object(
  {
    unavailable: Type.Array(SlotRef, { maxItems: 112, description: 'Periods the teacher cannot teach' }),
    maxPeriodsPerDay: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 16 }))),
    maxPeriodsPerWeek: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 112 }))),
    maxGapsPerDay: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 15, description: 'Free periods between lessons of one day' }))),
  },
  {
    additionalProperties: false,
    examples: [{ unavailable: [{ day: 'friday', period: 7 }, { day: 'friday', period: 8 }], maxPeriodsPerDay: 6, maxPeriodsPerWeek: 26, maxGapsPerDay: 1 }],
  },
);

export const AvailabilityView = Type.Object({
  unavailable: Type.Array(Type.Object({ day: Weekday, period: Type.Integer() })),
  maxPeriodsPerDay: Nullable(Type.Integer()),
  maxPeriodsPerWeek: Nullable(Type.Integer()),
  maxGapsPerDay: Nullable(Type.Integer()),
});

export const GenerateBody = Type.Object(
  {
    classIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500, description: 'The classes to timetable; all when absent' })),
    timeLimitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, default: 30 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Same seed, same input: same search' })),
    keepExisting: Type.Optional(
      Type.Literal(true, {
        description: "Lessons of classes outside the job are kept and worked around (their teachers' and rooms' periods are taken); the only mode for now",
      }),
    ),
  },
  { additionalProperties: false, examples: [{ classIds: ['7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f'], timeLimitSeconds: 5, seed: 42 }] },
);

export const JobStatus = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]);

export const JobCreated = Type.Object({ job: Type.Object({ id: Uuid, status: JobStatus }) });

export const JobProgress = Type.Object({
  elapsedMs: Type.Integer(),
  placed: Type.Integer({ description: 'Activities (a double period is one) on the grid in no hard violation' }),
  total: Type.Integer(),
  hardViolations: Type.Integer(),
  softPenalty: Type.Number(),
});

export const GeneratedLesson = Type.Object({
  classId: Uuid,
  subjectId: Uuid,
  teacherId: Uuid,
  roomId: Nullable(Uuid),
  day: Weekday,
  period: Type.Integer(),
});

export const JobResult = Type.Object({
  lessons: Type.Array(GeneratedLesson, { description: 'The unpinned lessons of the job\'s classes; pinned lessons stay as they are' }),
  unplaced: Type.Array(
    Type.Object({ classId: Uuid, subjectId: Uuid, teacherId: Uuid, count: Type.Integer({ description: 'Periods left out' }), reason: Type.String() }),
  ),
  score: Type.Object({ hard: Type.Integer(), soft: Type.Number() }),
});

export const JobView = Type.Object({
  id: Uuid,
  status: JobStatus,
  classIds: Type.Array(Uuid),
  options: Type.Object({ timeLimitSeconds: Type.Integer(), seed: Type.Integer(), keepExisting: Type.Boolean() }),
  progress: JobProgress,
  result: Type.Optional(JobResult),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  appliedAt: Nullable(Timestamp),
});

export const Applied = Type.Object({ removed: Type.Integer({ description: 'Unpinned lessons replaced' }), created: Type.Integer() });

export type Availability = Static<typeof Availability>;
export type GenerateBody = Static<typeof GenerateBody>;
