import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../db/types.js';

/**
 * What a live socket is sent, one row per recipient (migration 0010_realtime_events). `cursor`
 * orders an institution's events; a client that reconnects asks for the ones after the last it saw.
 */
export interface EventTable {
  /** bigint: read as a string by pg, and kept as one (cursors can pass 2^53 in principle). */
  cursor: ColumnType<string, never, never>;
  id: Generated<string>;
  /** A user or an admin id (admins live in the registry, so there is no foreign key). */
  userId: string;
  type: string;
  data: ColumnType<Record<string, unknown>, string, never>;
  createdAt: CreatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    events: EventTable;
  }
}
