import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest } from '../../lib/errors.js';
import type { ChangeRunner } from '../../plugins/activity-log.js';
import type { BellSchedule } from './schemas.js';
import { bellScheduleProblems } from './validation.js';

export async function getBellSchedule(db: TenantDb): Promise<BellSchedule> {
  return db.selectFrom('bellSchedule').select(['days', 'periods']).executeTakeFirstOrThrow();
}

/**
 * Replaces the week. Lesson writes read the schedule FOR KEY SHARE in their transactions, so taking
 * the row FOR UPDATE here means no lesson lands on a day or period while it is being removed:
 * the count of lessons left outside is exact when the change commits.
 */
export function updateBellSchedule(context: ChangeRunner, schedule: BellSchedule): Promise<BellSchedule> {
  const problems = bellScheduleProblems(schedule);
  if (problems.length > 0) throw badRequest(`Invalid bell schedule: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  const { days, periods } = schedule;
  return context.change(async ({ db, log }) => {
    await db.selectFrom('bellSchedule').select('id').forUpdate().executeTakeFirstOrThrow();
    const { count } = await db
      .selectFrom('lessons')
      .select(sql<number>`count(*)::int`.as('count'))
      .where((eb) => eb.or([eb('day', 'not in', days), eb('period', '>', periods.length)]))
      .executeTakeFirstOrThrow();
    if (count > 0) {
      throw new AppError(
        409,
        'LESSONS_OUTSIDE',
        `${count} ${count === 1 ? 'lesson falls' : 'lessons fall'} on a day or period this schedule removes; move or delete ${count === 1 ? 'it' : 'them'} first`,
        undefined,
        { count },
      );
    }
    await db.updateTable('bellSchedule').set({ days, periods: JSON.stringify(periods), updatedAt: new Date() }).execute();
    await log({ action: 'update', targetType: 'bellSchedule', targetName: 'Bell schedule', details: { days, periods: periods.length } });
    return { days, periods };
  });
}
