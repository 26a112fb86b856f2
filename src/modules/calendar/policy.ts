import { type Expression, expressionBuilder, type SqlBool } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { definePolicy } from '../../lib/policy.js';
import { teachesClass } from '../assignments/policy.js';
import type { Principal } from '../auth/queries.js';
import type { CalendarAudience, CalendarEventType } from './tables.js';

const q = expressionBuilder<Database, never>();

/** Who looks: visibility depends on nothing else. */
export type Viewer = Pick<Principal, 'id' | 'role'>;

/**
 * The events a principal sees (in the calendar, its feed and as timetable marks):
 * - admins: every event;
 * - teachers: events for everyone and for teachers, events of the classes they teach (curriculum,
 *   lessons or homeroom, as for assignments), and events they created;
 * - students: events for everyone and events of their class;
 * - guardians: events for everyone and events of their children's classes.
 * Events a caller does not see do not exist for them (404).
 */
export function visibleTo(principal: Viewer, eventId: Expression<string>): Expression<SqlBool> {
  const ofClass = (classCondition: (classId: Expression<string>) => Expression<SqlBool>) =>
    q.exists(
      q
        .selectFrom('calendarEventClasses as vc')
        .select('vc.classId')
        .where('vc.eventId', '=', eventId)
        .where((eb) => classCondition(eb.ref('vc.classId'))),
    );
  const event = (column: 'audience' | 'createdBy') =>
    q.selectFrom('calendarEvents as ve').select(`ve.${column}`).where('ve.id', '=', eventId);
  if (principal.role === 'admin') return q.lit(true);
  if (principal.role === 'teacher') {
    return q.or([
      q(event('audience'), 'in', ['all', 'teachers']),
      q(event('createdBy'), '=', principal.id),
      ofClass((classId) => teachesClass(principal.id, classId)),
    ]);
  }
  if (principal.role === 'student') {
    return q.or([
      q(event('audience'), '=', 'all'),
      ofClass((classId) => q(classId, 'in', q.selectFrom('enrollments').select('enrollments.classId').where('enrollments.studentId', '=', principal.id))),
    ]);
  }
  if (principal.role === 'guardian') {
    const childrensClasses = q
      .selectFrom('enrollments')
      .innerJoin('guardianLinks', 'guardianLinks.studentId', 'enrollments.studentId')
      .select('enrollments.classId')
      .where('guardianLinks.guardianId', '=', principal.id);
    return q.or([q(event('audience'), '=', 'all'), ofClass((classId) => q(classId, 'in', childrensClasses))]);
  }
  return q.lit(false);
}

/** What an event is or would become: who it is for, and how the caller stands to that. */
export interface EventTarget {
  type: CalendarEventType;
  audience: CalendarAudience;
  /** A teacher teaches every class of a class event. */
  teachesEveryClass: boolean;
}

/**
 * Who may write events:
 * - admins: any event, for any audience;
 * - teachers: events for classes they all teach (not for everyone or for teachers only: those are
 *   the school's announcements), never holidays (a holiday cancels other teachers' lessons), and
 *   change or delete only events they created, while that still holds;
 * - students: none.
 */
const mayCreate = (principal: Principal, target: EventTarget) =>
  principal.role === 'admin' ||
  (principal.role === 'teacher' && target.audience === 'classes' && target.type !== 'holiday' && target.teachesEveryClass);

export const calendarPolicy = definePolicy({
  create: mayCreate,
  change: (principal, event: EventTarget & { createdBy: string }) =>
    principal.role === 'admin' || (event.createdBy === principal.id && mayCreate(principal, event)),
});

/**
 * The classes among these that the teacher teaches (none for anyone else). The outer classes table
 * has an alias of its own: `teachesClass` reads `classes` in a subquery, where an unaliased outer
 * reference would name the inner table (and make the homeroom teacher of any class the teacher of
 * every class).
 */
async function classesTaught(db: TenantDb, principal: Principal, classIds: readonly string[]): Promise<Set<string>> {
  if (principal.role !== 'teacher' || classIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('classes as taught')
    .select('taught.id')
    .where('taught.id', 'in', classIds)
    .where((eb) => teachesClass(principal.id, eb.ref('taught.id')))
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Whether the teacher teaches every one of the classes (false for an empty list). */
export async function teachesEvery(db: TenantDb, principal: Principal, classIds: readonly string[]): Promise<boolean> {
  return classIds.length > 0 && (await classesTaught(db, principal, classIds)).size === new Set(classIds).size;
}

type StoredEvent = Pick<EventTarget, 'type' | 'audience'> & { id: string; classIds: readonly string[]; createdBy: string };

/**
 * The ids of the events the principal may change, by `calendarPolicy`'s rule, asking the database
 * once for all of them (the calendar answers this for every occurrence it lists): only a teacher's
 * own class events can depend on the classes they teach.
 */
export async function changeableEvents(db: TenantDb, principal: Principal, events: readonly StoredEvent[]): Promise<Set<string>> {
  const candidates = events.filter((event) => principal.role === 'admin' || (event.createdBy === principal.id && event.audience === 'classes'));
  const taught = await classesTaught(db, principal, [...new Set(candidates.flatMap((event) => event.classIds))]);
  const changeable = candidates.filter((event) =>
    calendarPolicy.can(principal, 'change', { ...event, teachesEveryClass: event.classIds.length > 0 && event.classIds.every((id) => taught.has(id)) }),
  );
  return new Set(changeable.map((event) => event.id));
}
