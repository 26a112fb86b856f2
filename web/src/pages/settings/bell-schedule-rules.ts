import type { ResponseOf } from '../../api/types';
import type { MessageKey } from '../../i18n';

export type BellSchedule = ResponseOf<'/api/bell-schedule', 'get'>;
export type Weekday = BellSchedule['days'][number];
export type Lesson = ResponseOf<'/api/schedules', 'get'>['items'][number];

/** The days of the week in their order: the API wants working days listed in it. */
export const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** The API's limit on periods a day. */
export const MAX_PERIODS = 16;

/** A period as the editor holds it: times as typed ('' while empty), numbered by its place in the list. */
export interface PeriodDraft {
  start: string;
  end: string;
}

/** A problem with one period's field, said with a text key and the values it names. */
export interface PeriodProblem {
  index: number;
  field: 'start' | 'end';
  key: MessageKey;
  values: Record<string, string | number>;
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/**
 * What the server would refuse, found before saving: every period has both times, ends after it
 * starts, and starts no earlier than the one before it ends (periods are numbered in time order,
 * so an overlap is always with the previous one). "HH:MM" strings compare in time order.
 */
export function periodProblems(periods: PeriodDraft[]): PeriodProblem[] {
  const problems: PeriodProblem[] = [];
  periods.forEach((period, index) => {
    const number = index + 1;
    if (!TIME.test(period.start)) problems.push({ index, field: 'start', key: 'bellSchedule.problem.noStart', values: { number } });
    if (!TIME.test(period.end)) problems.push({ index, field: 'end', key: 'bellSchedule.problem.noEnd', values: { number } });
    if (!TIME.test(period.start) || !TIME.test(period.end)) return;
    if (period.end <= period.start) problems.push({ index, field: 'end', key: 'bellSchedule.problem.endBeforeStart', values: { number, start: period.start } });
    const previous = periods[index - 1];
    if (previous && TIME.test(previous.end) && period.start < previous.end) {
      problems.push({ index, field: 'start', key: 'bellSchedule.problem.overlap', values: { number, previous: number - 1, end: previous.end } });
    }
  });
  return problems;
}

function minutes(time: string): number {
  const [hours = 0, mins = 0] = time.split(':').map(Number);
  return hours * 60 + mins;
}

function clock(total: number): string {
  const capped = Math.min(total, 23 * 60 + 59);
  return `${String(Math.floor(capped / 60)).padStart(2, '0')}:${String(capped % 60).padStart(2, '0')}`;
}

/** A new last period: as long as the one before it, after a break as long as the one before that (5 and 45 minutes to start with). */
export function nextPeriod(periods: PeriodDraft[]): PeriodDraft {
  const last = periods.at(-1);
  if (!last || !TIME.test(last.start) || !TIME.test(last.end)) return { start: '08:00', end: '08:45' };
  const beforeLast = periods.at(-2);
  const length = Math.max(5, minutes(last.end) - minutes(last.start));
  const gap = beforeLast && TIME.test(beforeLast.end) ? Math.max(0, minutes(last.start) - minutes(beforeLast.end)) : 5;
  const start = minutes(last.end) + gap;
  return { start: clock(start), end: clock(start + length) };
}

/** The lessons a schedule of these days and this many periods has no slot for: what a 409 LESSONS_OUTSIDE is about. */
export function strandedLessons(lessons: Lesson[], days: readonly Weekday[], periodCount: number): Lesson[] {
  return lessons.filter((lesson) => !days.includes(lesson.day) || lesson.period > periodCount);
}
