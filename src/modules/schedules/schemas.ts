import { type Static, Type } from 'typebox';
import { Nullable, Paginated, Uuid } from '../../lib/schemas.js';
import { PeriodNumber, Time, Weekday } from '../bell-schedule/schemas.js';

const Ref = Type.Object({ id: Uuid, name: Type.String() });
export const SubjectRef = Type.Object({ id: Uuid, name: Type.String(), color: Nullable(Type.String()) });

/** A lesson as the API shows it, with its times from the bell schedule. */
export const LessonView = Type.Object({
  id: Uuid,
  day: Weekday,
  period: Type.Integer(),
  start: Time,
  end: Time,
  pinned: Type.Boolean({ description: 'Kept when a class timetable is cleared or regenerated' }),
  subject: SubjectRef,
  class: Ref,
  teacher: Ref,
  room: Nullable(Ref),
});

const EXAMPLE_LESSON = {
  classId: '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f',
  subjectId: '2b6e4a10-3c5d-4e7f-9a1b-2c3d4e5f6a7b',
  teacherId: '9c1d2e3f-4a5b-4c6d-8e7f-1a2b3c4d5e6f',
  day: 'monday',
  period: 1,
  roomId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
};

const lessonFields = {
  classId: Uuid,
  subjectId: Uuid,
  teacherId: Type.String({ format: 'uuid', description: 'An active teacher of the institution' }),
  day: Weekday,
  period: PeriodNumber,
  roomId: Type.Optional(Nullable(Uuid)),
  pinned: Type.Optional(Type.Boolean({ default: false })),
};

const LessonInput = Type.Object(lessonFields, { additionalProperties: false });

export const CreateLessonBody = Type.Object(lessonFields, { additionalProperties: false, examples: [EXAMPLE_LESSON] });

export const UpdateLessonBody = Type.Object(
  {
    classId: Type.Optional(lessonFields.classId),
    subjectId: Type.Optional(lessonFields.subjectId),
    teacherId: Type.Optional(lessonFields.teacherId),
    day: Type.Optional(lessonFields.day),
    period: Type.Optional(lessonFields.period),
    roomId: lessonFields.roomId,
    pinned: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ day: 'tuesday', period: 3 }] },
);

export const BulkLessonsBody = Type.Object(
  { lessons: Type.Array(LessonInput, { minItems: 1, maxItems: 2000 }) },
  { additionalProperties: false, examples: [{ lessons: [EXAMPLE_LESSON, { ...EXAMPLE_LESSON, period: 2 }] }] },
);

export const BulkResult = Type.Object({ created: Type.Integer(), lessons: Type.Array(LessonView) });

export const ListLessonsQuery = Type.Object(
  {
    classId: Type.Optional(Uuid),
    teacherId: Type.Optional(Uuid),
    roomId: Type.Optional(Uuid),
    day: Type.Optional(Weekday),
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'Up to 1000, a whole school week' }),
  },
  { additionalProperties: false },
);

export const ClearLessonsQuery = Type.Object({ classId: Uuid }, { additionalProperties: false });
export const ClearResult = Type.Object({ deleted: Type.Integer() });

export const LessonList = Paginated(LessonView);

export type LessonView = Static<typeof LessonView>;
export type LessonInput = Static<typeof LessonInput>;
export type CreateLessonBody = Static<typeof CreateLessonBody>;
export type UpdateLessonBody = Static<typeof UpdateLessonBody>;
export type ListLessonsQuery = Static<typeof ListLessonsQuery>;
