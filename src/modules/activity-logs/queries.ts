import { paginateAsJson } from '../../db/json-page.js';
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

export function listActivityLogs(db: TenantDb, query: ListActivityLogsQuery) {
  let filtered = db.selectFrom('activityLogs');
  if (query.userId) filtered = filtered.where('userId', '=', query.userId);
  if (query.action) filtered = filtered.where('action', '=', query.action);
  if (query.targetType) filtered = filtered.where('targetType', '=', query.targetType);
  if (query.from) filtered = filtered.where('createdAt', '>=', query.from);
  if (query.to) filtered = filtered.where('createdAt', '<', query.to);
  const ordered = filtered.select(ACTIVITY_LOG_COLUMNS).orderBy('createdAt', 'desc').orderBy('id', 'desc');
  return paginateAsJson(db, ordered, query.page, query.limit);
}
