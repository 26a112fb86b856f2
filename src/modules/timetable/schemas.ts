import { Type } from 'typebox';
import { Uuid } from '../../lib/schemas.js';
import { BellPeriod, Time, Weekday } from '../bell-schedule/schemas.js';
import { SubjectRef } from '../schedules/schemas.js';

const Ref = Type.Object({ id: Uuid, name: Type.String() });

export const TimetableLesson = Type.Object({
  id: Uuid,
  day: Weekday,
  period: Type.Integer(),
  start: Time,
  end: Time,
  subject: SubjectRef,
  class: Ref,
  teacher: Ref,
  room: Type.Optional(Ref),
});

/** A week: the bell schedule and the lessons in it, by day (in week order) and period. */
export const Timetable = Type.Object({
  days: Type.Array(Weekday),
  periods: Type.Array(BellPeriod),
  lessons: Type.Array(TimetableLesson, { description: 'Sorted by day, then period; `room` only where the lesson has one' }),
});

/** 'YYYY-Www', an ISO 8601 week. */
export const ISO_WEEK = '^[0-9]{4}-W[0-9]{2}$';

/** `GET /timetable/me`: the week, or with `week` that ISO week dated, holidays marked and lessons on them left out. */
export const MyTimetable = Type.Object({
  week: Type.Optional(Type.String({ description: 'The ISO week asked for' })),
  ...Timetable.properties,
  lessons: Type.Array(
    Type.Object({
      ...TimetableLesson.properties,
      cover: Type.Optional(Type.Object({ teacher: Ref }, { description: 'Dated week: who teaches it that day instead of its teacher' })),
      cancelled: Type.Optional(Type.Literal(true, { description: "Dated week, the absent teacher's own: they do not teach it that day" })),
    }),
    { description: "Sorted by day, then period. In a dated week a teacher's also holds the lessons they cover that week" },
  ),
  dates: Type.Optional(
    Type.Array(Type.Object({ day: Weekday, date: Type.String({ format: 'date' }), holidays: Type.Array(Type.Object({ id: Uuid, title: Type.String() })) }), {
      description: 'Each working day of the week asked for, with the holidays on it',
    }),
  ),
});

export const MyTimetableQuery = Type.Object(
  { week: Type.Optional(Type.String({ pattern: ISO_WEEK, description: 'An ISO week, YYYY-Www' })) },
  { additionalProperties: false },
);
