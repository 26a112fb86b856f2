import { type ExpressionBuilder, sql } from 'kysely';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { teachesClass } from '../assignments/policy.js';
import type { Weekday } from '../bell-schedule/tables.js';
import { lessonsWithNames } from '../schedules/queries.js';
import { lessonJson } from '../timetable/queries.js';
import type { AbsenceListItem, LessonEntry, ListAbsencesQuery } from './schemas.js';
import type { TeacherAbsenceTable } from './tables.js';

/** Who covers the lesson on that date ('YYYY-MM-DD'), if anyone: they teach it that day. */
export async function coverTeacherOf(db: TenantDb, lessonId: string, date: string): Promise<string | undefined> {
  const row = await db.selectFrom('covers').select('coverTeacherId').where('lessonId', '=', lessonId).where('date', '=', date).executeTakeFirst();
  return row?.coverTeacherId;
}

const lessonEntry = sql<LessonEntry>`${lessonJson}`;
const personJson = (alias: string) => sql<{ id: string; name: string }>`json_build_object('id', ${sql.ref(`${alias}.id`)}, 'name', ${sql.ref(`${alias}.name`)})`;

/** Lessons as a timetable shows them, by id. */
export async function lessonEntries(db: TenantDb, ids: readonly string[]): Promise<Map<string, LessonEntry>> {
  if (ids.length === 0) return new Map();
  const rows = await lessonsWithNames(db)
    .select(lessonEntry.as('lesson'))
    .where((eb) => eb('l.id', '=', eb.fn.any(eb.val([...ids]))))
    .execute();
  return new Map(rows.map(({ lesson }) => [lesson.id, lesson]));
}

/** A teacher's lessons as a timetable shows them. */
export async function teacherLessons(db: TenantDb, teacherId: string): Promise<LessonEntry[]> {
  const rows = await lessonsWithNames(db).select(lessonEntry.as('lesson')).where('l.teacherId', '=', teacherId).execute();
  return rows.map(({ lesson }) => lesson);
}

/** The teacher, active, locked until the transaction ends: their absences and covers are written one at a time. */
export function lockTeacher(db: TenantDb, id: string) {
  return db.selectFrom('users').select(['id', 'name']).where('id', '=', id).where('role', '=', 'teacher').where('isActive', '=', true).forUpdate().executeTakeFirst();
}

const ABSENCE_COLUMNS = ['a.id', personJson('t').as('teacher'), 'a.from', 'a.to', 'a.periods', 'a.reason', 'a.createdAt'] as const;

function absences(db: TenantDb | Parameters<Parameters<typeof jsonPages>[0]>[0]) {
  return db.selectFrom('teacherAbsences as a').innerJoin('users as t', 't.id', 'a.teacherId').select(ABSENCE_COLUMNS);
}

export function findAbsence(db: TenantDb, id: string): Promise<AbsenceListItem | undefined> {
  return absences(db).where('a.id', '=', id).executeTakeFirst();
}

const absencePages = jsonPages((db, filters: { teacherId?: string | undefined; date?: string | undefined }) => {
  let query = absences(db).orderBy('a.from', 'desc').orderBy('a.createdAt', 'desc').orderBy('a.id');
  if (filters.teacherId !== undefined) query = query.where('a.teacherId', '=', filters.teacherId);
  if (filters.date !== undefined) query = query.where('a.from', '<=', filters.date).where('a.to', '>=', filters.date);
  return query;
});

export function listAbsences(db: TenantDb, query: ListAbsencesQuery) {
  return absencePages(db, { teacherId: query.teacherId, date: query.date }, query);
}

type AbsenceSpan = Pick<TeacherAbsenceTable, 'from' | 'to' | 'periods'>;

/** The absence days and periods overlap: a day in common, and a period in common or a whole day. */
const overlapping = (span: AbsenceSpan) => (eb: ExpressionBuilder<Database, 'teacherAbsences'>) =>
  eb.and([
    eb('teacherAbsences.from', '<=', span.to),
    eb('teacherAbsences.to', '>=', span.from),
    span.periods === null ? eb.lit(true) : eb.or([eb('teacherAbsences.periods', 'is', null), eb('teacherAbsences.periods', '&&', sql<number[]>`${span.periods}::integer[]`)]),
  ]);

export function overlappingAbsence(db: TenantDb, teacherId: string, span: AbsenceSpan) {
  return db.selectFrom('teacherAbsences').select(['id', 'from', 'to', 'periods']).where('teacherId', '=', teacherId).where(overlapping(span)).executeTakeFirst();
}

/**
 * The absence of the teacher on that date and period, locked until the transaction ends: covers
 * of one absence are assigned one at a time, and it cannot be deleted meanwhile.
 */
export function lockAbsenceAt(db: TenantDb, teacherId: string, date: string, period: number) {
  return db
    .selectFrom('teacherAbsences')
    .select(['id', 'teacherId'])
    .where('teacherId', '=', teacherId)
    .where(overlapping({ from: date, to: date, periods: [period] }))
    .forUpdate()
    .executeTakeFirst();
}

/** The teacher's absences with a day from `from` to `to`. */
export function absencesBetween(db: TenantDb, teacherId: string, from: string, to: string) {
  return db
    .selectFrom('teacherAbsences')
    .select(['id', 'from', 'to', 'periods'])
    .where('teacherId', '=', teacherId)
    .where(overlapping({ from, to, periods: null }))
    .execute();
}

const COVER_TEACHER = personJson('ct').as('teacher');

/** The covers assigned for an absence. */
export function coversOfAbsence(db: TenantDb, absenceId: string) {
  return db
    .selectFrom('covers as cv')
    .innerJoin('users as ct', 'ct.id', 'cv.coverTeacherId')
    .select(['cv.id', 'cv.lessonId', 'cv.date', COVER_TEACHER])
    .where('cv.absenceId', '=', absenceId)
    .execute();
}

export function findCover(db: TenantDb, id: string) {
  return db
    .selectFrom('covers as cv')
    .innerJoin('users as ct', 'ct.id', 'cv.coverTeacherId')
    .select(['cv.id', 'cv.absenceId', 'cv.lessonId', 'cv.date', 'cv.coverTeacherId', 'cv.createdAt', COVER_TEACHER])
    .where('cv.id', '=', id)
    .executeTakeFirst();
}

/**
 * The covers of a week (`from`-`to`) a timetable shows: of these lessons (the owner's own or their
 * class's), and those `coverTeacherId` takes, with the lesson as a timetable shows it.
 */
export function coversBetween(db: TenantDb, from: string, to: string, lessonIds: readonly string[], coverTeacherId?: string) {
  return lessonsWithNames(db)
    .innerJoin('covers as cv', 'cv.lessonId', 'l.id')
    .innerJoin('users as ct', 'ct.id', 'cv.coverTeacherId')
    .select(['cv.date', 'cv.coverTeacherId', COVER_TEACHER, lessonEntry.as('lesson')])
    .where('cv.date', '>=', from)
    .where('cv.date', '<=', to)
    .where((eb) => eb.or([eb('cv.lessonId', '=', eb.fn.any(eb.val([...lessonIds]))), ...(coverTeacherId ? [eb('cv.coverTeacherId', '=', coverTeacherId)] : [])]))
    .execute();
}

export interface Slot {
  date: string;
  day: Weekday;
  period: number;
}

/**
 * Why teachers are busy in a period of a date, one row per reason: a lesson of theirs then
 * (`classId`: the caller knows the holidays), a cover then, an absence, or a period they are
 * unavailable in (teacherAvailability). Only `teacherId` when given.
 */
export async function busyInSlot(db: TenantDb, slot: Slot, teacherId?: string) {
  const only = <Q extends { where: (...args: any[]) => Q }>(query: Q, column: string) => (teacherId === undefined ? query : query.where(column, '=', teacherId));
  const [lessons, covers, absences, unavailable] = await Promise.all([
    only(db.selectFrom('lessons').select(['teacherId', 'id', 'classId']).where('day', '=', slot.day).where('period', '=', slot.period), 'teacherId').execute(),
    only(db.selectFrom('covers').select(['coverTeacherId as teacherId', 'lessonId']).where('date', '=', slot.date).where('period', '=', slot.period), 'coverTeacherId').execute(),
    only(db.selectFrom('teacherAbsences').select(['teacherId', 'id', 'from', 'to', 'periods']).where(overlapping({ from: slot.date, to: slot.date, periods: [slot.period] })), 'teacherId').execute(),
    only(
      db
        .selectFrom('teacherAvailability')
        .select('teacherId')
        .where(sql<boolean>`unavailable @> ${JSON.stringify([{ day: slot.day, period: slot.period }])}::jsonb`),
      'teacherId',
    ).execute(),
  ]);
  return { lessons, covers, absences, unavailable };
}

/**
 * Active teachers, with whether they teach the class (`teachesClass`: a curriculum row, a lesson
 * or its homeroom) and the subject (a curriculum row or a lesson).
 */
export function teachersFor(db: TenantDb, classId: string, subjectId: string) {
  return db
    .selectFrom('users as u')
    .select((eb) => {
      const teachesSubject = (table: 'curriculum' | 'lessons') =>
        eb.exists(eb.selectFrom(table).select(`${table}.teacherId`).where(`${table}.teacherId`, '=', eb.ref('u.id')).where(`${table}.subjectId`, '=', subjectId));
      return ['u.id', 'u.name', teachesClass(eb.ref('u.id'), classId).as('teachesClass'), eb.or([teachesSubject('curriculum'), teachesSubject('lessons')]).as('teachesSubject')];
    })
    .where('u.role', '=', 'teacher')
    .where('u.isActive', '=', true)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
}

/** Covers per teacher from `from` to `to`. */
export async function coverCounts(db: TenantDb, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('covers')
    .select((eb) => ['coverTeacherId', eb.fn.countAll<string | number>().as('count')])
    .where('date', '>=', from)
    .where('date', '<=', to)
    .groupBy('coverTeacherId')
    .execute();
  return new Map(rows.map((row) => [row.coverTeacherId, Number(row.count)]));
}
