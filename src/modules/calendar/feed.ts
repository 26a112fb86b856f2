import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { tenantDb, type TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { enrolledFor } from '../assignments/policy.js';
import { findPrincipal, type Principal } from '../auth/queries.js';
import { WEEKDAYS, weekdayOf } from '../bell-schedule/schemas.js';
import { visibleTo } from './policy.js';
import { calendarText, dateProperty, dateTimeProperty, escapeText, timeZoneLines, utcStamp } from './ics.js';
import { holidaysByDate, isOff } from './holidays.js';

/**
 * A feed token is the feed's id (32 hex digits) and 32 random bytes (base64url). Only the
 * SHA-256 of the random part is stored: a leaked database does not leak feeds, and the comparison
 * is constant-time, so the answer's timing tells nothing about how close a guess was.
 */
const TOKEN = /^([0-9a-f]{32})([A-Za-z0-9_-]{43})$/;

const digest = (secret: string) => createHash('sha256').update(secret).digest();

function feedId(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Creates the principal's feed or replaces its token (the old URL stops working). */
export async function rotateFeed(db: TenantDb, principal: Principal): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('registry.calendarFeeds')
    .values({ institutionId: principal.institution.id, userId: principal.id, role: principal.role, tokenHash: digest(secret) })
    .onConflict((oc) => oc.columns(['institutionId', 'userId']).doUpdateSet({ id: (eb) => eb.fn('gen_random_uuid', []), tokenHash: digest(secret) }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return `${row.id.replace(/-/g, '')}${secret}`;
}

export async function revokeFeed(db: TenantDb, principal: Principal): Promise<boolean> {
  const result = await db.deleteFrom('registry.calendarFeeds').where('institutionId', '=', principal.institution.id).where('userId', '=', principal.id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The active account a token belongs to, or nothing. */
export async function feedOwner(db: Kysely<Database>, token: string): Promise<Principal | undefined> {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const feed = await db.selectFrom('registry.calendarFeeds').selectAll().where('id', '=', feedId(match[1]!)).executeTakeFirst();
  if (!feed || !timingSafeEqual(Buffer.from(feed.tokenHash), digest(match[2]!))) return undefined;
  const principal = await findPrincipal(db, { sub: feed.userId, iid: feed.institutionId, role: feed.role, ver: 0 });
  return principal?.isActive ? principal : undefined;
}

/** How far ahead lessons are kept off holidays (EXDATE) and how far back lessons start. */
const HORIZON_DAYS = 366;

const uid = (kind: string, id: string) => `UID:${kind}-${id}@calendar.smart-crm`;

/**
 * The principal's calendar as iCalendar text: the events they see (recurring ones as RRULE with
 * EXDATEs), their weekly lessons from this week on as weekly events at the bell schedule's times
 * with the holidays that apply left out, and their assignments' due dates.
 */
export async function feedText(db: Kysely<Database>, principal: Principal): Promise<string> {
  const tenant = tenantDb(db, principal.institution.schemaName);
  const { timeZone } = await tenant.selectFrom('registry.institutions').select('timeZone').where('id', '=', principal.institution.id).executeTakeFirstOrThrow();
  const now = Temporal.Now.zonedDateTimeISO(timeZone);
  const stamp = `DTSTAMP:${utcStamp(now.toInstant())}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Smart Institutional CRM//Calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`${principal.institution.name} – ${principal.name}`)}`,
    `X-WR-TIMEZONE:${timeZone}`,
    ...timeZoneLines(timeZone),
  ];
  const zoned = (instant: string) => Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone);

  const events = await tenant
    .selectFrom('calendarEvents')
    .selectAll()
    .where((eb) => visibleTo(principal, eb.ref('calendarEvents.id')))
    .orderBy('createdAt')
    .execute();
  for (const event of events) {
    lines.push('BEGIN:VEVENT', uid('event', event.id), stamp, `SUMMARY:${escapeText(event.title)}`, `CATEGORIES:${event.type.toUpperCase()}`);
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
    if (event.allDay) {
      const end = Temporal.PlainDate.from(event.endDate!).add({ days: 1 }).toString();
      lines.push(dateProperty('DTSTART', event.startDate!), dateProperty('DTEND', end));
    } else {
      lines.push(dateTimeProperty('DTSTART', zoned(event.startsAt!)), dateTimeProperty('DTEND', zoned(event.endsAt!)));
    }
    if (event.recurrence) {
      lines.push(`RRULE:${event.recurrence}`);
      const startTime = event.allDay ? null : zoned(event.startsAt!).toPlainTime();
      for (const date of event.exceptions) {
        if (startTime === null) lines.push(dateProperty('EXDATE', date));
        else lines.push(dateTimeProperty('EXDATE', Temporal.PlainDate.from(date).toZonedDateTime({ timeZone, plainTime: startTime })));
      }
    }
    if (event.type === 'holiday') lines.push('TRANSP:TRANSPARENT');
    lines.push('END:VEVENT');
  }

  if (principal.role !== 'admin') await pushLessons(tenant, principal, timeZone, now, stamp, lines);
  await pushAssignments(tenant, principal, timeZone, stamp, lines);
  lines.push('END:VCALENDAR');
  return calendarText(lines);
}

async function pushLessons(db: TenantDb, principal: Principal, timeZone: string, now: Temporal.ZonedDateTime, stamp: string, lines: string[]) {
  let lessons = db
    .selectFrom('lessons as l')
    .innerJoin('subjects as s', 's.id', 'l.subjectId')
    .innerJoin('classes as c', 'c.id', 'l.classId')
    .leftJoin('rooms as r', 'r.id', 'l.roomId')
    .innerJoin('bellSchedule as b', (join) => join.onTrue())
    .select(['l.id', 'l.day', 'l.period', 'l.classId', 's.name as subject', 'c.name as className', 'r.name as room', 'b.periods'])
    .orderBy('l.id');
  lessons =
    principal.role === 'teacher'
      ? lessons.where('l.teacherId', '=', principal.id)
      : lessons.where('l.classId', 'in', db.selectFrom('enrollments').select('classId').where('studentId', '=', principal.id));
  const rows = await lessons.execute();
  if (rows.length === 0) return;
  const monday = now.toPlainDate().subtract({ days: now.dayOfWeek - 1 });
  const holidays = await holidaysByDate(db, principal, timeZone, monday, HORIZON_DAYS);
  for (const lesson of rows) {
    const period = lesson.periods[lesson.period - 1];
    if (!period) continue;
    const date = monday.add({ days: WEEKDAYS.indexOf(lesson.day) });
    const at = (time: string) => date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) });
    lines.push(
      'BEGIN:VEVENT',
      uid('lesson', lesson.id),
      stamp,
      `SUMMARY:${escapeText(`${lesson.subject} – ${lesson.className}`)}`,
      dateTimeProperty('DTSTART', at(period.start)),
      dateTimeProperty('DTEND', at(period.end)),
      'RRULE:FREQ=WEEKLY',
    );
    if (lesson.room) lines.push(`LOCATION:${escapeText(lesson.room)}`);
    for (const [holidayDate, list] of holidays) {
      const day = Temporal.PlainDate.from(holidayDate);
      if (weekdayOf(day) !== lesson.day) continue;
      if (isOff(list, lesson.classId)) {
        lines.push(dateTimeProperty('EXDATE', day.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(period.start) })));
      }
    }
    lines.push('END:VEVENT');
  }
}

async function pushAssignments(db: TenantDb, principal: Principal, timeZone: string, stamp: string, lines: string[]) {
  if (principal.role === 'admin') return;
  const rows = await db
    .selectFrom('assignments as a')
    .select(['a.id', 'a.title', 'a.dueAt'])
    .where((eb) => (principal.role === 'student' ? enrolledFor(principal.id, eb.ref('a.id')) : eb('a.teacherId', '=', principal.id)))
    .orderBy('a.dueAt')
    .execute();
  for (const assignment of rows) {
    lines.push(
      'BEGIN:VEVENT',
      uid('assignment', assignment.id),
      stamp,
      `SUMMARY:${escapeText(`Due: ${assignment.title}`)}`,
      dateTimeProperty('DTSTART', Temporal.Instant.from(assignment.dueAt).toZonedDateTimeISO(timeZone)),
      'END:VEVENT',
    );
  }
}

