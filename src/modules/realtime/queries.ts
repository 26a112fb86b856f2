import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';

/** An event as a socket is sent it. */
export interface EventFrame {
  id: string;
  cursor: number;
  type: string;
  data: Record<string, unknown>;
}

/** What the hub reads: the frame and whose it is. */
export interface EventRow extends EventFrame {
  userId: string;
}

/** Rows read at once; the reader comes back for more while a read comes back full. */
export const EVENT_BATCH = 500;

// Cursors are bigint identities, which pg hands over as text; they stay far below 2^53.
const columns = [sql<number>`cursor::float8`.as('cursor'), 'id', 'userId', 'type', 'data'] as const;

/** The institution's newest cursor (0 before its first event). */
export async function latestCursor(db: TenantDb): Promise<number> {
  const row = await db.selectFrom('events').select(sql<number>`coalesce(max(cursor), 0)::float8`.as('cursor')).executeTakeFirstOrThrow();
  return row.cursor;
}

/** The events of these users after `after`, oldest first. */
export function eventsAfter(db: TenantDb, after: number, userIds: readonly string[]): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .select(columns)
    .where('cursor', '>', String(after))
    .where('userId', '=', sql<string>`any(${[...userIds]}::uuid[])`)
    .orderBy('cursor')
    .limit(EVENT_BATCH)
    .execute();
}

/** Deletes events older than the retention from every institution; answers how many went. */
export async function deleteOldEvents(db: Kysely<Database>, retentionMs: number): Promise<number> {
  const institutions = await db.selectFrom('registry.institutions').select('schemaName').execute();
  const before = new Date(Date.now() - retentionMs);
  let deleted = 0;
  for (const { schemaName } of institutions) {
    const result = await db.withSchema(schemaName).deleteFrom('events').where('createdAt', '<', before.toISOString()).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
