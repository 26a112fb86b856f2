import { type Static, Type } from 'typebox';
import { DateOnly, Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';
import { PeriodNumber, Weekday } from '../bell-schedule/schemas.js';
import { TimetableLesson } from '../timetable/schemas.js';

const Ref = Type.Object({ id: Uuid, name: Type.String() });

export const CreateAbsenceBody = Type.Object(
  {
    teacherId: Uuid,
    from: DateOnly,
    to: DateOnly,
    periods: Type.Optional(
      Type.Array(PeriodNumber, { minItems: 1, maxItems: 16, uniqueItems: true, description: 'Only these periods of each day; the whole day without' }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false, examples: [{ teacherId: '9c1d2e3f-4a5b-4c6d-8e7f-1a2b3c4d5e6f', from: '2026-11-23', to: '2026-11-24', reason: 'ill' }] },
);

const absenceFields = {
  id: Uuid,
  teacher: Ref,
  from: DateOnly,
  to: DateOnly,
  periods: Nullable(Type.Array(Type.Integer())),
  reason: Nullable(Type.String()),
  createdAt: Timestamp,
};

export const AbsenceListItem = Type.Object(absenceFields);

/** One dated occurrence of a lesson an absence takes out, and who covers it. */
export const AffectedLesson = Type.Object({
  date: DateOnly,
  lesson: TimetableLesson,
  coverStatus: Type.Union([Type.Literal('needed'), Type.Literal('covered')]),
  cover: Nullable(Type.Object({ id: Uuid, teacher: Ref })),
});

export const AbsenceView = Type.Object({
  ...absenceFields,
  lessons: Type.Array(AffectedLesson, { description: 'By date, then period; lessons on holidays are not taken out' }),
});

export const ListAbsencesQuery = Type.Object(
  {
    teacherId: Type.Optional(Uuid),
    date: Type.Optional({ ...DateOnly, description: 'Only absences that include this date' }),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const AbsenceList = Paginated(AbsenceListItem);

export const SuggestionsQuery = Type.Object({ lessonId: Uuid, date: DateOnly }, { additionalProperties: false });

export const Suggestions = Type.Object({
  date: DateOnly,
  lesson: TimetableLesson,
  suggestions: Type.Array(
    Type.Object({
      teacher: Ref,
      teachesClass: Type.Boolean(),
      teachesSubject: Type.Boolean(),
      coversThisWeek: Type.Integer({ description: 'Covers in the ISO week of the date, Monday to Sunday' }),
      reasons: Type.Array(Type.String()),
    }),
    { description: 'Teachers of the class first, then of the subject, then those with the fewest covers that week, then by name' },
  ),
});

export const CreateCoverBody = Type.Object(
  { lessonId: Uuid, date: DateOnly, coverTeacherId: Uuid },
  {
    additionalProperties: false,
    examples: [{ lessonId: '2b6e4a10-3c5d-4e7f-9a1b-2c3d4e5f6a7b', date: '2026-11-23', coverTeacherId: '9c1d2e3f-4a5b-4c6d-8e7f-1a2b3c4d5e6f' }],
  },
);

export const CoverView = Type.Object({
  id: Uuid,
  absenceId: Uuid,
  date: DateOnly,
  lesson: TimetableLesson,
  coverTeacher: Ref,
  createdAt: Timestamp,
});

/** What stands in a cover teacher's way (409 SCHEDULE_CONFLICT `conflicts`). */
export const CoverConflict = Type.Object({
  kind: Type.Union([Type.Literal('teacher'), Type.Literal('cover'), Type.Literal('absence'), Type.Literal('unavailable')]),
  lesson: Type.Optional(TimetableLesson),
  date: Type.Optional(DateOnly),
  absence: Type.Optional(Type.Object({ id: Uuid, from: DateOnly, to: DateOnly, periods: Nullable(Type.Array(Type.Integer())) })),
  slot: Type.Optional(Type.Object({ day: Weekday, period: Type.Integer() })),
});

export type CreateAbsenceBody = Static<typeof CreateAbsenceBody>;
export type ListAbsencesQuery = Static<typeof ListAbsencesQuery>;
export type AbsenceListItem = Static<typeof AbsenceListItem>;
export type AffectedLesson = Static<typeof AffectedLesson>;
export type CreateCoverBody = Static<typeof CreateCoverBody>;
export type CoverConflict = Static<typeof CoverConflict>;
export type LessonEntry = Static<typeof TimetableLesson>;
