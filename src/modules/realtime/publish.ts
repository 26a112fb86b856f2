import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';

/** The channel every instance LISTENs on for new events; payload '<schema>:<highest cursor>'. */
export const EVENTS_CHANNEL = 'crm_events';

export interface LiveEvent {
  type: string;
  /** Users or admins; each gets one row, duplicates count once. */
  recipients: readonly string[];
  /** Ids and small facts only: the row is read by every socket of its recipient, bodies are not. */
  data: Record<string, unknown>;
}

/**
 * Queues a live event for its recipients. Call it inside the writer's transaction (the `db` of
 * `request.change`): the rows and the notification become visible at commit and vanish with a
 * rollback. The database function takes the institution's event lock, so event-writing
 * transactions commit in cursor order (see migration 0010_realtime_events).
 */
export async function publishEvent(db: TenantDb, event: LiveEvent): Promise<void> {
  if (event.recipients.length === 0) return;
  await sql`select ${sql.id(db.tenantSchema, 'publish_events')}(${[...event.recipients]}::uuid[], ${event.type}, ${JSON.stringify(event.data)}::jsonb)`.execute(db);
}
