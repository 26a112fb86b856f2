import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Migration, migrateTenantSchema } from '../../db/migrator.js';
import { tenantSchemaName } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { conflict, isUniqueViolation } from '../../lib/errors.js';
import { generateInstitutionCode } from '../../lib/institution-code.js';
import { hashPassword } from '../../lib/passwords.js';
import type { SetupAdminBody } from './schemas.js';

interface Registered {
  institution: { id: string; name: string; code: string; schemaName: string };
  admin: { id: string; username: string; name: string; email: string | null; role: 'admin' };
}

async function unusedInstitutionCode(db: Kysely<Database>): Promise<string> {
  for (;;) {
    const code = generateInstitutionCode();
    const taken = await db.selectFrom('registry.institutions').select('id').where('code', '=', code).executeTakeFirst();
    if (!taken) return code;
  }
}

/**
 * Registers an institution: its registry row, its admin, its schema with every tenant table and
 * the log entries (`log`), in one transaction, so a failure at any step leaves nothing behind.
 */
export async function registerInstitution(
  db: Kysely<Database>,
  tenantMigrations: Migration[],
  input: SetupAdminBody,
  log: (trx: Kysely<Database>, registered: Registered) => Promise<void> = async () => undefined,
) {
  const passwordHash = await hashPassword(input.password);
  const institutionId = randomUUID();
  const schemaName = tenantSchemaName(institutionId);
  try {
    return await db.transaction().execute(async (trx) => {
      const institution = await trx
        .insertInto('registry.institutions')
        .values({ id: institutionId, name: input.institutionName.trim(), code: await unusedInstitutionCode(trx), schemaName })
        .returning(['id', 'name', 'code', 'schemaName'])
        .executeTakeFirstOrThrow();
      const admin = await trx
        .insertInto('registry.admins')
        .values({
          institutionId,
          username: input.username,
          passwordHash,
          name: input.name.trim(),
          email: input.email ?? null,
        })
        .returning(['id', 'username', 'name', 'email'])
        .executeTakeFirstOrThrow();
      await migrateTenantSchema(trx, institutionId, schemaName, tenantMigrations);
      const registered = { institution, admin: { ...admin, role: 'admin' as const } };
      await log(trx, registered);
      return registered;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`The username "${input.username}" is already taken`);
    throw error;
  }
}
