import { type Expression, type Kysely, sql } from 'kysely';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { WEEKDAYS } from '../bell-schedule/schemas.js';
import type { Weekday } from '../bell-schedule/tables.js';
import type { LessonTable } from './tables.js';
import type { LessonView, ListLessonsQuery } from './schemas.js';

/** A day's place in the week, for sorting lessons by day the way a timetable reads. */
export const weekdayPosition = (day: string) => sql<number>`array_position(array[${sql.join(WEEKDAYS.map((d) => sql.lit(d)))}], ${sql.ref(day)})`;

/**
 * Lessons with what their view shows: subject, class, teacher and room names, and the bell
 * schedule (one row) for their times.
 */
export function lessonsWithNames(db: Kysely<Database>) {
  return db
    .selectFrom('lessons as l')
    .innerJoin('subjects as s', 's.id', 'l.subjectId')
    .innerJoin('classes as c', 'c.id', 'l.classId')
    .innerJoin('users as t', 't.id', 'l.teacherId')
    .leftJoin('rooms as r', 'r.id', 'l.roomId')
    .innerJoin('bellSchedule as b', (join) => join.onTrue());
}

/** Periods are numbered from 1 in order, so period n is element n - 1 of the schedule's list. */
export const periodTime = (which: 'start' | 'end') => sql<string>`b.periods -> (l.period - 1) ->> ${sql.lit(which)}`;
export const subjectJson = sql<LessonView['subject']>`json_build_object('id', s.id, 'name', s.name, 'color', s.color)`;
export const classJson = sql<LessonView['class']>`json_build_object('id', c.id, 'name', c.name)`;
export const teacherJson = sql<LessonView['teacher']>`json_build_object('id', t.id, 'name', t.name)`;
export const roomJson = sql<NonNullable<LessonView['room']>>`json_build_object('id', r.id, 'name', r.name)`;

/** The columns of `LessonView`, in its order. */
const LESSON_VIEW = [
  'l.id',
  'l.day',
  'l.period',
  periodTime('start').as('start'),
  periodTime('end').as('end'),
  'l.pinned',
  subjectJson.as('subject'),
  classJson.as('class'),
  teacherJson.as('teacher'),
  sql<LessonView['room']>`case when r.id is null then null else ${roomJson} end`.as('room'),
] as const;

function lessonViews(db: Kysely<Database>) {
  return lessonsWithNames(db)
    .select(LESSON_VIEW)
    .orderBy(weekdayPosition('l.day'))
    .orderBy('l.period')
    .orderBy(sql`lower(c.name)`)
    .orderBy('l.id');
}

interface LessonFilters extends Record<string, unknown> {
  classId?: string | undefined;
  teacherId?: string | undefined;
  roomId?: string | undefined;
  day?: Weekday | undefined;
}

const lessonPages = jsonPages((db, filters: LessonFilters) => {
  let query = lessonViews(db);
  if (filters.classId !== undefined) query = query.where('l.classId', '=', filters.classId);
  if (filters.teacherId !== undefined) query = query.where('l.teacherId', '=', filters.teacherId);
  if (filters.roomId !== undefined) query = query.where('l.roomId', '=', filters.roomId);
  if (filters.day !== undefined) query = query.where('l.day', '=', filters.day);
  return query;
});

export function listLessons(db: TenantDb, query: ListLessonsQuery) {
  const { classId, teacherId, roomId, day } = query;
  return lessonPages(db, { classId, teacherId, roomId, day }, query);
}

export async function findLessons(db: TenantDb, ids: string[]): Promise<LessonView[]> {
  if (ids.length === 0) return [];
  return lessonViews(db)
    .where((eb) => eb('l.id', '=', eb.fn.any(eb.val(ids))))
    .execute();
}

export async function findLesson(db: TenantDb, id: string): Promise<LessonView | undefined> {
  return lessonViews(db).where('l.id', '=', id).executeTakeFirst();
}

/** The lessons that could clash with lessons in these slots: same day, and same teacher, class or room. */
export function lessonsSharingSlots(
  db: TenantDb,
  slots: { days: Weekday[]; teacherIds: string[]; classIds: string[]; roomIds: string[] },
  exceptId?: string,
): Promise<LessonView[]> {
  let query = lessonViews(db)
    .where((eb) => eb('l.day', '=', eb.fn.any(eb.val(slots.days))))
    .where((eb) =>
      eb.or([
        eb('l.teacherId', '=', eb.fn.any(eb.val(slots.teacherIds))),
        eb('l.classId', '=', eb.fn.any(eb.val(slots.classIds))),
        eb('l.roomId', '=', eb.fn.any(eb.val(slots.roomIds))),
      ]),
    );
  if (exceptId !== undefined) query = query.where('l.id', '<>', exceptId);
  return query.execute();
}

export interface ReferenceIds {
  classIds: string[];
  subjectIds: string[];
  teacherIds: string[];
  roomIds: string[];
}

/** What lessons may refer to: the bell schedule and, of the ids given, those that exist (teachers: active ones). */
export interface KnownReferences {
  days: Weekday[];
  periodCount: number;
  classes: string[];
  subjects: string[];
  teachers: string[];
  rooms: string[];
}

/**
 * Reads the bell schedule FOR KEY SHARE (the lightest lock its FOR UPDATE in bell-schedule/service.ts
 * waits for), so that it cannot change before the transaction commits, and which of the ids
 * exist, in one round trip.
 */
export function knownReferences(db: TenantDb, ids: ReferenceIds): Promise<KnownReferences> {
  return db
    .selectFrom('bellSchedule as b')
    .select((eb) => {
      const existing = (query: Expression<unknown>) => sql<string[]>`array(${query})`;
      const textId = sql<string>`x.id::text`.as('id');
      const among = (wanted: string[]) => eb.fn.any(eb.val(wanted));
      return [
        'b.days',
        sql<number>`jsonb_array_length(b.periods)`.as('periodCount'),
        existing(eb.selectFrom('classes as x').select(textId).where('x.id', '=', among(ids.classIds))).as('classes'),
        existing(eb.selectFrom('subjects as x').select(textId).where('x.id', '=', among(ids.subjectIds))).as('subjects'),
        existing(
          eb
            .selectFrom('users as x')
            .select(textId)
            .where('x.id', '=', among(ids.teacherIds))
            .where('x.role', '=', 'teacher')
            .where('x.isActive', '=', true),
        ).as('teachers'),
        existing(eb.selectFrom('rooms as x').select(textId).where('x.id', '=', among(ids.roomIds))).as('rooms'),
      ];
    })
    .forKeyShare()
    .executeTakeFirstOrThrow();
}

export type NewLesson = Pick<LessonTable, 'classId' | 'subjectId' | 'teacherId' | 'day' | 'period' | 'roomId'> & { pinned: boolean };

export function insertLessons(db: TenantDb, lessons: NewLesson[]) {
  return db.insertInto('lessons').values(lessons).returning('id').execute();
}

/** A lesson's own columns, locked until the transaction ends, so a concurrent change waits. */
export function lockLesson(db: TenantDb, id: string) {
  return db
    .selectFrom('lessons')
    .select(['classId', 'subjectId', 'teacherId', 'day', 'period', 'roomId', 'pinned'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateLesson(db: TenantDb, id: string, lesson: NewLesson) {
  return db
    .updateTable('lessons')
    .set({ ...lesson, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteLesson(db: TenantDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('lessons').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteUnpinnedLessons(db: TenantDb, classId: string): Promise<number> {
  const result = await db.deleteFrom('lessons').where('classId', '=', classId).where('pinned', '=', false).executeTakeFirst();
  return Number(result.numDeletedRows);
}
