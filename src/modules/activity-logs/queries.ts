import type { TenantDb } from '../../db/tenant-schema.js';
import type { ListActivityLogsQuery } from './schemas.js';

export async function listActivityLogs(db: TenantDb, query: ListActivityLogsQuery) {
  let filtered = db.selectFrom('activityLogs');
  if (query.userId) filtered = filtered.where('userId', '=', query.userId);
  if (query.action) filtered = filtered.where('action', '=', query.action);
  if (query.targetType) filtered = filtered.where('targetType', '=', query.targetType);
  if (query.from) filtered = filtered.where('createdAt', '>=', new Date(query.from));
  if (query.to) filtered = filtered.where('createdAt', '<', new Date(query.to));
  const [items, count] = await Promise.all([
    filtered
      .selectAll()
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.total) };
}
