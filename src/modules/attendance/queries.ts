import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { AttendanceStatus } from './tables.js';

/** The students enrolled in the class, by name. */
export function classRoster(db: TenantDb, classId: string) {
  return db
    .selectFrom('enrollments as e')
    .innerJoin('users as u', 'u.id', 'e.studentId')
    .select(['u.id', 'u.name'])
    .where('e.classId', '=', classId)
    .orderBy(sql`lower(u.name)`)
    .orderBy('u.id')
    .execute();
}

/** The register of a lesson on a date, if it was taken. */
export function findRegister(db: TenantDb, lessonId: string, date: string) {
  return db
    .selectFrom('attendanceRegisters')
    .select(['id', 'takenBy', 'takenByName', 'takenAt', 'updatedAt'])
    .where('lessonId', '=', lessonId)
    .where('date', '=', date)
    .executeTakeFirst();
}

/** A register's marks with the names of the students marked. */
export function registerMarks(db: TenantDb, registerId: string) {
  return db
    .selectFrom('attendanceMarks as m')
    .innerJoin('users as u', 'u.id', 'm.studentId')
    .select(['m.studentId', 'u.name', 'm.status', 'm.minutesLate', 'm.note'])
    .where('m.registerId', '=', registerId)
    .execute();
}

/** The known absences of these students that cover `period` on `date`, one per student (the earliest registered). */
export async function absencesCovering(db: TenantDb, studentIds: readonly string[], date: string, period: number) {
  if (studentIds.length === 0) return new Map<string, { id: string; reason: string }>();
  const rows = await db
    .selectFrom('studentAbsences')
    .select(['id', 'studentId', 'reason'])
    .where('studentId', 'in', studentIds)
    .where('fromDate', '<=', date)
    .where('toDate', '>=', date)
    .where((eb) => eb.or([eb('periods', 'is', null), eb(eb.val(period), '=', eb.fn.any('periods'))]))
    .orderBy('createdAt', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.studentId, { id: row.id, reason: row.reason }]));
}

export interface StoredMark {
  studentId: string;
  status: AttendanceStatus;
  minutesLate: number | null;
  note: string | null;
}

/**
 * Makes the register exactly `marks`: marks of students left out are deleted, the others written.
 * The register row is locked by the caller's upsert, so saves of one register run one at a time.
 */
export async function replaceMarks(db: TenantDb, registerId: string, marks: readonly StoredMark[]) {
  let remove = db.deleteFrom('attendanceMarks').where('registerId', '=', registerId);
  if (marks.length > 0) remove = remove.where('studentId', 'not in', marks.map((mark) => mark.studentId));
  await remove.execute();
  if (marks.length === 0) return;
  await db
    .insertInto('attendanceMarks')
    .values(marks.map((mark) => ({ registerId, ...mark })))
    .onConflict((conflict) =>
      conflict.columns(['registerId', 'studentId']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        minutesLate: eb.ref('excluded.minutesLate'),
        note: eb.ref('excluded.note'),
      })),
    )
    .execute();
}

/** Takes the alert for each student on the date; returns those whose alert this transaction sends. */
export async function claimAlerts(db: TenantDb, studentIds: readonly string[], date: string, registerId: string): Promise<string[]> {
  if (studentIds.length === 0) return [];
  // In id order, so two saves claiming overlapping students wait for each other instead of deadlocking.
  const rows = await db
    .insertInto('absenceAlerts')
    .values([...studentIds].sort().map((studentId) => ({ studentId, date, registerId })))
    .onConflict((conflict) => conflict.columns(['studentId', 'date']).doNothing())
    .returning('studentId')
    .execute();
  return rows.map((row) => row.studentId);
}

const absenceColumns = [
  'a.id',
  'a.studentId',
  'a.fromDate as from',
  'a.toDate as to',
  'a.reason',
  'a.periods',
  sql<{ id: string; name: string }>`json_build_object('id', a."createdBy", 'name', a."createdByName")`.as('createdBy'),
  'a.createdAt',
] as const;

export function findAbsence(db: TenantDb, studentId: string, id: string) {
  return db.selectFrom('studentAbsences as a').select(absenceColumns).where('a.studentId', '=', studentId).where('a.id', '=', id).executeTakeFirst();
}

/** The student's known absences, the latest first; within [from, to] when given. */
export function studentAbsences(db: TenantDb, studentId: string, range?: { from: string; to: string }) {
  let query = db.selectFrom('studentAbsences as a').select(absenceColumns).where('a.studentId', '=', studentId);
  if (range) query = query.where('a.toDate', '>=', range.from).where('a.fromDate', '<=', range.to);
  return query.orderBy('a.fromDate', 'desc').orderBy('a.createdAt', 'desc').execute();
}

/** Per student and date of the class's registers in the range: how many marks of each status. */
export function classMarkCounts(db: TenantDb, classId: string, from: string, to: string) {
  return db
    .selectFrom('attendanceRegisters as r')
    .innerJoin('attendanceMarks as m', 'm.registerId', 'r.id')
    .innerJoin('users as u', 'u.id', 'm.studentId')
    .select(['r.date', 'm.studentId', 'u.name', 'm.status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('r.classId', '=', classId)
    .where('r.date', '>=', from)
    .where('r.date', '<=', to)
    .groupBy(['r.date', 'm.studentId', 'u.name', 'm.status'])
    .execute();
}

/** The dates in the range with a register of the class. */
export async function classRegisterDates(db: TenantDb, classId: string, from: string, to: string): Promise<string[]> {
  const rows = await db
    .selectFrom('attendanceRegisters')
    .select('date')
    .distinct()
    .where('classId', '=', classId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
  return rows.map((row) => row.date);
}

/** The student's marks in the range, in the order of the days and periods. */
export function studentMarks(db: TenantDb, studentId: string, from: string, to: string) {
  return db
    .selectFrom('attendanceMarks as m')
    .innerJoin('attendanceRegisters as r', 'r.id', 'm.registerId')
    .innerJoin('subjects as s', 's.id', 'r.subjectId')
    .innerJoin('classes as c', 'c.id', 'r.classId')
    .select([
      'r.date',
      'r.period',
      sql<{ id: string; name: string }>`json_build_object('id', s.id, 'name', s.name)`.as('subject'),
      sql<{ id: string; name: string }>`json_build_object('id', c.id, 'name', c.name)`.as('class'),
      'm.status',
      'm.minutesLate',
      'm.note',
    ])
    .where('m.studentId', '=', studentId)
    .where('r.date', '>=', from)
    .where('r.date', '<=', to)
    .orderBy('r.date')
    .orderBy('r.period')
    .execute();
}

/** The changes made to a register after its day, oldest first. */
export function registerChanges(db: TenantDb, lessonId: string, date: string) {
  return db
    .selectFrom('attendanceChanges as ch')
    .innerJoin('attendanceRegisters as r', 'r.id', 'ch.registerId')
    .innerJoin('users as u', 'u.id', 'ch.studentId')
    .select([
      sql<{ id: string; name: string }>`json_build_object('id', u.id, 'name', u.name)`.as('student'),
      'ch.previousStatus',
      'ch.status',
      'ch.minutesLate',
      'ch.note',
      sql<{ id: string; name: string }>`json_build_object('id', ch."changedBy", 'name', ch."changedByName")`.as('changedBy'),
      'ch.changedAt',
    ])
    .where('r.lessonId', '=', lessonId)
    .where('r.date', '=', date)
    .orderBy('ch.id')
    .execute();
}
