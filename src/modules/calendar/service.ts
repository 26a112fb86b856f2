import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { TenantDb } from '../../db/tenant-schema.js';
import { badRequest, type ErrorDetail, notFound } from '../../lib/errors.js';
import type { ChangeContext, ChangeRunner } from '../../plugins/activity-log.js';
import type { Principal } from '../auth/queries.js';
import { publishEvent } from '../realtime/publish.js';
import { parseImport } from './ics.js';
import { calendarPolicy, changeableEvents, teachesEvery, type Viewer } from './policy.js';
import * as queries from './queries.js';
import { normalizeRecurrence, occurrencesBetween, startOfDay, type Timing } from './recurrence.js';
import type { Audience, CreateEventBody, EventDetailView, EventView, Occurrence, UpdateEventBody } from './schemas.js';
import type { CalendarAudience, CalendarEventType } from './tables.js';

type EventRow = NonNullable<Awaited<ReturnType<typeof queries.findEvent>>>;

/** Dates outside these years are typing mistakes, and a rule from year 1 would expand for ever. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;
/** The widest `GET /calendar` range, in days. */
export const MAX_RANGE_DAYS = 366;

export async function institutionTimeZone(db: TenantDb, institutionId: string): Promise<string> {
  const row = await db.selectFrom('registry.institutions').select('timeZone').where('id', '=', institutionId).executeTakeFirstOrThrow();
  return row.timeZone;
}

/** What an event is made of once its input is checked: the row's fields and its classes. */
interface EventFields extends Timing {
  title: string;
  description: string | null;
  type: CalendarEventType;
  audience: CalendarAudience;
  classIds: string[];
}

function audienceOf(input: Audience): { audience: CalendarAudience; classIds: string[] } {
  if (input.classIds) return { audience: 'classes', classIds: input.classIds };
  return { audience: input.teachersOnly ? 'teachers' : 'all', classIds: [] };
}

function audienceView(row: { audience: string; classIds: string[] }): Audience {
  if (row.audience === 'classes') return { classIds: row.classIds };
  return row.audience === 'teachers' ? { teachersOnly: true } : { all: true };
}

/** A zoned time as the API writes it: RFC 3339 with the zone's offset at that moment. */
const local = (instant: Temporal.ZonedDateTime) => instant.toString({ timeZoneName: 'never', smallestUnit: 'second' });

const inYears = (date: Temporal.PlainDate | Temporal.ZonedDateTime) => date.year >= FIRST_YEAR && date.year <= LAST_YEAR;

/**
 * Checks the whole event (after a change is merged into it): its times, its recurrence and its
 * audience's shape. Every problem is reported at once, by field.
 */
function checkedFields(input: CreateEventBody): EventFields {
  const problems: ErrorDetail[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const timing: Timing = { allDay: input.allDay === true, startsAt: null, endsAt: null, startDate: null, endDate: null, recurrence: null, exceptions: input.exceptions ?? [] };
  if (timing.allDay) {
    if (input.startsAt !== undefined || input.endsAt !== undefined) problem('startsAt', 'an all-day event has `date` and `endDate`, not startsAt/endsAt');
    if (input.date === undefined) problem('date', 'an all-day event needs its date');
    else {
      timing.startDate = input.date;
      timing.endDate = input.endDate ?? input.date;
      if (!inYears(Temporal.PlainDate.from(input.date))) problem('date', `must be in the years ${FIRST_YEAR}-${LAST_YEAR}`);
      if (timing.endDate < timing.startDate) problem('endDate', 'must not be before `date`');
      else if (Temporal.PlainDate.from(timing.startDate).until(Temporal.PlainDate.from(timing.endDate)).days >= MAX_RANGE_DAYS) problem('endDate', 'an event lasts at most a year');
    }
  } else {
    if (input.date !== undefined || input.endDate !== undefined) problem('date', '`date` is for all-day events: add "allDay": true');
    if (input.startsAt === undefined || input.endsAt === undefined) problem(input.startsAt === undefined ? 'startsAt' : 'endsAt', 'a timed event needs startsAt and endsAt');
    else {
      const start = Temporal.Instant.from(input.startsAt);
      const end = Temporal.Instant.from(input.endsAt);
      timing.startsAt = start.toString();
      timing.endsAt = end.toString();
      if (!inYears(start.toZonedDateTimeISO('UTC'))) problem('startsAt', `must be in the years ${FIRST_YEAR}-${LAST_YEAR}`);
      if (Temporal.Instant.compare(end, start) <= 0) problem('endsAt', 'must be after startsAt');
      else if (start.until(end).total('days') > MAX_RANGE_DAYS) problem('endsAt', 'an event lasts at most a year');
    }
  }
  if (input.recurrence !== undefined) {
    const normalized = normalizeRecurrence(input.recurrence);
    if ('problem' in normalized) problem('recurrence', normalized.problem);
    else timing.recurrence = normalized.rule;
  }
  if (timing.exceptions.length > 0 && input.recurrence === undefined) problem('exceptions', 'only a recurring event has exceptions');
  const audience = audienceOf(input.audience);
  if (input.type === 'holiday' && audience.audience === 'teachers') problem('audience', 'a holiday is for everyone or for classes');
  const title = input.title.trim();
  if (title === '') problem('title', 'must not be blank');
  if (problems.length > 0) throw badRequest(`Invalid event: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  return { ...timing, title, description: input.description?.trim() || null, type: input.type, ...audience };
}

/** The stored event as a create body, so that a change can be merged into it and checked whole. */
function asInput(row: EventRow): CreateEventBody {
  return {
    title: row.title,
    ...(row.description !== null && { description: row.description }),
    type: row.type,
    ...(row.allDay ? { allDay: true, date: row.startDate!, endDate: row.endDate! } : { startsAt: row.startsAt!, endsAt: row.endsAt! }),
    audience: audienceView(row),
    ...(row.recurrence !== null && { recurrence: row.recurrence }),
    ...(row.exceptions.length > 0 && { exceptions: row.exceptions }),
  };
}

const TIMING_KEYS = ['allDay', 'startsAt', 'endsAt', 'date', 'endDate'] as const;

/**
 * The event after the change, checked as a whole by `checkedFields`. Times given in the change
 * say which kind the event is now (all-day with `allDay: true`, `date` or `endDate`; timed with
 * `startsAt`/`endsAt` or `allDay: false`); the times of that kind it leaves out stay as they were.
 */
function merged(row: EventRow, change: UpdateEventBody): CreateEventBody {
  const base = asInput(row);
  const result: Record<string, unknown> = { ...base, ...change };
  if (TIMING_KEYS.some((key) => change[key] !== undefined)) {
    const givesDates = change.date !== undefined || change.endDate !== undefined;
    const givesTimes = change.startsAt !== undefined || change.endsAt !== undefined;
    const allDay = change.allDay ?? (givesDates || (!givesTimes && base.allDay === true));
    for (const key of TIMING_KEYS) delete result[key];
    const dates = { date: change.date ?? base.date, endDate: change.endDate ?? (change.date === undefined ? base.endDate : undefined) };
    const times = { startsAt: change.startsAt ?? base.startsAt, endsAt: change.endsAt ?? base.endsAt };
    // Times of the other kind stay in, so that checking names them.
    Object.assign(result, allDay ? { allDay: true, ...dates, ...pick(change, ['startsAt', 'endsAt']) } : { ...times, ...pick(change, ['date', 'endDate']) });
  }
  if (change.recurrence === null && change.exceptions === undefined) delete result.exceptions;
  for (const [key, value] of Object.entries(result)) if (value === undefined || value === null) delete result[key];
  return result as CreateEventBody;
}

function pick(record: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]]));
}

export function eventView(row: EventRow): EventView {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    type: row.type,
    allDay: row.allDay,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    date: row.startDate,
    endDate: row.endDate,
    audience: audienceView(row),
    recurrence: row.recurrence,
    exceptions: row.exceptions,
    uid: row.uid,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * One event as stored (a series from its first occurrence), if the principal sees it; else 404.
 * Its times are written in the institution's offset, as the calendar's occurrences are.
 */
export async function eventFor(db: TenantDb, principal: Principal, id: string): Promise<EventDetailView> {
  const event = await queries.findEvent(db, id, principal);
  if (!event) throw notFound('Event');
  const [timeZone, name, changeable] = await Promise.all([
    institutionTimeZone(db, principal.institution.id),
    queries.personName(db, event.createdBy),
    changeableEvents(db, principal, [event]),
  ]);
  const inZone = (instant: string | null) => instant && local(Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone));
  return {
    ...eventView(event),
    startsAt: inZone(event.startsAt),
    endsAt: inZone(event.endsAt),
    createdBy: { id: event.createdBy, name },
    canEdit: changeable.has(event.id),
  };
}

/** A class event's classes must exist: unknown ids answer 404 as the isolation walk expects. */
async function checkAudience(db: TenantDb, principal: Principal, fields: EventFields, createdBy: string, action: 'create' | 'change') {
  const known = await queries.existingClassIds(db, fields.classIds);
  if (fields.classIds.some((id) => !known.has(id))) throw notFound('Class');
  const target = { type: fields.type, audience: fields.audience, teachesEveryClass: await teachesEvery(db, principal, fields.classIds), createdBy };
  calendarPolicy.authorize(principal, action, target);
}

function row(fields: EventFields) {
  return {
    title: fields.title,
    description: fields.description,
    type: fields.type,
    allDay: fields.allDay,
    startsAt: fields.startsAt === null ? null : new Date(fields.startsAt),
    endsAt: fields.endsAt === null ? null : new Date(fields.endsAt),
    startDate: fields.startDate,
    endDate: fields.endDate,
    audience: fields.audience,
    recurrence: fields.recurrence,
    exceptions: [...fields.exceptions],
  };
}

/**
 * Tells the audience (before and after a change) that the calendar changed, in the change's
 * transaction. A holiday takes lessons out of its audience's weeks (GET /api/timetable/me?week),
 * so when the event is or was one they are told `timetable.changed` too.
 */
async function announce(
  context: ChangeContext,
  principal: Principal,
  action: string,
  eventId: string,
  audiences: { type: string; audience: string; classIds: string[]; createdBy: string }[],
) {
  const recipients = new Set<string>();
  for (const audience of audiences) for (const id of await queries.audienceMembers(context.db, principal.institution.id, audience)) recipients.add(id);
  await publishEvent(context.db, { type: 'calendar.changed', recipients: [...recipients], data: { eventId, action } });
  if (audiences.some((audience) => audience.type === 'holiday')) {
    await publishEvent(context.db, { type: 'timetable.changed', recipients: [...recipients], data: { holidayId: eventId } });
  }
}

function logEvent(context: ChangeContext, action: string, event: { id: string; title: string }, details: Record<string, unknown>) {
  return context.log({ action, targetType: 'calendarEvent', targetId: event.id, targetName: event.title, details });
}

export function createEvent(request: ChangeRunner & { principal: Principal }, input: CreateEventBody): Promise<EventView> {
  const fields = checkedFields(input);
  const principal = request.principal;
  return request.change(async (context) => {
    const { db } = context;
    await checkAudience(db, principal, fields, principal.id, 'create');
    const { id } = await db.insertInto('calendarEvents').values({ ...row(fields), createdBy: principal.id }).returning('id').executeTakeFirstOrThrow();
    await queries.setEventClasses(db, id, fields.classIds);
    const created = (await queries.findEvent(db, id, principal))!;
    await logEvent(context, 'create', created, { type: created.type, audience: audienceView(created), recurrence: created.recurrence });
    await announce(context, principal, 'created', id, [created]);
    return eventView(created);
  });
}

/** 404 for an event the caller does not see; 403 for one they see but may not change. */
async function eventToChange(db: TenantDb, principal: Principal, id: string): Promise<EventRow> {
  const event = await queries.findEvent(db, id, principal, true);
  if (!event) throw notFound('Event');
  calendarPolicy.authorize(principal, 'change', {
    type: event.type,
    audience: event.audience,
    teachesEveryClass: await teachesEvery(db, principal, event.classIds),
    createdBy: event.createdBy,
  });
  return event;
}

export function updateEvent(request: ChangeRunner & { principal: Principal }, id: string, change: UpdateEventBody): Promise<EventView> {
  const principal = request.principal;
  return request.change(async (context) => {
    const { db } = context;
    const before = await eventToChange(db, principal, id);
    const fields = checkedFields(merged(before, change));
    await checkAudience(db, principal, fields, before.createdBy, 'change');
    await db.updateTable('calendarEvents').set({ ...row(fields), updatedAt: new Date() }).where('id', '=', id).execute();
    await queries.setEventClasses(db, id, fields.classIds);
    const after = (await queries.findEvent(db, id, principal))!;
    await logEvent(context, 'update', after, { changes: Object.keys(change) });
    await announce(context, principal, 'updated', id, [before, after]);
    return eventView(after);
  });
}

export function deleteEvent(request: ChangeRunner & { principal: Principal }, id: string): Promise<void> {
  const principal = request.principal;
  return request.change(async (context) => {
    const event = await eventToChange(context.db, principal, id);
    await announce(context, principal, 'deleted', id, [event]);
    await context.db.deleteFrom('calendarEvents').where('id', '=', id).execute();
    await logEvent(context, 'delete', event, { type: event.type, audience: audienceView(event) });
  });
}

/** The first instant of `from` and the end of `to` (both local days), after checking the width. */
export function dayRange(from: string, to: string, timeZone: string) {
  const first = Temporal.PlainDate.from(from);
  const last = Temporal.PlainDate.from(to);
  if (Temporal.PlainDate.compare(last, first) < 0) throw badRequest('`to` must not be before `from`', [{ field: 'to', message: 'must not be before from' }]);
  if (first.until(last).days >= MAX_RANGE_DAYS) {
    throw badRequest(`The range is at most ${MAX_RANGE_DAYS} days wide`, [{ field: 'to', message: `at most ${MAX_RANGE_DAYS - 1} days after from` }]);
  }
  if (!inYears(first) || !inYears(last)) throw badRequest(`Dates are in the years ${FIRST_YEAR}-${LAST_YEAR}`, [{ field: 'from', message: 'out of range' }]);
  return { from: startOfDay(from, timeZone).toInstant(), to: startOfDay(last.add({ days: 1 }).toString(), timeZone).toInstant() };
}

/** Every occurrence of the events the principal sees in the range, sorted by start. */
export async function occurrencesFor(
  db: TenantDb,
  principal: Viewer,
  timeZone: string,
  range: { from: string; to: string },
  types?: CalendarEventType[],
): Promise<(Omit<Occurrence, 'canEdit'> & { start: Temporal.ZonedDateTime; classIds: string[] })[]> {
  const instants = dayRange(range.from, range.to, timeZone);
  const events = await queries.eventsAround(
    db,
    principal,
    { from: instants.from.toString(), to: instants.to.toString(), fromDate: range.from, toDate: range.to },
    types,
  );
  const occurrences = events.flatMap((event) =>
    occurrencesBetween(event, timeZone, instants.from, instants.to).map((span) => ({
      eventId: event.id,
      title: event.title,
      description: event.description,
      type: event.type,
      allDay: event.allDay,
      startsAt: event.allDay ? null : local(span.start),
      endsAt: event.allDay ? null : local(span.end),
      date: span.date,
      endDate: span.endDate,
      audience: audienceView(event),
      recurring: event.recurrence !== null,
      createdBy: event.createdBy,
      start: span.start,
      classIds: event.classIds,
    })),
  );
  return occurrences.sort((a, b) => Temporal.ZonedDateTime.compare(a.start, b.start) || a.eventId.localeCompare(b.eventId));
}

/**
 * The calendar `viewer` sees (the caller, or the student the caller looks at); whether each
 * occurrence can be edited is the caller's, worked out for all of them at once.
 */
export async function calendarFor(db: TenantDb, caller: Principal, viewer: Viewer, range: { from: string; to: string }) {
  const timeZone = await institutionTimeZone(db, caller.institution.id);
  const occurrences = await occurrencesFor(db, viewer, timeZone, range);
  const events = new Map(occurrences.map((o) => [o.eventId, { id: o.eventId, type: o.type, createdBy: o.createdBy, ...audienceOf(o.audience) }]));
  const changeable = await changeableEvents(db, caller, [...events.values()]);
  return {
    timeZone,
    from: range.from,
    to: range.to,
    occurrences: occurrences.map(({ start: _start, classIds: _classIds, ...occurrence }) => ({ ...occurrence, canEdit: changeable.has(occurrence.eventId) })),
  };
}

/**
 * Imports the entries of an .ics file as holidays for everyone, all or none: any entry that
 * cannot be taken answers 400 with every problem in `details`. An entry whose UID was imported
 * before updates that event in place (title, description, times, recurrence), so importing the
 * same file twice changes nothing; its type and audience stay as an admin may have set them.
 */
export async function importCalendar(request: ChangeRunner & { principal: Principal; tenantDb: TenantDb }, text: string) {
  const principal = request.principal;
  const timeZone = await institutionTimeZone(request.tenantDb, principal.institution.id);
  const { entries, problems } = parseImport(text, timeZone);
  if (problems.length > 0) throw badRequest(`The calendar file has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}; nothing was imported`, problems);
  return request.change(async (context) => {
    let created = 0;
    for (const entry of entries) {
      const values = {
        ...row({ ...entry, type: 'holiday', audience: 'all', classIds: [] }),
        exceptions: entry.exceptions,
      };
      const { type: _type, audience: _audience, ...updatable } = values;
      const result = await context.db
        .insertInto('calendarEvents')
        .values({ ...values, uid: entry.uid, createdBy: principal.id })
        .onConflict((oc) => oc.column('uid').doUpdateSet({ ...updatable, updatedAt: new Date() }))
        .returning(sql<boolean>`xmax = 0`.as('inserted'))
        .executeTakeFirstOrThrow();
      if (result.inserted) created += 1;
    }
    const counts = { created, updated: entries.length - created };
    await context.log({ action: 'import', targetType: 'calendarEvent', targetName: 'Calendar import', details: counts });
    const everyone = await queries.audienceMembers(context.db, principal.institution.id, { audience: 'all', classIds: [], createdBy: principal.id });
    await publishEvent(context.db, { type: 'calendar.changed', recipients: everyone, data: { action: 'imported', ...counts } });
    // Every entry is a holiday for everyone: everyone's weeks may have lost lessons.
    if (entries.length > 0) await publishEvent(context.db, { type: 'timetable.changed', recipients: everyone, data: { holidaysImported: entries.length } });
    return counts;
  });
}
