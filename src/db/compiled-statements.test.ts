import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers.js';
import { compiledStatement } from './compiled-statements.js';
import { scopeToSchema } from './tenant-schema.js';

interface PetsDb {
  pets: { id: number; name: string; kind: string };
}

describe('compiled statements', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Kysely<PetsDb>;
  let builds = 0;
  const petNames = compiledStatement((scoped: Kysely<PetsDb>, filters: { kind?: string | undefined; minId?: number | undefined }) => {
    builds += 1;
    let query = scoped.selectFrom('pets').select('name').where('name', '<>', 'nobody');
    if (filters.kind !== undefined) query = query.where('kind', '=', filters.kind);
    if (filters.minId !== undefined) query = query.where('id', '>=', filters.minId);
    return query.orderBy('id');
  });
  const names = async (schema: string, filters: Parameters<typeof petNames>[1]) =>
    (await petNames(scopeToSchema(db, schema), filters)).map((row) => row.name);

  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.db as unknown as Kysely<PetsDb>;
    for (const [schema, pets] of [['zoo_a', "(1, 'Rex', 'dog'), (2, 'Tom', 'cat'), (3, 'Fido', 'dog')"], ['zoo_b', "(1, 'Nemo', 'fish')"]] as const) {
      await sql.raw(`create schema ${schema}; create table ${schema}.pets (id int primary key, name text, kind text); insert into ${schema}.pets values ${pets}`).execute(db);
    }
  });
  afterAll(() => database?.close());

  it('compiles once per schema and set of present parameters, and fills in new values each time', async () => {
    expect(await names('zoo_a', { kind: 'dog' })).toEqual(['Rex', 'Fido']);
    expect(await names('zoo_a', { kind: 'cat' })).toEqual(['Tom']);
    expect(builds).toBe(1);
    expect(await names('zoo_a', { kind: 'dog', minId: 2 })).toEqual(['Fido']);
    expect(await names('zoo_a', { minId: 2, kind: 'cat' })).toEqual(['Tom']);
    expect(await names('zoo_a', { kind: undefined })).toEqual(['Rex', 'Tom', 'Fido']);
    expect(builds).toBe(3);
    // Another tenant's schema is another statement: never the first tenant's SQL.
    expect(await names('zoo_b', { kind: 'fish' })).toEqual(['Nemo']);
    expect(await names('zoo_b', { kind: 'dog' })).toEqual([]);
    expect(builds).toBe(4);
  });

  it('refuses a build that computes with a parameter instead of passing it on', async () => {
    const doubled = compiledStatement((scoped: Kysely<PetsDb>, filters: { minId: number }) =>
      scoped.selectFrom('pets').select('name').where('id', '>=', filters.minId * 2),
    );
    await expect(doubled(scopeToSchema(db, 'zoo_a'), { minId: 1 })).rejects.toThrow(/minId must be passed/);
  });
});
