import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are written as Date (or by the database) and read back as RFC 3339 strings. */
export type CreatedAt = ColumnType<string, never, never>;
export type UpdatedAt = ColumnType<string, never, Date>;
type OptionalTimestamp = ColumnType<string | null, Date | null | undefined, Date | null>;
/** Postgres DATE, kept as 'YYYY-MM-DD' by both drivers. */
type DateOnly = string;

export type UserRole = 'teacher' | 'student' | 'guardian';
export type PrincipalRole = 'admin' | UserRole;

// ---- registry schema: one row per institution, its admins, and the master activity log ----

export interface InstitutionTable {
  id: Generated<string>;
  name: string;
  code: string;
  schemaName: string;
  /** Name of the newest tenant migration applied to this institution's schema. */
  schemaVersion: string | null;
  createdAt: CreatedAt;
}

export interface AdminTable {
  id: Generated<string>;
  institutionId: string;
  username: string;
  passwordHash: string;
  name: string;
  email: string | null;
  isActive: Generated<boolean>;
  tokenVersion: Generated<number>;
  lastLoginAt: OptionalTimestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface MasterActivityLogTable {
  id: Generated<string>;
  /** No foreign key: the entry outlives a deleted institution. */
  institutionId: string | null;
  institutionName: string | null;
  adminId: string | null;
  username: string | null;
  action: string;
  details: ColumnType<Record<string, unknown> | null, string | null, never>;
  ip: string | null;
  userAgent: string | null;
  createdAt: CreatedAt;
}

export interface SchemaMigrationTable {
  name: string;
  appliedAt: CreatedAt;
}

// ---- tenant schema: one per institution, addressed with db.withSchema(schemaName) ----

export interface UserTable {
  id: Generated<string>;
  username: string;
  passwordHash: string;
  role: UserRole;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  dateOfBirth: DateOnly | null;
  joiningDate: DateOnly | null;
  isActive: Generated<boolean>;
  tokenVersion: Generated<number>;
  lastLoginAt: OptionalTimestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface ActivityLogTable {
  id: Generated<string>;
  /** No foreign key: admins live in the registry, and the entry outlives a deleted user. */
  userId: string | null;
  userRole: PrincipalRole | null;
  userName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  details: ColumnType<Record<string, unknown> | null, string | null, never>;
  ip: string | null;
  userAgent: string | null;
  createdAt: CreatedAt;
}

/**
 * The foundation's tenant tables. Each feature module adds its own in its `tables.ts` by declaring
 * more members of this interface (kysely's example layout), so a new module edits no shared file.
 */
export interface TenantTables {
  users: UserTable;
  activityLogs: ActivityLogTable;
  schemaMigrations: SchemaMigrationTable;
}

export interface AttemptCounterTable {
  key: string;
  count: number;
  windowEndsAt: ColumnType<string, string, string>;
}

export interface RegistryTables {
  'registry.institutions': InstitutionTable;
  'registry.admins': AdminTable;
  'registry.masterActivityLogs': MasterActivityLogTable;
  'registry.schemaMigrations': SchemaMigrationTable;
  'registry.attemptCounters': AttemptCounterTable;
}

/**
 * One interface for both: tenant tables are unqualified and resolve through withSchema(),
 * registry tables are always schema-qualified so they resolve the same from any instance.
 */
export type Database = TenantTables & RegistryTables;

export type Institution = Selectable<InstitutionTable>;
export type Admin = Selectable<AdminTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type ActivityLog = Selectable<ActivityLogTable>;
