import type { Insertable, Updateable } from 'kysely';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import { containsPattern } from '../../lib/record-fields.js';
import type { ListRoomsQuery } from './schemas.js';
import type { RoomTable } from './tables.js';

/** The columns of `RoomView`, in its order: list pages are written as JSON from exactly these. */
const ROOM_COLUMNS = ['id', 'name', 'capacity', 'createdAt', 'updatedAt'] as const;

interface RoomFilters extends Record<string, unknown> {
  /** An ILIKE pattern matched against the name. */
  pattern?: string | undefined;
}

const roomPages = jsonPages((db, filters: RoomFilters) => {
  let filtered = db.selectFrom('rooms');
  if (filters.pattern !== undefined) filtered = filtered.where('name', 'ilike', filters.pattern);
  // Names are unique ignoring case, so this order is total (and served by the unique index).
  return filtered.select(ROOM_COLUMNS).orderBy((eb) => eb.fn('lower', ['name']));
});

export function listRooms(db: TenantDb, query: ListRoomsQuery) {
  return roomPages(db, { pattern: containsPattern(query.q) }, query);
}

/** With `lock`, the row stays as read until the transaction ends, and nothing new can point at it. */
export function findRoom(db: TenantDb, id: string, lock = false) {
  return db
    .selectFrom('rooms')
    .select(ROOM_COLUMNS)
    .where('id', '=', id)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
}

export function insertRoom(db: TenantDb, room: Insertable<RoomTable>) {
  return db.insertInto('rooms').values(room).returning(ROOM_COLUMNS).executeTakeFirstOrThrow();
}

export function updateRoom(db: TenantDb, id: string, changes: Updateable<RoomTable>) {
  return db.updateTable('rooms').set({ ...changes, updatedAt: new Date() }).where('id', '=', id).returning(ROOM_COLUMNS).executeTakeFirstOrThrow();
}

export function deleteRoom(db: TenantDb, id: string) {
  return db.deleteFrom('rooms').where('id', '=', id).execute();
}
