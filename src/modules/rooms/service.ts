import { assertUnreferenced } from '../../db/references.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import { notFound } from '../../lib/errors.js';
import { changesBetween, keepingUnique, trimmedText } from '../../lib/record-fields.js';
import type { ChangeContext, ChangeRunner } from '../../plugins/activity-log.js';
import * as queries from './queries.js';
import type { CreateRoomBody, UpdateRoomBody } from './schemas.js';

type Room = NonNullable<Awaited<ReturnType<typeof queries.findRoom>>>;

/** The unique index of 0003_academic_structure and the field it guards. */
const UNIQUE_FIELDS = { rooms_name_key: 'name' };

function logRoom(log: ChangeContext['log'], action: string, room: Room, details: Record<string, unknown>) {
  return log({ action, targetType: 'room', targetId: room.id, targetName: room.name, details });
}

export async function getRoom(db: TenantDb, id: string) {
  const room = await queries.findRoom(db, id);
  if (!room) throw notFound('Room');
  return room;
}

export function createRoom(context: ChangeRunner, input: CreateRoomBody) {
  const fields = { capacity: null, ...trimmedText(input, ['name']) };
  return keepingUnique('room', UNIQUE_FIELDS, fields, () =>
    context.change(async ({ db, log }) => {
      const room = await queries.insertRoom(db, fields);
      await logRoom(log, 'create', room, { name: room.name, capacity: room.capacity });
      return room;
    }),
  );
}

export function updateRoom(context: ChangeRunner, id: string, input: UpdateRoomBody) {
  const fields = trimmedText(input, ['name']);
  return keepingUnique('room', UNIQUE_FIELDS, fields, () =>
    context.change(async ({ db, log }) => {
      const before = await queries.findRoom(db, id, true);
      if (!before) throw notFound('Room');
      const room = await queries.updateRoom(db, id, fields);
      await logRoom(log, 'update', room, { changes: changesBetween(before, room, fields) });
      return room;
    }),
  );
}

/** A room still in a curriculum or the timetable is 409 IN_USE with the counts, and stays. */
export function deleteRoom(context: ChangeRunner, id: string) {
  return context.change(async ({ db, log }) => {
    const room = await queries.findRoom(db, id, true);
    if (!room) throw notFound('Room');
    await assertUnreferenced(db, 'rooms', id, `The room "${room.name}"`);
    await queries.deleteRoom(db, id);
    await logRoom(log, 'delete', room, { name: room.name, capacity: room.capacity });
  });
}
