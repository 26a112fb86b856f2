/**
 * Times in the institution's time zone, which need not be the browser's. The API writes a timed
 * occurrence's `startsAt` in the institution's offset, so its wall-clock time is the text itself;
 * going the other way (a date and time typed into the form) needs the zone's offset at that moment.
 */

/** The local date and time (HH:MM) an RFC 3339 timestamp is written in. */
export function wallClock(stamp: string): { date: string; time: string } {
  return { date: stamp.slice(0, 10), time: stamp.slice(11, 16) };
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(instant: number, timeZone: string): number {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(instant)).map(({ type, value }) => [type, Number(value)]));
  const asUtc = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant a local date and time (HH:MM) name in the zone; in a daylight-saving gap, the moment after it. */
function instantOf(date: string, time: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const guess = wall - offsetMinutes(wall, timeZone) * 60_000;
  // The offset at the guess can differ from the one at the wall time read as UTC near a change.
  return wall - offsetMinutes(guess, timeZone) * 60_000;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** RFC 3339 with the zone's offset, as the API takes `startsAt`: 2026-12-07T09:00:00+01:00. */
export function zonedTimestamp(date: string, time: string, timeZone: string): string {
  const instant = instantOf(date, time, timeZone);
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(instant + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** The last second of a local day in UTC, as an RRULE's UNTIL: 20261218T225959Z in Europe/Berlin. */
export function endOfDayUntil(date: string, timeZone: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const last = new Date(instantOf(next.toISOString().slice(0, 10), '00:00', timeZone) - 1000);
  return last.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The local day an RRULE's UNTIL falls on in the zone: 20261218T225959Z is 2026-12-18 in Europe/Berlin; a bare 20261218 is that day. */
export function dayOfUntil(until: string, timeZone: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(until);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, utc] = match;
  if (hour === undefined) return `${year}-${month}-${day}`;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  // A floating UNTIL (no Z) is already local time.
  const local = utc ? wall + offsetMinutes(wall, timeZone) * 60_000 : wall;
  return new Date(local).toISOString().slice(0, 10);
}
