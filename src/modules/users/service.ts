import type { TenantDb } from '../../db/tenant-schema.js';
import type { NewUser, UserUpdate } from '../../db/types.js';
import { conflict, isUniqueViolation, notFound } from '../../lib/errors.js';
import { hashPassword } from '../../lib/passwords.js';
import * as queries from './queries.js';
import type { CreateUserBody, UpdateUserBody } from './schemas.js';

const usernameTaken = (username: string) => conflict(`The username "${username}" is already taken`);

/** Turns a validated create body into a row, hashing the password. */
export async function toNewUser(input: CreateUserBody): Promise<NewUser> {
  const { password, name, ...fields } = input;
  return { ...fields, name: name.trim(), passwordHash: await hashPassword(password) };
}

export async function getUser(db: TenantDb, id: string) {
  const user = await queries.findUser(db, id);
  if (!user) throw notFound('User');
  return user;
}

export async function createUser(db: TenantDb, input: CreateUserBody) {
  const row = await toNewUser(input);
  try {
    const [user] = await queries.insertUsers(db, [row]);
    return user!;
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken(input.username);
    throw error;
  }
}

/**
 * Applies an admin's changes. A new password or a deactivation ends the user's sessions at once,
 * because both bump the token version that every request checks.
 */
export async function updateUser(db: TenantDb, id: string, input: UpdateUserBody) {
  const { password, ...fields } = input;
  const changes: UserUpdate = { ...fields, ...(fields.name ? { name: fields.name.trim() } : {}) };
  if (password) changes.passwordHash = await hashPassword(password);
  const revokeTokens = password !== undefined || input.isActive === false;
  try {
    const user = await queries.updateUser(db, id, changes, revokeTokens);
    if (!user) throw notFound('User');
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken(input.username ?? '');
    throw error;
  }
}

export async function deleteUser(db: TenantDb, id: string) {
  const user = await queries.deleteUser(db, id);
  if (!user) throw notFound('User');
  return user;
}
