import { paginate } from '../../db/paginate.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { ListActivityLogsQuery } from './schemas.js';

export function listActivityLogs(db: TenantDb, query: ListActivityLogsQuery) {
  let filtered = db.selectFrom('activityLogs');
  if (query.userId) filtered = filtered.where('userId', '=', query.userId);
  if (query.action) filtered = filtered.where('action', '=', query.action);
  if (query.targetType) filtered = filtered.where('targetType', '=', query.targetType);
  if (query.from) filtered = filtered.where('createdAt', '>=', query.from);
  if (query.to) filtered = filtered.where('createdAt', '<', query.to);
  return paginate(filtered.selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc'), query.page, query.limit);
}
