import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';

export const ActivityLogView = Type.Object({
  id: Uuid,
  userId: Nullable(Uuid),
  userRole: Nullable(Type.String()),
  userName: Nullable(Type.String()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  targetName: Nullable(Type.String()),
  details: Nullable(Type.Object({}, { additionalProperties: true })),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  createdAt: Timestamp,
});

export const ListActivityLogsQuery = Type.Object(
  {
    userId: Type.Optional(Uuid),
    action: Type.Optional(Type.String({ maxLength: 50 })),
    targetType: Type.Optional(Type.String({ maxLength: 50 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive lower bound (ISO 8601)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive upper bound (ISO 8601)' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const ActivityLogFilterValues = Type.Object({
  actions: Type.Array(Type.String()),
  targetTypes: Type.Array(Type.String()),
  users: Type.Array(
    Type.Object({ id: Uuid, name: Type.String(), role: Type.String() }),
    { description: 'Everyone the log names as acting, with their latest recorded name and role, sorted by name' },
  ),
});

export const ActivityLogList = Paginated(ActivityLogView);
export type ListActivityLogsQuery = Static<typeof ListActivityLogsQuery>;
