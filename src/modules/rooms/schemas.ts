import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';

const RoomName = Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the institution, ignoring case; trimmed' });
const Capacity = Type.Integer({ minimum: 1, maximum: 1000, description: 'Seats' });

export const RoomView = Type.Object(
  { id: Uuid, name: Type.String(), capacity: Nullable(Type.Integer()), createdAt: Timestamp, updatedAt: Timestamp },
  {
    examples: [
      {
        id: '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f',
        name: 'Lab 2',
        capacity: 30,
        createdAt: '2026-09-01T08:00:00.000Z',
        updatedAt: '2026-09-01T08:00:00.000Z',
      },
    ],
  },
);

export const CreateRoomBody = Type.Object(
  { name: RoomName, capacity: Type.Optional(Capacity) },
  { additionalProperties: false, examples: [{ name: 'Lab 2', capacity: 30 }] },
);

/** `null` clears the capacity. */
export const UpdateRoomBody = Type.Object(
  { name: Type.Optional(RoomName), capacity: Type.Optional(Nullable(Capacity)) },
  { additionalProperties: false, minProperties: 1, examples: [{ name: 'Chemistry lab', capacity: 24 }] },
);

export const ListRoomsQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 100, description: 'Matches the name, ignoring case' })), ...PageQuery },
  { additionalProperties: false },
);

export const RoomList = Paginated(RoomView);

export type CreateRoomBody = Static<typeof CreateRoomBody>;
export type UpdateRoomBody = Static<typeof UpdateRoomBody>;
export type ListRoomsQuery = Static<typeof ListRoomsQuery>;
