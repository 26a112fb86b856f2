/**
 * Local days as 'YYYY-MM-DD' strings, as the calendar API takes and answers them. The arithmetic
 * runs on UTC midnights, so the browser's own time zone never shifts a day.
 */

const DAY_MS = 86_400_000;

/** Monday first, as the ISO week and the `day.*` texts. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

function utcOf(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function dateOf(utc: Date): string {
  return utc.toISOString().slice(0, 10);
}

export function isIsoDate(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(utcOf(value).getTime()) && dateOf(utcOf(value)) === value;
}

export function addDays(date: string, days: number): string {
  return dateOf(new Date(utcOf(date).getTime() + days * DAY_MS));
}

/** The same day `months` later, or the month's last day when it is shorter (31 January + 1 month: 28 February). */
export function addMonths(date: string, months: number): string {
  const day = utcOf(date);
  const target = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day.getUTCDate(), lastDay));
  return dateOf(target);
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(utcOf(date).getUTCDay() + 6) % 7]!;
}

export function mondayOf(date: string): string {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}

/** Every day from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

export function sameMonth(a: string, b: string): boolean {
  return a.slice(0, 7) === b.slice(0, 7);
}

/** The weeks (Monday to Sunday) a month view shows: from the week of the 1st to the week of the last day. */
export function monthWeeks(date: string): string[][] {
  const first = `${date.slice(0, 7)}-01`;
  const last = addDays(addMonths(first, 1), -1);
  const days = daysFrom(mondayOf(first), addDays(mondayOf(last), 6));
  return Array.from({ length: days.length / 7 }, (_, week) => days.slice(week * 7, week * 7 + 7));
}

/** The local date of an instant (today by default) in a time zone: the institution's, or the browser's when none is given. */
export function dateIn(timeZone: string | undefined, instant = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** A day for people to read, e.g. "Mon, 7 Dec"; the options pick the parts. */
export function formatDay(date: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(utcOf(date));
}
