import { type ExpressionBuilder, type Insertable, sql } from 'kysely';
import { jsonBuildObject, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import type { CurriculumTable } from './tables.js';

/** A class's curriculum as the API shows it (`CurriculumRow`), sorted by subject name. */
export function curriculumRows(db: TenantDb, classId: string) {
  return db
    .selectFrom('curriculum')
    .innerJoin('subjects', 'subjects.id', 'curriculum.subjectId')
    .innerJoin('users', 'users.id', 'curriculum.teacherId')
    .where('curriculum.classId', '=', classId)
    .select((eb) => [
      jsonBuildObject({ id: eb.ref('subjects.id'), name: eb.ref('subjects.name'), color: eb.ref('subjects.color') }).as('subject'),
      jsonBuildObject({ id: eb.ref('users.id'), name: eb.ref('users.name') }).as('teacher'),
      'curriculum.periodsPerWeek',
      jsonObjectFrom(eb.selectFrom('rooms').select(['rooms.id', 'rooms.name']).whereRef('rooms.id', '=', 'curriculum.roomId')).as('room'),
      scheduledLessons(eb).as('scheduled'),
      'curriculum.doublePeriods',
      effectiveMaxPerDay(eb).as('maxPerDay'),
    ])
    .orderBy((eb) => eb.fn('lower', ['subjects.name']))
    .orderBy('subjects.id')
    .execute();
}

/** How many lessons of a curriculum row (its class and subject) the timetable holds. */
export function scheduledLessons(eb: ExpressionBuilder<Database, 'curriculum'>) {
  return eb
    .selectFrom('lessons')
    .select(sql<number>`count(*)::int`.as('count'))
    .whereRef('lessons.classId', '=', 'curriculum.classId')
    .whereRef('lessons.subjectId', '=', 'curriculum.subjectId')
    .$asScalar()
    .$notNull();
}

/** A row's most lessons a day: as set, or 1 when they fit one a day over the working days and none is double, else 2. */
export function effectiveMaxPerDay(eb: ExpressionBuilder<Database, 'curriculum'>) {
  const workingDays = eb.selectFrom('bellSchedule').select(sql<number>`cardinality(days)`.as('days'));
  return sql<number>`coalesce(${eb.ref('curriculum.maxPerDay')}, case when ${eb.ref('curriculum.doublePeriods')} = 0 and ${eb.ref('curriculum.periodsPerWeek')} <= (${workingDays}) then 1 else 2 end)`;
}

/** Which of these ids name rows of `table`. */
export async function existingIds(db: TenantDb, table: 'subjects' | 'rooms', ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom(table).select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

export async function replaceCurriculum(db: TenantDb, classId: string, rows: Insertable<CurriculumTable>[]) {
  await db.deleteFrom('curriculum').where('classId', '=', classId).execute();
  if (rows.length > 0) await db.insertInto('curriculum').values(rows).execute();
}
