import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { addDays } from './calendar-dates';
import { wallClock } from './zoned-time';

export type CalendarView = ResponseOf<'/api/calendar', 'get'>;
export type Occurrence = CalendarView['occurrences'][number];
export type EventType = Occurrence['type'];

export const EVENT_TYPES: EventType[] = ['event', 'holiday', 'exam', 'meeting'];

/** Each kind's colour: a holiday stands out in orange, the others are told apart by colour and their label. */
export const TYPE_COLOR: Record<EventType, string> = { event: 'blue', holiday: 'orange', exam: 'grape', meeting: 'teal' };

/** The local days an occurrence covers: all-day ones from `date` to `endDate`, timed ones from start to end. */
export function daysOf(occurrence: Pick<Occurrence, 'allDay' | 'date' | 'endDate' | 'startsAt' | 'endsAt'>): { first: string; last: string } {
  if (occurrence.allDay) return { first: occurrence.date!, last: occurrence.endDate ?? occurrence.date! };
  const start = wallClock(occurrence.startsAt!);
  const end = wallClock(occurrence.endsAt!);
  // Ending at midnight ends on the day before.
  const last = end.time === '00:00' && end.date > start.date ? addDays(end.date, -1) : end.date;
  return { first: start.date, last };
}

/** Holidays first, then other all-day events, then by starting time (the API's order). */
function dayOrder(a: Occurrence, b: Occurrence): number {
  const rank = (occurrence: Occurrence) => (occurrence.type === 'holiday' ? 0 : occurrence.allDay ? 1 : 2);
  return rank(a) - rank(b);
}

/** The occurrences on each of `days`, a several-day one on each day it covers. */
export function occurrencesByDay(occurrences: Occurrence[], days: string[]): Map<string, Occurrence[]> {
  const byDay = new Map<string, Occurrence[]>(days.map((day) => [day, []]));
  for (const occurrence of occurrences) {
    const { first, last } = daysOf(occurrence);
    for (const day of days) if (day >= first && day <= last) byDay.get(day)!.push(occurrence);
  }
  for (const list of byDay.values()) list.sort(dayOrder);
  return byDay;
}

/** "09:00–10:30" in the institution's time, or "All day". */
export function timeText(occurrence: Occurrence): string {
  if (occurrence.allDay) return t('calendar.allDay');
  return t('calendar.timeRange', { start: wallClock(occurrence.startsAt!).time, end: wallClock(occurrence.endsAt!).time });
}

/** A holiday says so in its own words as well as in its colour. */
export function occurrenceTitle(occurrence: Occurrence): string {
  return occurrence.type === 'holiday' ? t('calendar.holidayLabel', { title: occurrence.title }) : occurrence.title;
}

/** An occurrence's key among the day's: an event recurs, so its id alone repeats across days. */
export function occurrenceKey(occurrence: Occurrence): string {
  return `${occurrence.eventId}:${occurrence.startsAt ?? occurrence.date}`;
}

/** Every calendar query starts with this key: the views of each range, and an event read for its form. */
export const calendarKey = ['calendar'] as const;
