import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { ErrorDetail } from '../../lib/errors.js';
import { normalizeRecurrence, type Timing } from './recurrence.js';

/**
 * iCalendar text (RFC 5545): writing the feed, reading an import. Written by hand because it is
 * little: CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character), text values
 * escaped; the time zone's VTIMEZONE comes from timezones-ical-library (IANA data), which Outlook
 * needs and Google and Apple accept. Imports are parsed by ical.js (Mozilla's parser).
 */

const encoder = new TextEncoder();

/** One content line folded at 75 octets: continuation lines start with a space (which counts). */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let piece = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = pieces.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      pieces.push(piece);
      piece = '';
      octets = 0;
    }
    piece += char;
    octets += size;
  }
  pieces.push(piece);
  return pieces.join('\r\n ');
}

export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

const compact = (value: string) => value.replace(/[-:]/g, '');

/** A date-time property: UTC ('…Z') where the zone is UTC, else local with TZID. */
export function dateTimeProperty(name: string, at: Temporal.ZonedDateTime): string {
  const plain = at.toPlainDateTime().toString({ smallestUnit: 'second' });
  if (at.timeZoneId === 'UTC') return `${name}:${compact(plain)}Z`;
  return `${name};TZID=${at.timeZoneId}:${compact(plain)}`;
}

export function dateProperty(name: string, date: string): string {
  return `${name};VALUE=DATE:${compact(date)}`;
}

export function utcStamp(instant: Temporal.Instant): string {
  return `${compact(instant.toString({ smallestUnit: 'second' }))}`;
}

/** The VTIMEZONE of an IANA zone, or nothing for UTC (written as '…Z' times). */
export function timeZoneLines(timeZone: string): string[] {
  if (timeZone === 'UTC') return [];
  const [block] = tzlib_get_ical_block(timeZone) as [string, string];
  if (!block) return [];
  // The library names UTC-like zones by their canonical id; the TZID must match our properties.
  return block.split(/\r\n/).map((line) => (line.startsWith('TZID:') ? `TZID:${timeZone}` : line));
}

/** A whole calendar: lines joined and folded, CRLF after each. */
export function calendarText(lines: string[]): string {
  return lines.map((line) => `${foldLine(line)}\r\n`).join('');
}

/** An entry of an imported file, as an event to store. */
export interface ImportedEntry extends Timing {
  uid: string;
  title: string;
  description: string | null;
  exceptions: string[];
}

/** The instant of an ical.js time: UTC, in its TZID (an IANA name), or floating (the school's zone). */
function instantOf(time: ICAL.Time, tzid: string | null, timeZone: string): Temporal.Instant {
  const plain = Temporal.PlainDateTime.from({ year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second });
  if (time.zone?.tzid === 'UTC') return plain.toZonedDateTime('UTC').toInstant();
  return plain.toZonedDateTime(tzid ?? timeZone).toInstant();
}

const dateOf = (time: ICAL.Time) => Temporal.PlainDate.from({ year: time.year, month: time.month, day: time.day });

/**
 * Every VEVENT of the file, or the problems of each entry that cannot be taken (field
 * `events.N.PROPERTY`, N counting from 0 in file order) – all of them, so one upload shows all.
 */
export function parseImport(text: string, timeZone: string): { entries: ImportedEntry[]; problems: ErrorDetail[] } {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (error) {
    return { entries: [], problems: [{ field: 'file', message: `not an iCalendar file: ${(error as Error).message}` }] };
  }
  if (calendar.name !== 'vcalendar') return { entries: [], problems: [{ field: 'file', message: 'not an iCalendar file: no VCALENDAR' }] };
  const events = calendar.getAllSubcomponents('vevent');
  if (events.length === 0) return { entries: [], problems: [{ field: 'file', message: 'holds no VEVENT' }] };
  const entries: ImportedEntry[] = [];
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  events.forEach((event, index) => {
    const problem = (property: string, message: string) => problems.push({ field: `events.${index}.${property}`, message });
    const uid = String(event.getFirstPropertyValue('uid') ?? '').trim();
    const title = String(event.getFirstPropertyValue('summary') ?? '').trim();
    const start = event.getFirstProperty('dtstart');
    const end = event.getFirstProperty('dtend');
    if (!uid) problem('UID', 'is missing');
    else if (uid.length > 255) problem('UID', 'is longer than 255 characters');
    else if (seen.has(uid)) problem('UID', `"${uid}" appears twice in the file`);
    seen.add(uid);
    if (!title) problem('SUMMARY', 'is missing');
    else if (title.length > 200) problem('SUMMARY', 'is longer than 200 characters');
    const description = String(event.getFirstPropertyValue('description') ?? '').trim().slice(0, 5000) || null;
    const rrule = event.getFirstPropertyValue('rrule');
    let recurrence: string | null = null;
    if (rrule) {
      const normalized = normalizeRecurrence(rrule.toString());
      if ('problem' in normalized) problem('RRULE', normalized.problem);
      else recurrence = normalized.rule;
    }
    const exceptions = event
      .getAllProperties('exdate')
      .flatMap((property) => property.getValues() as ICAL.Time[])
      .map((time) => dateOf(time).toString());
    if (!start) return problem('DTSTART', 'is missing');
    const startTime = start.getFirstValue() as ICAL.Time;
    const endTime = (end?.getFirstValue() as ICAL.Time | undefined) ?? null;
    const tzid = (time: ICAL.Property | null | undefined) => (time?.getParameter('tzid') as string | undefined) ?? null;
    try {
      if (startTime.isDate) {
        const first = dateOf(startTime);
        // DTEND of an all-day entry is the day after it (exclusive); without one it is one day.
        const last = endTime ? dateOf(endTime).subtract({ days: 1 }) : first;
        if (Temporal.PlainDate.compare(last, first) < 0) return problem('DTEND', 'is before DTSTART');
        if (first.year < 1900 || first.year > 2199) return problem('DTSTART', 'is outside the years 1900-2199');
        entries.push({ uid, title, description, allDay: true, startsAt: null, endsAt: null, startDate: first.toString(), endDate: last.toString(), recurrence, exceptions });
      } else {
        const from = instantOf(startTime, tzid(start), timeZone);
        const to = endTime ? instantOf(endTime, tzid(end), timeZone) : from.add({ hours: 1 });
        if (Temporal.Instant.compare(to, from) <= 0) return problem('DTEND', 'is not after DTSTART');
        entries.push({ uid, title, description, allDay: false, startsAt: from.toString(), endsAt: to.toString(), startDate: null, endDate: null, recurrence, exceptions });
      }
    } catch (error) {
      problem('DTSTART', `cannot be read: ${(error as Error).message}`);
    }
  });
  return { entries, problems };
}
