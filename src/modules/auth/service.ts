import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { assertTenantSchemaName } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../../lib/passwords.js';
import type { FileStorage } from '../../lib/storage/index.js';
import type { TokenService } from '../../lib/tokens.js';
import type { PasswordGuard } from './password-guard.js';
import {
  findAdminByUsername,
  findInstitutionIdByCode,
  findPasswordHash,
  findTenantUserByUsername,
  type Principal,
  type PrincipalWithHash,
  replacePassword,
} from './queries.js';
import type { LoginBody } from './schemas.js';

// One answer for an unknown institution, an unknown user and a wrong password alike.
const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Invalid username, password or institution code');
const wrongPassword = () => new AppError(403, 'INVALID_PASSWORD', 'The password is not correct');

/**
 * The account a sign-in names. With an institution code: a teacher or student of it, or else its
 * admin (a sign-in form with a code field serves everyone); without one, an admin.
 */
export async function findLoginAccount(db: Kysely<Database>, input: LoginBody): Promise<PrincipalWithHash | undefined> {
  if (!input.institutionCode) return findAdminByUsername(db, input.username);
  const institutionId = await findInstitutionIdByCode(db, input.institutionCode);
  if (!institutionId) return undefined;
  return (await findTenantUserByUsername(db, institutionId, input.username)) ?? findAdminByUsername(db, input.username, institutionId);
}

/** What a sign-in's failures count under when the name matches no account. */
export function typedLoginName(input: LoginBody): string {
  return input.institutionCode ? `${input.institutionCode}/${input.username}` : input.username;
}

/**
 * Checks a sign-in against the account found (or none). Every failure costs one password
 * verification, whether or not the account exists, so neither the answer nor its timing tells an
 * attacker which usernames are real.
 */
export async function authenticate(account: PrincipalWithHash | undefined, password: string): Promise<Principal> {
  if (!account) {
    await verifyAgainstNothing(password);
    throw invalidCredentials();
  }
  const { passwordHash, ...principal } = account;
  if (!(await verifyPassword(passwordHash, password))) throw invalidCredentials();
  if (!principal.isActive) {
    throw new AppError(403, 'ACCOUNT_DEACTIVATED', 'This account has been deactivated; contact your institution admin');
  }
  return principal;
}

export function issueToken(tokens: TokenService, principal: Principal, tokenVersion = principal.tokenVersion): string {
  return tokens.sign({ sub: principal.id, iid: principal.institution.id, role: principal.role, ver: tokenVersion });
}

/**
 * Checks the signed-in account's password (to change it, or to delete the institution), counting
 * failures like sign-in failures: a stolen token cannot be used to guess the password quickly.
 * Returns the hash that was checked.
 */
export async function assertPassword(
  db: Kysely<Database>,
  guard: PasswordGuard,
  request: FastifyRequest,
  password: string,
): Promise<string> {
  const { principal } = request;
  const counter = await guard.admit(request, principal, principal.username);
  const passwordHash = await findPasswordHash(db, principal);
  if (!passwordHash || !(await verifyPassword(passwordHash, password))) {
    await guard.recordFailure(counter);
    throw wrongPassword();
  }
  return passwordHash;
}

/**
 * Sets a new password and revokes every token issued before, returning the new token version.
 * Of several changes racing with the same current password exactly one succeeds; the others
 * answer 409, since the password they checked is no longer current.
 */
export async function changePassword(
  db: Kysely<Database>,
  guard: PasswordGuard,
  request: FastifyRequest,
  currentPassword: string,
  newPassword: string,
): Promise<number> {
  const checkedHash = await assertPassword(db, guard, request, currentPassword);
  if (currentPassword === newPassword) {
    throw new AppError(400, 'VALIDATION_ERROR', 'The new password must differ from the current one', [
      { field: 'newPassword', message: 'must differ from the current password' },
    ]);
  }
  const { principal } = request;
  const passwordHash = await hashPassword(newPassword);
  return request.change(async ({ db: trx, log }) => {
    const tokenVersion = await replacePassword(trx, principal, checkedHash, passwordHash);
    if (tokenVersion === undefined) {
      throw new AppError(409, 'CONFLICT', 'The password was changed by another request meanwhile; sign in with the new password');
    }
    await log({ action: 'change_password', targetType: principal.role, targetId: principal.id });
    return tokenVersion;
  });
}

/**
 * Deletes the institution: its registry row (and with it its admins), its schema and the master
 * log's entry (`log`) in one transaction, then its stored files (on either storage driver).
 * Tokens of its members find no account afterwards.
 */
export async function deleteInstitution(
  db: Kysely<Database>,
  storage: FileStorage,
  principal: Principal,
  log: (trx: Kysely<Database>) => Promise<void>,
): Promise<void> {
  const { id, schemaName } = principal.institution;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('registry.institutions').where('id', '=', id).execute();
    await trx.schema.dropSchema(assertTenantSchemaName(schemaName)).ifExists().cascade().execute();
    await log(trx);
  });
  await storage.removeInstitution(id);
}
