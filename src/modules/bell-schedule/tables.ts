import type { ColumnType } from 'kysely';
import type { UpdatedAt } from '../../db/types.js';

export interface BellPeriod {
  number: number;
  /** "HH:MM", 24-hour. */
  start: string;
  end: string;
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

/** One row per institution (id is always true): its working days and periods. */
export interface BellScheduleTable {
  id: ColumnType<boolean, never, never>;
  days: Weekday[];
  /** Written as JSON text, read back parsed. */
  periods: ColumnType<BellPeriod[], string, string>;
  updatedAt: UpdatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    bellSchedule: BellScheduleTable;
  }
}
