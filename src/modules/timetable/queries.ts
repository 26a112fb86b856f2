import { type Kysely, sql } from 'kysely';
import { compiledStatement } from '../../db/compiled-statements.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { classJson, lessonsWithNames, periodTime, roomJson, subjectJson, teacherJson, weekdayPosition } from '../schedules/queries.js';

/** Whose week: one of these is given. */
export type TimetableOwner = { classId: string } | { teacherId: string } | { roomId: string } | { studentId: string };

const lessonFields = sql`'id', l.id, 'day', l.day, 'period', l.period, 'start', ${periodTime('start')}, 'end', ${periodTime('end')},
  'subject', ${subjectJson}, 'class', ${classJson}, 'teacher', ${teacherJson}`;
/** A lesson as a timetable shows it (over `lessonsWithNames`); a lesson without a room has no `room` key at all. */
export const lessonJson = sql`case when r.id is null then json_build_object(${lessonFields}) else json_build_object(${lessonFields}, 'room', ${roomJson}) end`;

/**
 * The whole answer, written as JSON by PostgreSQL in one statement (one round trip, no rows
 * for Node to parse): `GET /timetable/me` is on every student's and teacher's start page.
 */
const timetableStatement = compiledStatement((db: Kysely<Database>, owner: Partial<Record<'classId' | 'teacherId' | 'roomId' | 'studentId', string>>) => {
  let lessons = lessonsWithNames(db);
  if (owner.classId !== undefined) lessons = lessons.where('l.classId', '=', owner.classId);
  if (owner.teacherId !== undefined) lessons = lessons.where('l.teacherId', '=', owner.teacherId);
  if (owner.roomId !== undefined) lessons = lessons.where('l.roomId', '=', owner.roomId);
  if (owner.studentId !== undefined) {
    lessons = lessons.where('l.classId', '=', db.selectFrom('enrollments').select('classId').where('studentId', '=', owner.studentId));
  }
  const list = lessons.select(sql`json_agg(${lessonJson} order by ${weekdayPosition('l.day')}, l.period, lower(c.name), l.id)`.as('lessons'));
  return db
    .selectFrom('bellSchedule as week')
    .select(
      sql<string>`json_build_object('days', week.days, 'periods', week.periods, 'lessons', coalesce((${list}), '[]'::json))::text`.as('json'),
    );
});

export async function timetableJson(db: TenantDb, owner: TimetableOwner): Promise<string> {
  const [row] = await timetableStatement(db, owner);
  return row!.json;
}

export async function teacherExists(db: TenantDb, id: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', id).where('role', '=', 'teacher').executeTakeFirst()) !== undefined;
}

export async function roomExists(db: TenantDb, id: string): Promise<boolean> {
  return (await db.selectFrom('rooms').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function classExists(db: TenantDb, id: string): Promise<boolean> {
  return (await db.selectFrom('classes').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
