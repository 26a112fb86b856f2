import type { Day, Lesson } from '../week/week';

const WEEKDAYS: readonly Day[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Today at the school: lesson times are the institution's local time, whatever the device's zone. */
export interface SchoolNow {
  /** YYYY-MM-DD */
  date: string;
  day: Day;
  /** HH:MM, 24-hour, as lessons' `start` and `end` are written. */
  time: string;
}

export function schoolNow(now: Date, timeZone: string): SchoolNow {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const day = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] as Day;
  return { date, day, time: `${parts.hour}:${parts.minute}` };
}

/** The calendar date of a YYYY-MM-DD string, for isoWeekOf (which reads the date's local fields). */
export function localDate(date: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day);
}

/** The lesson going on at `time` and the next one to start after it (lessons sorted by period). */
export function nowAndNext(lessons: Lesson[], time: string): { now?: Lesson; next?: Lesson } {
  const taught = lessons.filter((lesson) => !lesson.cancelled);
  return {
    now: taught.find((lesson) => lesson.start <= time && time < lesson.end),
    next: taught.find((lesson) => lesson.start > time),
  };
}
