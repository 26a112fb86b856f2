import type { Generated, Selectable } from 'kysely';
import type { CreatedAt } from '../../db/types.js';

export interface FileTable {
  id: Generated<string>;
  /** The cleaned display name (lib/file-names.ts); never used as a path. */
  name: string;
  size: number;
  /** Decided from the bytes, not from what the client claimed. */
  contentType: string;
  /** Hex SHA-256 of the bytes; the download's ETag. */
  sha256: string;
  /** A user's or an admin's id (admins live in the registry, so there is no foreign key). */
  uploadedBy: string;
  createdAt: CreatedAt;
}

export type StoredFile = Selectable<FileTable>;

declare module '../../db/types.js' {
  interface TenantTables {
    files: FileTable;
  }
}
