import type { Kysely } from 'kysely';
import { assertTenantSchemaName } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { removeInstitutionFiles } from '../../lib/files.js';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../../lib/passwords.js';
import type { TokenService } from '../../lib/tokens.js';
import {
  findAdminByUsername,
  findInstitutionIdByCode,
  findPasswordHash,
  findTenantUserByUsername,
  type Principal,
  setPassword,
} from './queries.js';
import type { LoginBody } from './schemas.js';

// One answer for an unknown institution, an unknown user and a wrong password alike.
const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Invalid username, password or institution code');
const wrongPassword = () => new AppError(403, 'INVALID_PASSWORD', 'The password is not correct');

/** The key failed sign-ins are counted under: admins are unique by username, others per institution. */
export function loginAccountKey(input: LoginBody): string {
  return input.institutionCode ? `${input.institutionCode}/${input.username}` : input.username;
}

async function findLoginAccount(db: Kysely<Database>, input: LoginBody) {
  if (!input.institutionCode) return findAdminByUsername(db, input.username);
  const institutionId = await findInstitutionIdByCode(db, input.institutionCode);
  return institutionId ? findTenantUserByUsername(db, institutionId, input.username) : undefined;
}

/**
 * Checks a sign-in. Every failure costs one password verification, whether or not the account
 * exists, so neither the answer nor its timing tells an attacker which usernames are real.
 */
export async function authenticate(db: Kysely<Database>, input: LoginBody): Promise<Principal> {
  const account = await findLoginAccount(db, input);
  if (!account) {
    await verifyAgainstNothing(input.password);
    throw invalidCredentials();
  }
  const { passwordHash, ...principal } = account;
  if (!(await verifyPassword(passwordHash, input.password))) throw invalidCredentials();
  if (!principal.isActive) {
    throw new AppError(403, 'ACCOUNT_DEACTIVATED', 'This account has been deactivated; contact your institution admin');
  }
  return principal;
}

export function issueToken(tokens: TokenService, principal: Principal, tokenVersion = principal.tokenVersion): string {
  return tokens.sign({ sub: principal.id, iid: principal.institution.id, role: principal.role, ver: tokenVersion });
}

export async function assertPassword(db: Kysely<Database>, principal: Principal, password: string): Promise<void> {
  const passwordHash = await findPasswordHash(db, principal);
  if (!passwordHash || !(await verifyPassword(passwordHash, password))) throw wrongPassword();
}

/** Sets a new password and revokes every token issued before, returning the new token version. */
export async function changePassword(
  db: Kysely<Database>,
  principal: Principal,
  currentPassword: string,
  newPassword: string,
): Promise<number> {
  await assertPassword(db, principal, currentPassword);
  if (currentPassword === newPassword) {
    throw new AppError(400, 'VALIDATION_ERROR', 'The new password must differ from the current one', [
      { field: 'newPassword', message: 'must differ from the current password' },
    ]);
  }
  await setPassword(db, principal, await hashPassword(newPassword));
  return principal.tokenVersion + 1;
}

/**
 * Deletes the institution: its registry row (and with it its admins) and its schema in one
 * transaction, then its stored files. Tokens of its members find no account afterwards.
 */
export async function deleteInstitution(db: Kysely<Database>, dataDir: string, principal: Principal): Promise<void> {
  const { id, schemaName } = principal.institution;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('registry.institutions').where('id', '=', id).execute();
    await trx.schema.dropSchema(assertTenantSchemaName(schemaName)).ifExists().cascade().execute();
  });
  await removeInstitutionFiles(dataDir, id);
}
