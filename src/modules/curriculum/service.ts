import type { TenantDb } from '../../db/tenant-schema.js';
import { badRequest, type ErrorDetail, notFound } from '../../lib/errors.js';
import type { ChangeRunner } from '../../plugins/activity-log.js';
import type { Principal } from '../auth/queries.js';
import { authorizeClass } from '../classes/policy.js';
import { lockClass } from '../classes/queries.js';
import { assertActiveTeachers } from '../classes/teachers.js';
import * as queries from './queries.js';
import type { ReplaceCurriculumBody } from './schemas.js';

export async function getCurriculum(db: TenantDb, principal: Principal, classId: string) {
  await authorizeClass(db, principal, 'read', classId);
  return queries.curriculumRows(db, classId);
}

/** Each subject at most once, and every subject and room one of the institution's: 400 naming each index that is not. */
async function assertRowsValid(db: TenantDb, rows: ReplaceCurriculumBody): Promise<void> {
  const subjects = await queries.existingIds(db, 'subjects', [...new Set(rows.map((row) => row.subjectId))]);
  const rooms = await queries.existingIds(db, 'rooms', [...new Set(rows.flatMap((row) => (row.roomId ? [row.roomId] : [])))]);
  const seen = new Map<string, number>();
  const details: ErrorDetail[] = [];
  rows.forEach((row, index) => {
    const first = seen.get(row.subjectId);
    if (!subjects.has(row.subjectId)) details.push({ field: `${index}.subjectId`, message: 'is not a subject of this institution' });
    else if (first !== undefined) details.push({ field: `${index}.subjectId`, message: `is already given at index ${first}: a subject at most once per class` });
    else seen.set(row.subjectId, index);
    if (row.roomId && !rooms.has(row.roomId)) details.push({ field: `${index}.roomId`, message: 'is not a room of this institution' });
    const doubles = row.doublePeriods ?? 0;
    if (doubles * 2 > row.periodsPerWeek) details.push({ field: `${index}.doublePeriods`, message: `needs ${doubles * 2} periods; the subject has ${row.periodsPerWeek} a week` });
    else if (doubles > 0 && row.maxPerDay === 1) details.push({ field: `${index}.maxPerDay`, message: 'must be at least 2 for a subject with double periods' });
  });
  if (details.length > 0) throw badRequest('The curriculum has invalid rows', details);
}

/**
 * Replaces what the class is taught with `rows`, all or nothing. The class row is locked so two
 * replacements of one class run one after the other, the later one winning whole.
 */
export function replaceCurriculum(context: ChangeRunner, classId: string, rows: ReplaceCurriculumBody) {
  return context.change(async ({ db, log }) => {
    const klass = await lockClass(db, classId);
    if (!klass) throw notFound('Class');
    await assertRowsValid(db, rows);
    await assertActiveTeachers(db, rows.map((row, index) => ({ field: `${index}.teacherId`, id: row.teacherId })));
    await queries.replaceCurriculum(
      db,
      classId,
      rows.map((row) => ({
        classId,
        subjectId: row.subjectId,
        teacherId: row.teacherId,
        periodsPerWeek: row.periodsPerWeek,
        roomId: row.roomId ?? null,
        doublePeriods: row.doublePeriods ?? 0,
        maxPerDay: row.maxPerDay ?? null,
      })),
    );
    await log({
      action: 'update',
      targetType: 'curriculum',
      targetId: classId,
      targetName: klass.name,
      details: { subjects: rows.length, periodsPerWeek: rows.reduce((sum, row) => sum + row.periodsPerWeek, 0) },
    });
    return queries.curriculumRows(db, classId);
  });
}
