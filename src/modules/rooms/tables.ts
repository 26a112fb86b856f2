import type { Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../../db/types.js';

export interface RoomTable {
  id: Generated<string>;
  name: string;
  capacity: number | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    rooms: RoomTable;
  }
}
