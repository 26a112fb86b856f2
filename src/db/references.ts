import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../lib/errors.js';
import type { TenantDb } from './tenant-schema.js';

interface ReferencingColumn {
  table: string;
  column: string;
}

/** Per referenced table: the columns that point at it and keep it from being deleted. Same in every tenant schema. */
const referencingColumns = new Map<string, Promise<ReferencingColumn[]>>();

/**
 * The foreign keys into `table` that refuse a delete (ON DELETE RESTRICT or NO ACTION), read from
 * the database's catalog: a later module's table that points at users or rooms is counted without
 * anyone listing it here. Keys that cascade (a student's enrollment) do not block.
 */
function blockingColumns(db: TenantDb, table: string): Promise<ReferencingColumn[]> {
  let known = referencingColumns.get(table);
  if (!known) {
    known = sql<ReferencingColumn>`
      select referencing.relname as "table", attribute.attname as "column"
      from pg_constraint key
      join pg_class referencing on referencing.oid = key.conrelid
      join pg_attribute attribute on attribute.attrelid = key.conrelid and attribute.attnum = key.conkey[1]
      where key.contype = 'f' and key.confdeltype in ('r', 'a')
        and key.confrelid = to_regclass(${`"${db.tenantSchema}"."${table}"`})
      order by 1, 2`
      .execute(db)
      .then((result) => result.rows);
    known.catch(() => referencingColumns.delete(table));
    referencingColumns.set(table, known);
  }
  return known;
}

/** How many rows of each table still point at the record, leaving out tables with none. */
export async function countReferences(db: TenantDb, table: string, id: string): Promise<Record<string, number>> {
  const columns = await blockingColumns(db, table);
  if (columns.length === 0) return {};
  const counts = columns.map(
    ({ table: referencing, column }) =>
      sql<{ table: string; count: number }>`select ${referencing} as "table", count(*)::int as "count" from ${sql.id(db.tenantSchema, referencing)} where ${sql.ref(column)} = ${id}`,
  );
  const { rows } = await sql<{ table: string; count: number }>`${sql.join(counts, sql` union all `)}`.execute(db);
  const references: Record<string, number> = {};
  for (const row of rows) if (row.count > 0) references[row.table] = (references[row.table] ?? 0) + row.count;
  return references;
}

/**
 * A condition on `alias.id` that holds while no row refers to it through a blocking foreign key
 * into `table` (true when there are none): finds records nothing uses any more, such as uploaded
 * files no assignment or submission holds, without a list of the tables that may hold them.
 */
export async function unreferenced(db: TenantDb, table: string, alias: string): Promise<RawBuilder<boolean>> {
  const columns = await blockingColumns(db, table);
  if (columns.length === 0) return sql<boolean>`true`;
  const checks = columns.map(
    ({ table: referencing, column }) =>
      sql`not exists (select 1 from ${sql.id(db.tenantSchema, referencing)} where ${sql.ref(column)} = ${sql.ref(`${alias}.id`)})`,
  );
  return sql<boolean>`(${sql.join(checks, sql` and `)})`;
}

/**
 * Throws 409 IN_USE `{ references: { lessons: 12, curriculum: 3 } }` while anything still points
 * at the record. Call it in the deleting transaction; a reference written concurrently after the
 * count makes the delete fail on its foreign key, which answers IN_USE as well.
 */
export async function assertUnreferenced(db: TenantDb, table: string, id: string, what: string): Promise<void> {
  const references = await countReferences(db, table, id);
  if (Object.keys(references).length === 0) return;
  const list = Object.entries(references)
    .map(([name, count]) => `${count} in ${name}`)
    .join(', ');
  throw new AppError(409, 'IN_USE', `${what} is still in use (${list}); remove those first`, undefined, { references });
}
