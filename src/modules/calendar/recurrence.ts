import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';

/**
 * Recurring events, expanded by rrule-temporal: it generates occurrences as Temporal zoned
 * date-times in the institution's time zone, so a weekly 09:00 event stays at 09:00 local time on
 * both sides of a daylight-saving change (and a time that does not exist that day is handled by
 * RFC 5545's rules, not by hand).
 */

/** The RRULE parts the API takes (the subset of RFC 5545). */
const PARTS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'COUNT', 'UNTIL', 'WKST']);
const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

/** What an event's times are, for expansion. */
export interface Timing {
  allDay: boolean;
  startsAt: string | null;
  endsAt: string | null;
  startDate: string | null;
  endDate: string | null;
  recurrence: string | null;
  exceptions: readonly string[];
}

/** One occurrence: its instants, and for all-day events its local days. */
export interface Span {
  start: Temporal.ZonedDateTime;
  end: Temporal.ZonedDateTime;
  /** All-day: first and last local day (inclusive). */
  date: string | null;
  endDate: string | null;
}

/**
 * The rule in the form stored (no `RRULE:` prefix, parts upper-cased), or a message saying what
 * is wrong with it.
 */
export function normalizeRecurrence(value: string): { rule: string } | { problem: string } {
  const rule = value.trim().replace(/^RRULE:/i, '').toUpperCase();
  const parts = new Map<string, string>();
  for (const part of rule.split(';')) {
    const [name, content, extra] = part.split('=');
    if (!name || content === undefined || extra !== undefined || content === '') return { problem: `"${part}" is not NAME=VALUE` };
    if (!PARTS.has(name)) return { problem: `${name} is not supported (FREQ, INTERVAL, BYDAY, COUNT, UNTIL, WKST)` };
    if (parts.has(name)) return { problem: `${name} is given twice` };
    parts.set(name, content);
  }
  const freq = parts.get('FREQ');
  if (!freq || !FREQUENCIES.has(freq)) return { problem: 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY' };
  if (parts.has('COUNT') && parts.has('UNTIL')) return { problem: 'COUNT and UNTIL exclude each other' };
  for (const name of ['INTERVAL', 'COUNT']) {
    const number = parts.get(name);
    if (number !== undefined && !/^[1-9]\d{0,3}$/.test(number)) return { problem: `${name} must be a whole number from 1 to 9999` };
  }
  try {
    ruleFrom(rule, Temporal.ZonedDateTime.from('2026-01-05T09:00[UTC]'));
  } catch (error) {
    return { problem: (error as Error).message };
  }
  return { rule };
}

function ruleFrom(rule: string, dtstart: Temporal.ZonedDateTime) {
  return new RRuleTemporal({ rruleString: `RRULE:${rule}`, dtstart, temporal: Temporal as never });
}

/** Midnight starting a local day. */
export function startOfDay(date: string, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone });
}

/** The first occurrence, as stored. */
function firstSpan(timing: Timing, timeZone: string): Span {
  if (timing.allDay) {
    const start = startOfDay(timing.startDate!, timeZone);
    const end = Temporal.PlainDate.from(timing.endDate!).add({ days: 1 }).toZonedDateTime({ timeZone });
    return { start, end, date: timing.startDate, endDate: timing.endDate };
  }
  const start = Temporal.Instant.from(timing.startsAt!).toZonedDateTimeISO(timeZone);
  const end = Temporal.Instant.from(timing.endsAt!).toZonedDateTimeISO(timeZone);
  return { start, end, date: null, endDate: null };
}

/** The occurrence starting at `start`, as long as the first one (all-day: as many days). */
function spanAt(first: Span, start: Temporal.ZonedDateTime, timeZone: string): Span {
  if (first.date === null) return { start, end: start.add(first.start.until(first.end)), date: null, endDate: null };
  const date = start.toPlainDate();
  const days = Temporal.PlainDate.from(first.date).until(Temporal.PlainDate.from(first.endDate!)).days;
  const endDate = date.add({ days });
  return {
    start: date.toZonedDateTime({ timeZone }),
    end: endDate.add({ days: 1 }).toZonedDateTime({ timeZone }),
    date: date.toString(),
    endDate: endDate.toString(),
  };
}

/**
 * The occurrences of an event that overlap [from, to), in the time zone. A recurring event's
 * exceptions are local dates its occurrences start on.
 */
export function occurrencesBetween(timing: Timing, timeZone: string, from: Temporal.Instant, to: Temporal.Instant): Span[] {
  const first = firstSpan(timing, timeZone);
  const overlaps = (span: Span) => Temporal.Instant.compare(span.start.toInstant(), to) < 0 && Temporal.Instant.compare(span.end.toInstant(), from) > 0;
  if (!timing.recurrence) return overlaps(first) ? [first] : [];
  const skipped = new Set(timing.exceptions);
  // Occurrences that start before `from` but last into it count too.
  const lookBack = from.subtract(first.start.until(first.end));
  return ruleFrom(timing.recurrence, first.start)
    .between(new Date(lookBack.epochMilliseconds), new Date(to.epochMilliseconds), true)
    .filter((start) => !skipped.has(start.toPlainDate().toString()))
    .map((start) => spanAt(first, start, timeZone))
    .filter(overlaps);
}

/** An IANA time zone that both Intl and Temporal know. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    Temporal.Now.zonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}
