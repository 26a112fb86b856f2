import { t } from '../../i18n';
import { WEEKDAYS, type Weekday } from './calendar-dates';
import { dayOfUntil, endOfDayUntil } from './zoned-time';

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

const FREQUENCIES: Record<string, Frequency> = { DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly' };
const WEEKDAY_OF = Object.fromEntries(Object.entries(BYDAY).map(([day, code]) => [code, day as Weekday]));

/**
 * The builder's reading of a stored RRULE, the reverse of `repeatRule`; null for a rule it cannot
 * show (yearly, every other week, "the second Tuesday", BYMONTHDAY, ...), which the form then keeps
 * as it is. `firstDay` gives a weekly rule without BYDAY its one day, as the API repeats it.
 */
export function parseRepeatRule(rule: string, timeZone: string, firstDay: Weekday): RepeatDraft | null {
  const parts = new Map(
    rule
      .replace(/^RRULE:/i, '')
      .split(';')
      .filter(Boolean)
      .map((part) => part.toUpperCase().split('=') as [string, string | undefined]),
  );
  const frequency = FREQUENCIES[parts.get('FREQ') ?? ''];
  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'COUNT', 'UNTIL', 'WKST']);
  if (!frequency || [...parts.keys()].some((key) => !known.has(key)) || (parts.get('INTERVAL') ?? '1') !== '1') return null;
  const days = parts.get('BYDAY')?.split(',');
  if (days && (frequency !== 'weekly' || days.some((code) => !WEEKDAY_OF[code]))) return null;
  const draft: RepeatDraft = { frequency, weekdays: days ? days.map((code) => WEEKDAY_OF[code]!) : [firstDay], end: 'never', count: 10, until: '' };
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined) return /^\d+$/.test(count) ? { ...draft, end: 'count', count: Number(count) } : null;
  if (until !== undefined) {
    const day = dayOfUntil(until, timeZone);
    return day ? { ...draft, end: 'until', until: day } : null;
  }
  return draft;
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
