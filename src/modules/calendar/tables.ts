import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, PrincipalRole, UpdatedAt } from '../../db/types.js';

export type CalendarEventType = 'event' | 'holiday' | 'exam' | 'meeting';
export type CalendarAudience = 'all' | 'classes' | 'teachers';

type OptionalInstant = ColumnType<string | null, Date | null, Date | null>;

export interface CalendarEventTable {
  id: Generated<string>;
  title: string;
  description: string | null;
  type: CalendarEventType;
  allDay: boolean;
  startsAt: OptionalInstant;
  endsAt: OptionalInstant;
  /** 'YYYY-MM-DD', all-day events only; endDate is the last day, inclusive. */
  startDate: string | null;
  endDate: string | null;
  audience: CalendarAudience;
  /** An RRULE value without the `RRULE:` prefix. */
  recurrence: string | null;
  /** Local dates ('YYYY-MM-DD') on which a recurring event does not take place. */
  exceptions: ColumnType<string[], string[] | undefined, string[]>;
  uid: string | null;
  createdBy: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface CalendarEventClassTable {
  eventId: string;
  classId: string;
}

export interface CalendarFeedTable {
  id: Generated<string>;
  institutionId: string;
  userId: string;
  role: PrincipalRole;
  tokenHash: Buffer;
  createdAt: CreatedAt;
}

declare module '../../db/types.js' {
  interface TenantTables {
    calendarEvents: CalendarEventTable;
    calendarEventClasses: CalendarEventClassTable;
  }
  interface RegistryTables {
    'registry.calendarFeeds': CalendarFeedTable;
  }
  interface InstitutionTable {
    /** IANA name (registry migration 0004_institution_calendar); recurrences expand in it. */
    timeZone: ColumnType<string, string | undefined, string>;
  }
}
