import type { ColumnType } from 'kysely';
import type { CreatedAt } from '../../db/types.js';

export type GuardianRelationship = 'mother' | 'father' | 'guardian' | 'other';

/** A guardian of a student; (studentId, guardianId) is the key. At most one primary per student. */
export interface GuardianLinkTable {
  studentId: string;
  guardianId: string;
  relationship: GuardianRelationship;
  primary: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: CreatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    guardianLinks: GuardianLinkTable;
  }
}
