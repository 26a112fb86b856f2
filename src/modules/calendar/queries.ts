import { type ExpressionBuilder, sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { type Viewer, visibleTo } from './policy.js';
import type { CalendarEventType } from './tables.js';

/** Written through the builder, so the tenant schema applies to the subquery too. */
const classIdsOf = (eb: ExpressionBuilder<Database, 'calendarEvents'>) =>
  eb.fn.coalesce(
    eb
      .selectFrom('calendarEventClasses as cc')
      .select(sql<string[]>`json_agg(cc."classId" order by cc."classId")`.as('ids'))
      .whereRef('cc.eventId', '=', 'calendarEvents.id'),
    sql<string[]>`'[]'::json`,
  );

const columns = [
  'calendarEvents.id',
  'calendarEvents.title',
  'calendarEvents.description',
  'calendarEvents.type',
  'calendarEvents.allDay',
  'calendarEvents.startsAt',
  'calendarEvents.endsAt',
  'calendarEvents.startDate',
  'calendarEvents.endDate',
  'calendarEvents.audience',
  'calendarEvents.recurrence',
  'calendarEvents.exceptions',
  'calendarEvents.uid',
  'calendarEvents.createdBy',
  'calendarEvents.createdAt',
  'calendarEvents.updatedAt',
] as const;

function selectEvents(db: TenantDb) {
  return db.selectFrom('calendarEvents').select((eb) => [...columns, classIdsOf(eb).as('classIds')]);
}

export type EventRow = Awaited<ReturnType<typeof findEvent>> & {};

/** The event if the principal sees it; `lock` takes the row for the rest of the transaction. */
export async function findEvent(db: TenantDb, id: string, principal: Viewer, lock = false) {
  let query = selectEvents(db)
    .where('calendarEvents.id', '=', id)
    .where((eb) => visibleTo(principal, eb.ref('calendarEvents.id')));
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * The events the principal sees that may have an occurrence between the two days (a day of
 * slack on each side for the time zone): every recurring one, the others by their dates.
 */
export function eventsAround(db: TenantDb, principal: Viewer, range: { from: string; to: string; fromDate: string; toDate: string }, types?: CalendarEventType[]) {
  let query = selectEvents(db)
    .where((eb) => visibleTo(principal, eb.ref('calendarEvents.id')))
    .where((eb) =>
      eb.or([
        eb('calendarEvents.recurrence', 'is not', null),
        eb.and([eb('calendarEvents.startsAt', '<', range.to), eb('calendarEvents.endsAt', '>', range.from)]),
        eb.and([
          eb('calendarEvents.startDate', '<=', sql<string>`${range.toDate}::date + 1`),
          eb('calendarEvents.endDate', '>=', sql<string>`${range.fromDate}::date - 1`),
        ]),
      ]),
    );
  if (types) query = query.where('calendarEvents.type', 'in', types);
  return query.execute();
}

/** The name of a user or an admin of the institution; null once the account is deleted. */
export async function personName(db: TenantDb, id: string): Promise<string | null> {
  const row = await db
    .selectNoFrom((eb) =>
      eb.fn
        .coalesce(
          eb.selectFrom('users as person').select('person.name').where('person.id', '=', id),
          eb.selectFrom('registry.admins as admin').select('admin.name').where('admin.id', '=', id),
        )
        .as('name'),
    )
    .executeTakeFirstOrThrow();
  return row.name;
}

export async function setEventClasses(db: TenantDb, eventId: string, classIds: readonly string[]) {
  await db.deleteFrom('calendarEventClasses').where('eventId', '=', eventId).execute();
  if (classIds.length > 0) await db.insertInto('calendarEventClasses').values(classIds.map((classId) => ({ eventId, classId }))).execute();
}

/** The ids of the classes among these that the institution has. */
export async function existingClassIds(db: TenantDb, classIds: readonly string[]): Promise<Set<string>> {
  if (classIds.length === 0) return new Set();
  const rows = await db.selectFrom('classes').select('id').where('id', 'in', classIds).execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * Who is told of a change to an event for this audience: the institution's admins and the
 * event's creator always; everyone active for `all`; the teachers for `teachers`; for classes,
 * their students and the teachers who teach them.
 */
export async function audienceMembers(
  db: TenantDb,
  institutionId: string,
  audience: { audience: string; classIds: readonly string[]; createdBy: string },
): Promise<string[]> {
  const admins = await db.selectFrom('registry.admins').select('id').where('institutionId', '=', institutionId).where('isActive', '=', true).execute();
  let users = db.selectFrom('users').select('users.id').where('users.isActive', '=', true);
  if (audience.audience === 'teachers') users = users.where('users.role', '=', 'teacher');
  if (audience.audience === 'classes' && audience.classIds.length > 0) {
    const classIds = [...audience.classIds];
    users = users.where((eb) =>
      eb.or([
        eb('users.id', 'in', eb.selectFrom('enrollments').select('enrollments.studentId').where('enrollments.classId', 'in', classIds)),
        eb('users.id', 'in', eb.selectFrom('curriculum').select('curriculum.teacherId').where('curriculum.classId', 'in', classIds)),
        eb('users.id', 'in', eb.selectFrom('lessons').select('lessons.teacherId').where('lessons.classId', 'in', classIds)),
        eb('users.id', 'in', eb.selectFrom('classes').select('classes.homeroomTeacherId').where('classes.id', 'in', classIds)),
      ]),
    );
  }
  const ids = new Set([...admins.map((row) => row.id), ...(await users.execute()).map((row) => row.id), audience.createdBy]);
  return [...ids];
}
