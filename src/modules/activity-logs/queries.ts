import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { ListActivityLogsQuery } from './schemas.js';

/** The columns of `ActivityLogView`, in its order: pages are written as JSON from exactly these. */
const ACTIVITY_LOG_COLUMNS = [
  'id',
  'userId',
  'userRole',
  'userName',
  'action',
  'targetType',
  'targetId',
  'targetName',
  'details',
  'ip',
  'userAgent',
  'createdAt',
] as const;

interface ActivityLogFilters extends Record<string, unknown> {
  userId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const activityLogPages = jsonPages((db, filters: ActivityLogFilters) => {
  let filtered = db.selectFrom('activityLogs');
  if (filters.userId !== undefined) filtered = filtered.where('userId', '=', filters.userId);
  if (filters.action !== undefined) filtered = filtered.where('action', '=', filters.action);
  if (filters.targetType !== undefined) filtered = filtered.where('targetType', '=', filters.targetType);
  if (filters.from !== undefined) filtered = filtered.where('createdAt', '>=', filters.from);
  if (filters.to !== undefined) filtered = filtered.where('createdAt', '<', filters.to);
  return filtered.select(ACTIVITY_LOG_COLUMNS).orderBy('createdAt', 'desc').orderBy('id', 'desc');
});

export function listActivityLogs(db: TenantDb, query: ListActivityLogsQuery) {
  const { userId, action, targetType, from, to } = query;
  return activityLogPages(db, { userId, action, targetType, from, to }, query);
}

/**
 * The values the log's filters can take: every action, target type and acting user it holds. The
 * users come from the log itself, so the admin (no row in users) and deleted users can be chosen.
 */
export async function activityLogFilterValues(db: TenantDb) {
  const [actions, targetTypes, users] = await Promise.all([
    db.selectFrom('activityLogs').select('action').distinct().orderBy('action').execute(),
    db.selectFrom('activityLogs').select('targetType').distinct().where('targetType', 'is not', null).orderBy('targetType').execute(),
    db
      .selectFrom('activityLogs')
      .select(['userId', 'userName', 'userRole'])
      .distinctOn('userId')
      .where('userId', 'is not', null)
      .orderBy('userId')
      .orderBy('createdAt', 'desc')
      .execute(),
  ]);
  return {
    actions: actions.map((row) => row.action),
    targetTypes: targetTypes.map((row) => row.targetType!),
    users: users
      .map((row) => ({ id: row.userId!, name: row.userName ?? '', role: row.userRole ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
  };
}
