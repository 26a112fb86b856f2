import type { TenantDb } from '../../db/tenant-schema.js';
import type { Principal } from '../auth/queries.js';

/**
 * May this principal read this file? Modules that attach files register their own answer
 * (a student may read the files of an assignment set for their class).
 */
export type FileAccessRule = (db: TenantDb, principal: Principal, fileId: string) => Promise<boolean>;

export interface FileAccess {
  register(rule: FileAccessRule): void;
  /** Its uploader, admins, and whoever a registered rule lets read it. */
  canRead(db: TenantDb, principal: Principal, file: { id: string; uploadedBy: string }): Promise<boolean>;
}

export function createFileAccess(): FileAccess {
  const rules: FileAccessRule[] = [];
  return {
    register(rule) {
      rules.push(rule);
    },
    async canRead(db, principal, file) {
      if (principal.role === 'admin' || principal.id === file.uploadedBy) return true;
      for (const rule of rules) if (await rule(db, principal, file.id)) return true;
      return false;
    },
  };
}
