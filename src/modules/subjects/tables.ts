import type { Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from '../../db/types.js';

export interface SubjectTable {
  id: Generated<string>;
  name: string;
  code: string | null;
  /** #RRGGBB, for timetables. */
  color: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    subjects: SubjectTable;
  }
}
