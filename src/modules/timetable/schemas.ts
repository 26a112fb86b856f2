import { Type } from 'typebox';
import { Uuid } from '../../lib/schemas.js';
import { BellPeriod, Time, Weekday } from '../bell-schedule/schemas.js';
import { SubjectRef } from '../schedules/schemas.js';

const Ref = Type.Object({ id: Uuid, name: Type.String() });

const TimetableLesson = Type.Object({
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
