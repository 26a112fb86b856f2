import { type Kysely, sql } from 'kysely';
import { tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import type { Database, PrincipalRole } from '../../db/types.js';
import { isMissingRelation } from '../../lib/errors.js';
import type { TokenClaims } from '../../lib/tokens.js';

/** The signed-in account as every request sees it, with the institution it belongs to. */
export interface Principal {
  id: string;
  role: PrincipalRole;
  username: string;
  name: string;
  email: string | null;
  isActive: boolean;
  tokenVersion: number;
  institution: { id: string; name: string; code: string; schemaName: string };
}

/** The flat row the principal queries select: the account's columns plus its institution's. */
type PrincipalRow = Omit<Principal, 'institution'> & {
  institutionId: string;
  institutionName: string;
  institutionCode: string;
  schemaName: string;
};

export interface PrincipalWithHash extends Principal {
  passwordHash: string;
}

function toPrincipal({ institutionId, institutionName, institutionCode, schemaName, ...account }: PrincipalRow): Principal {
  return { ...account, institution: { id: institutionId, name: institutionName, code: institutionCode, schemaName } };
}

function adminQuery(db: Kysely<Database>) {
  return db
    .selectFrom('registry.admins as a')
    .innerJoin('registry.institutions as i', 'i.id', 'a.institutionId')
    .select((eb) => [
      'a.id',
      eb.val<PrincipalRole>('admin').as('role'),
      'a.username',
      'a.name',
      'a.email',
      'a.isActive',
      'a.tokenVersion',
      'i.id as institutionId',
      'i.name as institutionName',
      'i.code as institutionCode',
      'i.schemaName',
    ]);
}

function tenantUserQuery(db: Kysely<Database>, institutionId: string) {
  return tenantDb(db, tenantSchemaName(institutionId))
    .selectFrom('users as u')
    .innerJoin('registry.institutions as i', (join) => join.on('i.id', '=', institutionId))
    .select([
      'u.id',
      'u.role',
      'u.username',
      'u.name',
      'u.email',
      'u.isActive',
      'u.tokenVersion',
      'i.id as institutionId',
      'i.name as institutionName',
      'i.code as institutionCode',
      'i.schemaName',
    ]);
}

function withHash(row: PrincipalRow & { passwordHash: string }): PrincipalWithHash {
  const { passwordHash, ...rest } = row;
  return { ...toPrincipal(rest), passwordHash };
}

/** An admin by username (unique across institutions), within one institution when it is given. */
export async function findAdminByUsername(db: Kysely<Database>, username: string, institutionId?: string) {
  let query = adminQuery(db)
    .select('a.passwordHash')
    .where((eb) => eb(eb.fn('lower', ['a.username']), '=', username.toLowerCase()));
  if (institutionId !== undefined) query = query.where('a.institutionId', '=', institutionId);
  const row = await query.executeTakeFirst();
  return row ? withHash(row) : undefined;
}

export async function findInstitutionIdByCode(db: Kysely<Database>, code: string) {
  const row = await db
    .selectFrom('registry.institutions')
    .select('id')
    .where('code', '=', code.toUpperCase())
    .executeTakeFirst();
  return row?.id;
}

export async function findTenantUserByUsername(db: Kysely<Database>, institutionId: string, username: string) {
  const row = await tenantUserQuery(db, institutionId)
    .select('u.passwordHash')
    .where((eb) => eb(eb.fn('lower', ['u.username']), '=', username.toLowerCase()))
    .executeTakeFirst();
  return row ? withHash(row) : undefined;
}

/**
 * One query per request: the account named by the token, joined to its institution. A deleted
 * institution has no registry row and no schema, so its tokens find nothing.
 */
export async function findPrincipal(db: Kysely<Database>, claims: TokenClaims): Promise<Principal | undefined> {
  try {
    const row =
      claims.role === 'admin'
        ? await adminQuery(db).where('a.id', '=', claims.sub).where('i.id', '=', claims.iid).executeTakeFirst()
        : await tenantUserQuery(db, claims.iid).where('u.id', '=', claims.sub).executeTakeFirst();
    return row ? toPrincipal(row) : undefined;
  } catch (error) {
    if (isMissingRelation(error)) return undefined;
    throw error;
  }
}

export async function institutionExists(db: Kysely<Database>, institutionId: string): Promise<boolean> {
  const row = await db.selectFrom('registry.institutions').select('id').where('id', '=', institutionId).executeTakeFirst();
  return row !== undefined;
}

interface AccountChanges {
  passwordHash?: string;
  lastLoginAt?: Date;
  /** Bump the token version, which ends every token issued before. */
  revokeTokens?: boolean;
}

/** Admins live in the registry, everyone else in the tenant schema; both share these columns. */
async function updateAccount(db: Kysely<Database>, principal: Principal, { revokeTokens, ...changes }: AccountChanges) {
  const values = {
    ...changes,
    ...(revokeTokens ? { tokenVersion: sql<number>`${sql.ref('tokenVersion')} + 1`, updatedAt: new Date() } : {}),
  };
  if (principal.role === 'admin') {
    await db.updateTable('registry.admins').set(values).where('id', '=', principal.id).execute();
  } else {
    await tenantDb(db, principal.institution.schemaName).updateTable('users').set(values).where('id', '=', principal.id).execute();
  }
}

export const revokeTokens = (db: Kysely<Database>, principal: Principal) => updateAccount(db, principal, { revokeTokens: true });

/**
 * Replaces the password only if it is still the one the caller checked (compare-and-set on the
 * hash), revoking every earlier token; returns the new token version, or undefined when another
 * change got there first. Two changes racing with the same current password cannot both win.
 */
export async function replacePassword(db: Kysely<Database>, principal: Principal, checkedHash: string, passwordHash: string) {
  const changes = { passwordHash, tokenVersion: sql<number>`${sql.ref('tokenVersion')} + 1`, updatedAt: new Date() };
  const row =
    principal.role === 'admin'
      ? await db
          .updateTable('registry.admins')
          .set(changes)
          .where('id', '=', principal.id)
          .where('passwordHash', '=', checkedHash)
          .returning('tokenVersion')
          .executeTakeFirst()
      : await tenantDb(db, principal.institution.schemaName)
          .updateTable('users')
          .set(changes)
          .where('id', '=', principal.id)
          .where('passwordHash', '=', checkedHash)
          .returning('tokenVersion')
          .executeTakeFirst();
  return row?.tokenVersion;
}

export const recordLogin = (db: Kysely<Database>, principal: Principal) =>
  updateAccount(db, principal, { lastLoginAt: new Date() });

export async function findPasswordHash(db: Kysely<Database>, principal: Principal): Promise<string | undefined> {
  const row =
    principal.role === 'admin'
      ? await db.selectFrom('registry.admins').select('passwordHash').where('id', '=', principal.id).executeTakeFirst()
      : await tenantDb(db, principal.institution.schemaName)
          .selectFrom('users')
          .select('passwordHash')
          .where('id', '=', principal.id)
          .executeTakeFirst();
  return row?.passwordHash;
}
