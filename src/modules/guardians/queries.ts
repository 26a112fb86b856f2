import type { TenantDb } from '../../db/tenant-schema.js';
import './tables.js';

/** Whether the guardian is linked to the student (whatever either account's state). */
export async function isGuardianOf(db: TenantDb, guardianId: string, studentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('guardianLinks')
    .select('studentId')
    .where('guardianId', '=', guardianId)
    .where('studentId', '=', studentId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The active guardians of each of these students, one row per link. */
export async function guardiansOf(
  db: TenantDb,
  studentIds: readonly string[],
): Promise<{ studentId: string; guardianId: string }[]> {
  if (studentIds.length === 0) return [];
  return db
    .selectFrom('guardianLinks')
    .innerJoin('users', 'users.id', 'guardianLinks.guardianId')
    .select(['guardianLinks.studentId', 'guardianLinks.guardianId'])
    .where('guardianLinks.studentId', 'in', studentIds)
    .where('users.isActive', '=', true)
    .orderBy('guardianLinks.studentId')
    .orderBy('guardianLinks.guardianId')
    .execute();
}

/** The student ids of the guardian's children. */
export async function childrenOf(db: TenantDb, guardianId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('guardianLinks')
    .select('studentId')
    .where('guardianId', '=', guardianId)
    .orderBy('studentId')
    .execute();
  return rows.map((row) => row.studentId);
}
