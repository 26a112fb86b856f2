import { t } from '../../i18n';
import { WEEKDAYS, type Weekday } from './calendar-dates';
import { endOfDayUntil } from './zoned-time';

/** What the form's simple repeat builder can say; the API takes any RRULE of its subset. */
export type Frequency = 'daily' | 'weekly' | 'monthly';
export type RepeatEnd = 'never' | 'count' | 'until';

export interface RepeatDraft {
  frequency: Frequency;
  /** Weekly: the days; none means the start's weekday. */
  weekdays: Weekday[];
  end: RepeatEnd;
  count: number;
  /** Last local day it may fall on, inclusive. */
  until: string;
}

const BYDAY: Record<Weekday, string> = { monday: 'MO', tuesday: 'TU', wednesday: 'WE', thursday: 'TH', friday: 'FR', saturday: 'SA', sunday: 'SU' };

/** The RRULE value: FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10. UNTIL is the end of its day in the institution's zone. */
export function repeatRule(draft: RepeatDraft, timeZone: string): string {
  const parts = [`FREQ=${draft.frequency.toUpperCase()}`];
  if (draft.frequency === 'weekly' && draft.weekdays.length > 0) {
    parts.push(`BYDAY=${WEEKDAYS.filter((day) => draft.weekdays.includes(day)).map((day) => BYDAY[day]).join(',')}`);
  }
  if (draft.end === 'count') parts.push(`COUNT=${draft.count}`);
  if (draft.end === 'until' && draft.until) parts.push(`UNTIL=${endOfDayUntil(draft.until, timeZone)}`);
  return parts.join(';');
}

/** The rule in words for the form to confirm: "Every week on Monday and Wednesday, 10 times". */
export function repeatSummary(draft: RepeatDraft, formatDate: (date: string) => string): string {
  const days = WEEKDAYS.filter((day) => draft.weekdays.includes(day)).map((day) => t(`day.${day}`));
  const every =
    draft.frequency === 'weekly' && days.length > 0
      ? t('calendar.repeat.summaryWeeklyOn', { days: days.join(', ') })
      : t(`calendar.repeat.summary.${draft.frequency}`);
  if (draft.end === 'count') return t('calendar.repeat.summaryCount', { every, count: draft.count });
  if (draft.end === 'until' && draft.until) return t('calendar.repeat.summaryUntil', { every, until: formatDate(draft.until) });
  return every;
}
