import { assertUnreferenced } from '../../db/references.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { NewUser, UserUpdate } from '../../db/types.js';
import { conflict, isUniqueViolation, notFound } from '../../lib/errors.js';
import { hashPassword } from '../../lib/passwords.js';
import type { ChangeContext, ChangeRunner } from '../../plugins/activity-log.js';
import * as queries from './queries.js';
import type { CreateUserBody, UpdateUserBody } from './schemas.js';


const usernameTaken = (username: string) => conflict(`The username "${username}" is already taken`);

/** Turns a validated create body into a row, hashing the password. */
export async function toNewUser(input: CreateUserBody): Promise<NewUser> {
  const { password, name, ...fields } = input;
  return { ...fields, name: name.trim(), passwordHash: await hashPassword(password) };
}

interface UserTarget {
  id: string;
  username: string;
}

function logUser(log: ChangeContext['log'], action: string, user: UserTarget, details: Record<string, unknown>) {
  return log({ action, targetType: 'user', targetId: user.id, targetName: user.username, details });
}

/** A unique violation anywhere in the change is the username (the only unique column). */
async function claimingUsername<T>(username: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken(username);
    throw error;
  }
}

export async function getUser(db: TenantDb, id: string) {
  const user = await queries.findUser(db, id);
  if (!user) throw notFound('User');
  return user;
}

export async function createUser(context: ChangeRunner, input: CreateUserBody) {
  // Hashed before the transaction opens: a connection is not held through 50 ms of argon2.
  const row = await toNewUser(input);
  return claimingUsername(input.username, () =>
    context.change(async ({ db, log }) => {
      const [user] = await queries.insertUsers(db, [row]);
      await logUser(log, 'create', user!, { role: user!.role, name: user!.name });
      return user!;
    }),
  );
}

/**
 * Applies an admin's changes. A new password or a deactivation ends the user's sessions at once,
 * because both bump the token version that every request checks.
 */
export async function updateUser(context: ChangeRunner, id: string, input: UpdateUserBody) {
  const { password, ...fields } = input;
  const changes: UserUpdate = { ...fields, ...(fields.name ? { name: fields.name.trim() } : {}) };
  if (password) changes.passwordHash = await hashPassword(password);
  const revokeTokens = password !== undefined || input.isActive === false;
  return claimingUsername(input.username ?? '', () =>
    context.change(async ({ db, log }) => {
      const user = await queries.updateUser(db, id, changes, revokeTokens);
      if (!user) throw notFound('User');
      const changed = Object.keys(input).filter((field) => field !== 'password');
      await logUser(log, 'update', user, { fields: changed, passwordReset: password !== undefined });
      return user;
    }),
  );
}

/**
 * Deletes a user nothing refers to (a class they lead, lessons they teach: 409 IN_USE with the
 * counts); a student's enrollment goes with them. Deactivating stays possible in any case.
 */
export function deleteUser(context: ChangeRunner, id: string) {
  return context.change(async ({ db, log }) => {
    if (!(await queries.findUser(db, id))) throw notFound('User');
    await assertUnreferenced(db, 'users', id, 'This user');
    const user = await queries.deleteUser(db, id);
    if (!user) throw notFound('User');
    await logUser(log, 'delete', user, { role: user.role, name: user.name });
    return user;
  });
}
