import type { SelectQueryBuilder } from 'kysely';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * One page of a filtered, ordered query and the total across all pages, in one round trip
 * (`count(*) over ()`). Only a page past the end needs a second query to learn the total.
 * Items carry the extra `total` column; response schemas leave it out.
 */
export async function paginate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: number,
  limit: number,
): Promise<Page<O & { total: number }>> {
  // Kysely cannot resolve a selection added to a query of generic shape O; this is exactly O + total.
  const items = (await query
    .select((eb) => eb.fn.countAll<number>().over().as('total'))
    .limit(limit)
    .offset((page - 1) * limit)
    .execute()) as Array<O & { total: number }>;
  if (items.length > 0) return { items, total: Number(items[0]!.total) };
  if (page === 1) return { items, total: 0 };
  const count = (await query
    .clearSelect()
    .clearOrderBy()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow()) as { total: number };
  return { items, total: Number(count.total) };
}
