import type { Temporal } from 'temporal-polyfill';
import { type Static, Type } from 'typebox';
import type { Weekday as WeekdayName } from './tables.js';

/** The days of the week in their order; working days and lessons are always listed in it. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const satisfies readonly WeekdayName[];

/** The weekday a date falls on, in the bell schedule's words. */
export const weekdayOf = (date: Temporal.PlainDate): WeekdayName => WEEKDAYS[date.dayOfWeek - 1]!;

export const Weekday = Type.Enum([...WEEKDAYS], { description: 'A day of the week, lowercase English' });
export const PeriodNumber = Type.Integer({ minimum: 1, maximum: 16, description: 'A period of the bell schedule, numbered from 1' });
export const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour' });

export const BellPeriod = Type.Object({ number: PeriodNumber, start: Time, end: Time }, { additionalProperties: false });

/** A half-day week, for the docs; a new institution starts with Monday-Friday and 8 periods. */
const EXAMPLE_WEEK = {
  days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  periods: [
    { number: 1, start: '08:00', end: '08:50' },
    { number: 2, start: '08:55', end: '09:45' },
    { number: 3, start: '10:05', end: '10:55' },
    { number: 4, start: '11:00', end: '11:50' },
  ],
};

/** The institution's week: its working days and the times of its periods. */
export const BellSchedule = Type.Object(
  {
    days: Type.Array(Weekday, { minItems: 1, maxItems: 7, description: 'Working days, each once, in week order' }),
    periods: Type.Array(BellPeriod, {
      minItems: 1,
      maxItems: 16,
      description: 'Numbered 1, 2, 3, … in order; each starts before it ends and no earlier than the previous one ends',
    }),
  },
  { additionalProperties: false, examples: [EXAMPLE_WEEK] },
);

export type BellSchedule = Static<typeof BellSchedule>;
