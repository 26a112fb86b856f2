import { createHash } from 'node:crypto';
import type { TenantDb } from '../../db/tenant-schema.js';
import { effectiveMaxPerDay } from '../curriculum/queries.js';

/**
 * Everything a generation reads, in one consistent order: the bell schedule, the classes, every
 * curriculum row, every teacher's availability and every lesson. The same read serves the
 * problem and the input hash that later tells a stale job (`inputHash`).
 */
export async function loadSchool(db: TenantDb) {
  const bell = await db.selectFrom('bellSchedule').select(['days', 'periods']).executeTakeFirstOrThrow();
  const classes = await db.selectFrom('classes').select(['id', 'name', 'compactDays']).orderBy('id').execute();
  const curriculum = await db
    .selectFrom('curriculum')
    .innerJoin('subjects', 'subjects.id', 'curriculum.subjectId')
    .select((eb) => [
      'curriculum.classId',
      'curriculum.subjectId',
      'subjects.name as subjectName',
      'curriculum.teacherId',
      'curriculum.roomId',
      'curriculum.periodsPerWeek',
      'curriculum.doublePeriods',
      'curriculum.maxPerDay as maxPerDaySet',
      effectiveMaxPerDay(eb).as('maxPerDay'),
    ])
    .orderBy('curriculum.classId')
    .orderBy('curriculum.subjectId')
    .execute();
  const availability = await db
    .selectFrom('teacherAvailability')
    .select(['teacherId', 'unavailable', 'maxPeriodsPerDay', 'maxPeriodsPerWeek', 'maxGapsPerDay'])
    .orderBy('teacherId')
    .execute();
  const lessons = await db
    .selectFrom('lessons')
    .select(['id', 'classId', 'subjectId', 'teacherId', 'roomId', 'day', 'period', 'pinned'])
    .orderBy('id')
    .execute();
  const teachers = await db.selectFrom('users').select(['id', 'name']).where('role', '=', 'teacher').execute();
  const rooms = await db.selectFrom('rooms').select(['id', 'name']).execute();
  return { bell, classes, curriculum, availability, lessons, teacherNames: new Map(teachers.map((t) => [t.id, t.name])), roomNames: new Map(rooms.map((r) => [r.id, r.name])) };
}

export type School = Awaited<ReturnType<typeof loadSchool>>;

/**
 * A digest of what a generated timetable depends on: the week, the classes' options, curricula,
 * availability and lessons. Any change between a job's start and its apply changes it.
 */
export function inputHash(school: School): string {
  const { bell, classes, curriculum, availability, lessons } = school;
  const payload = JSON.stringify({
    days: bell.days,
    periods: bell.periods.length,
    classes: classes.map((c) => [c.id, c.compactDays]),
    curriculum: curriculum.map((r) => [r.classId, r.subjectId, r.teacherId, r.roomId, r.periodsPerWeek, r.doublePeriods, r.maxPerDaySet]),
    availability,
    lessons: lessons.map((l) => [l.id, l.classId, l.subjectId, l.teacherId, l.roomId, l.day, l.period, l.pinned]),
  });
  return createHash('sha256').update(payload).digest('hex');
}
