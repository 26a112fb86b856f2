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

/**
 * A Kysely instance scoped to one schema, carrying the schema's name: whatever is keyed by tenant
 * (compiled statements) reads it from the same value that runs the query, so the two can never
 * disagree.
 */
export type SchemaScoped<DB> = Kysely<DB> & { readonly tenantSchema: string };

export type TenantDb = SchemaScoped<Database>;

export function scopeToSchema<DB>(db: Kysely<DB>, schemaName: string): SchemaScoped<DB> {
  return Object.assign(db.withSchema(schemaName), { tenantSchema: schemaName });
}

export function tenantDb(db: Kysely<Database>, schemaName: string): TenantDb {
  return scopeToSchema(db, schemaName);
}
