import { sql } from 'kysely';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { NewUser, UserRole, UserUpdate } from '../../db/types.js';
import { scheduledLessons } from '../curriculum/queries.js';
import type { ListUsersQuery } from './schemas.js';

/** The columns of `UserView`, in its order: list pages are written as JSON from exactly these. */
const USER_COLUMNS = [
  'id',
  'username',
  'role',
  'name',
  'email',
  'phone',
  'address',
  'dateOfBirth',
  'joiningDate',
  'isActive',
  'lastLoginAt',
  'createdAt',
  'updatedAt',
] as const;

interface UserFilters extends Record<string, unknown> {
  role?: UserRole | undefined;
  isActive?: boolean | undefined;
  /** An ILIKE pattern matched against name, username and email. */
  pattern?: string | undefined;
}

const userPages = jsonPages((db, filters: UserFilters) => {
  let filtered = db.selectFrom('users');
  if (filters.role !== undefined) filtered = filtered.where('role', '=', filters.role);
  if (filters.isActive !== undefined) filtered = filtered.where('isActive', '=', filters.isActive);
  const { pattern } = filters;
  if (pattern !== undefined) {
    filtered = filtered.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('username', 'ilike', pattern), eb('email', 'ilike', pattern)]));
  }
  return filtered
    .select(USER_COLUMNS)
    .orderBy((eb) => eb.fn('lower', ['name']))
    .orderBy('id');
});

export function listUsers(db: TenantDb, query: ListUsersQuery) {
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return userPages(db, { role: query.role, isActive: query.isActive, pattern }, query);
}

export function findUser(db: TenantDb, id: string) {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The institution's users with these usernames (ignoring case), by lower-cased username. */
export async function findUsersByUsername(db: TenantDb, usernames: string[]): Promise<Map<string, { id: string; role: UserRole }>> {
  if (usernames.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .where((eb) => eb(eb.fn('lower', ['username']), 'in', usernames.map((u) => u.toLowerCase())))
    .execute();
  return new Map(rows.map((row) => [row.username.toLowerCase(), { id: row.id, role: row.role }]));
}

export function insertUsers(db: TenantDb, users: NewUser[]) {
  return db.insertInto('users').values(users).returning(USER_COLUMNS).execute();
}

export function updateUser(db: TenantDb, id: string, changes: UserUpdate, revokeTokens: boolean) {
  return db
    .updateTable('users')
    .set((eb) => ({
      ...changes,
      updatedAt: new Date(),
      ...(revokeTokens ? { tokenVersion: eb('tokenVersion', '+', 1) } : {}),
    }))
    .where('id', '=', id)
    .returning(USER_COLUMNS)
    .executeTakeFirst();
}

export function deleteUser(db: TenantDb, id: string) {
  return db.deleteFrom('users').where('id', '=', id).returning(['id', 'username', 'name', 'role']).executeTakeFirst();
}

/**
 * The admin dashboard's figures in one round of queries: active users per role, classes, and the
 * curriculum periods the timetable does not hold yet. A curriculum row's missing periods are its
 * periods a week less its lessons (as `scheduled` counts them on GET /api/classes/:id/subjects),
 * never below zero: an overfull subject does not make up for a missing one.
 */
export async function adminSummary(db: TenantDb) {
  // Per curriculum row its periods a week less the lessons scheduled (the curriculum's own count),
  // never below 0, summed per class.
  const missingPerClass = db
    .selectFrom('curriculum')
    .select((eb) => ['curriculum.classId', sql<number>`sum(greatest(${eb.ref('curriculum.periodsPerWeek')} - ${scheduledLessons(eb)}, 0))::int`.as('missing')])
    .groupBy('curriculum.classId')
    .as('missingPerClass');
  const [roles, classes, unscheduled] = await Promise.all([
    db.selectFrom('users').where('isActive', '=', true).select(['role', sql<number>`count(*)::int`.as('count')]).groupBy('role').execute(),
    db.selectFrom('classes').select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow(),
    db
      .selectFrom(missingPerClass)
      .select([sql<number>`coalesce(sum(missing), 0)::int`.as('periods'), sql<number>`(count(*) filter (where missing > 0))::int`.as('classes')])
      .executeTakeFirstOrThrow(),
  ]);
  const activeUsers = { teacher: 0, student: 0, guardian: 0 };
  for (const { role, count } of roles) activeUsers[role] = count;
  return { activeUsers, classes: classes.count, unscheduled };
}
