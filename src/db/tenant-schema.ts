import type { Kysely } from 'kysely';
import type { Database } from './types.js';

/**
 * An institution's schema name follows from its id alone, so a request finds its tenant without
 * a registry lookup: the cost does not grow with the number of institutions.
 */
export function tenantSchemaName(institutionId: string): string {
  return `tenant_${institutionId.replaceAll('-', '')}`;
}

const TENANT_SCHEMA_PATTERN = /^tenant_[0-9a-f]{32}$/;

/** Schema names end up in DDL, so only names this module produces are accepted. */
export function assertTenantSchemaName(schemaName: string): string {
  if (!TENANT_SCHEMA_PATTERN.test(schemaName)) {
    throw new Error(`not a tenant schema name: ${schemaName}`);
  }
  return schemaName;
}

export function quoteTenantSchema(schemaName: string): string {
  return `"${assertTenantSchemaName(schemaName)}"`;
}

export type TenantDb = Kysely<Database>;

export function tenantDb(db: Kysely<Database>, schemaName: string): TenantDb {
  return db.withSchema(schemaName);
}
