/** ISO 8601 weeks ('2026-W48'), as GET /api/timetable/me?week= takes them. */

const DAY_MS = 86_400_000;

/** The ISO week a calendar date (its year, month and day; the time of day does not count) falls in. */
export function isoWeekOf(date: Date): string {
  const day = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the year the week belongs to.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of an ISO week, at noon UTC (clear of any time zone's date line). */
function mondayOf(week: string): Date {
  const [year, number] = week.split('-W').map(Number) as [number, number];
  const january4 = new Date(Date.UTC(year, 0, 4, 12));
  const monday = new Date(january4.getTime() - ((january4.getUTCDay() || 7) - 1) * DAY_MS);
  return new Date(monday.getTime() + (number - 1) * 7 * DAY_MS);
}

export function shiftWeek(week: string, weeks: number): string {
  const monday = mondayOf(week);
  const shifted = new Date(monday.getTime() + weeks * 7 * DAY_MS);
  return isoWeekOf(new Date(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

export function isIsoWeek(value: string | null): value is string {
  return value !== null && /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(value);
}
