import { Temporal } from 'temporal-polyfill';
import { badRequest } from '../../lib/errors.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Principal } from '../auth/queries.js';
import { WEEKDAYS } from '../bell-schedule/schemas.js';
import { holidaysByDate, isOff } from '../calendar/holidays.js';
import { institutionTimeZone } from '../calendar/service.js';
import { coverInWeek } from '../cover/week.js';

/** The Monday of an ISO week, or 400 for a week its year does not have (2026-W53). */
export function mondayOf(week: string): Temporal.PlainDate {
  const year = Number(week.slice(0, 4));
  const number = Number(week.slice(6));
  const january4 = Temporal.PlainDate.from({ year: Math.max(year, 1), month: 1, day: 4 });
  const monday = january4.subtract({ days: january4.dayOfWeek - 1 }).add({ weeks: number - 1 });
  if (year < 1900 || number < 1 || monday.weekOfYear !== number || monday.yearOfWeek !== year) {
    throw badRequest(`${week} is not a week of an ISO year from 1900`, [{ field: 'week', message: 'is not an ISO week (YYYY-Www)' }]);
  }
  return monday;
}

interface Week {
  days: string[];
  lessons: { id: string; day: string; period: number; class: { id: string } }[];
}

/**
 * One dated week of a timetable: each working day with its date and the holidays on it, and the
 * lessons without those that fall on a holiday for everyone or for their class (a lesson never
 * falls on a holiday), with their cover (cover/week.ts).
 */
export async function datedWeek(db: TenantDb, principal: Principal, week: string, json: string): Promise<string> {
  const monday = mondayOf(week);
  const timetable = JSON.parse(json) as Week;
  const timeZone = await institutionTimeZone(db, principal.institution.id);
  const holidays = await holidaysByDate(db, principal, timeZone, monday, 7);
  const dateOf = (day: string) => monday.add({ days: WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]) }).toString();
  const dates = timetable.days.map((day) => ({
    day,
    date: dateOf(day),
    holidays: (holidays.get(dateOf(day)) ?? []).map(({ id, title }) => ({ id, title })),
  }));
  const withCover = await coverInWeek(db, principal, dates, timetable.lessons);
  const lessons = withCover.filter((lesson) => !isOff(holidays.get(dateOf(lesson.day)), lesson.class.id));
  return JSON.stringify({ week, ...timetable, dates, lessons });
}
