import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, PrincipalRole, UpdatedAt } from '../../db/types.js';

export type AnnouncementAudience = 'all' | 'roles' | 'classes';

export interface AnnouncementTable {
  id: Generated<string>;
  title: string;
  /** Markdown, stored exactly as written; the client renders it. */
  body: string;
  audience: AnnouncementAudience;
  /** The roles of a 'roles' announcement; empty for the others. */
  roles: ColumnType<PrincipalRole[], PrincipalRole[] | undefined, PrincipalRole[]>;
  pinnedUntil: ColumnType<string | null, Date | null | undefined, Date | null>;
  requireConfirmation: ColumnType<boolean, boolean | undefined, boolean>;
  /** A user or an admin of the institution. */
  authorId: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface AnnouncementClassTable {
  announcementId: string;
  classId: string;
}

export interface AnnouncementReadTable {
  announcementId: string;
  /** A user or an admin of the institution. */
  readerId: string;
  readAt: ColumnType<string, Date | undefined, never>;
}

declare module '../../db/types.js' {
  interface TenantTables {
    announcements: AnnouncementTable;
    announcementClasses: AnnouncementClassTable;
    announcementReads: AnnouncementReadTable;
  }
}
