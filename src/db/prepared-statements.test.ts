import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DATABASE_URL, openTestDatabase } from '../../test/helpers.js';
import { isDatabaseUnavailable } from '../lib/errors.js';
import { preparingClient } from './prepared-statements.js';

const CAPACITY = 3;

describe.skipIf(!DATABASE_URL)('auto-prepared statements on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  // One connection, so every query meets the statements the previous ones left.
  let pool: pg.Pool;
  let other: pg.Client;

  const preparedOnConnection = async () => {
    const { rows } = await pool.query<{ statement: string }>(
      // Without parameters, so this query itself is not prepared.
      'select statement from pg_prepared_statements order by prepare_time',
    );
    return rows.map((row) => row.statement);
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 1, Client: preparingClient(CAPACITY) });
    other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query('create table pets (id int primary key, name text)');
    await other.query("insert into pets values (1, 'Rex'), (2, 'Tom')");
  });

  afterAll(async () => {
    await other?.end();
    await pool?.end();
    await database?.close();
  });

  it('prepares a statement with parameters once and reuses it', async () => {
    for (const id of [1, 2, 1]) {
      const { rows } = await pool.query('select name from pets where id = $1', [id]);
      expect(rows).toEqual([{ name: id === 1 ? 'Rex' : 'Tom' }]);
    }
    expect(await preparedOnConnection()).toEqual(['select name from pets where id = $1']);
  });

  it('keeps at most its capacity per connection, dropping the least recently used', async () => {
    const texts = Array.from({ length: CAPACITY + 2 }, (_, index) => `select name, ${index} as n from pets where id = $1`);
    for (const text of texts) expect((await pool.query(text, [1])).rows).toEqual([{ name: 'Rex', n: texts.indexOf(text) }]);
    expect(await preparedOnConnection()).toEqual(texts.slice(-CAPACITY));
    // A dropped statement is prepared again when it comes back.
    expect((await pool.query(texts[0]!, [2])).rows).toEqual([{ name: 'Tom', n: 0 }]);
    expect(await preparedOnConnection()).toHaveLength(CAPACITY);
  });

  it('deallocates a quarter of a full connection\'s statements at once', async () => {
    const roomy = new pg.Pool({ connectionString: database.url, max: 1, Client: preparingClient(8) });
    try {
      const texts = Array.from({ length: 9 }, (_, index) => `select ${index} as n, name from pets where id = $1`);
      for (const text of texts) await roomy.query(text, [1]);
      const { rows } = await roomy.query<{ statement: string }>('select statement from pg_prepared_statements order by prepare_time');
      expect(rows.map((row) => row.statement)).toEqual(texts.slice(2));
      // pg's own record of parsed statements forgets the deallocated ones too.
      const client = await roomy.connect();
      const internals = client as unknown as { connection: { parsedStatements: Record<string, string> } };
      expect(Object.values(internals.connection.parsedStatements).sort()).toEqual(texts.slice(2).sort());
      client.release();
    } finally {
      await roomy.end();
    }
  });

  it('rejects the queries of a connection the server ended, also one that first makes room', async () => {
    const single = new pg.Pool({ connectionString: database.url, max: 1, Client: preparingClient(1) });
    single.on('error', () => undefined);
    const client = await single.connect();
    const errors: Error[] = [];
    // What openDatabase does for every connection: the error event must have a listener.
    client.on('error', (error) => errors.push(error));
    try {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid where $1::int = 1', [1]);
      // Settled into a value at once: it may fail before the termination below returns.
      const running = client.query('select pg_sleep($1)', [10]).then(() => undefined, (error: unknown) => error);
      await other.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      // 57P01, or "Connection terminated unexpectedly" when the socket's end is read first.
      expect(isDatabaseUnavailable(await running)).toBe(true);
      // One or two error events (the FATAL message, the closed socket), each with a listener.
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
      // Full (capacity 1), so this one deallocates before preparing: both steps meet the dead connection.
      await expect(client.query('select $1::int as n', [1])).rejects.toThrow('Client has encountered a connection error and is not queryable');
    } finally {
      client.release();
    }
    expect((await single.query('select $1::int as n', [2])).rows).toEqual([{ n: 2 }]);
    await single.end();
  });

  it('survives a table changing under a prepared statement, outside a transaction', async () => {
    const text = 'select * from pets where id = $1';
    expect((await pool.query(text, [1])).rows).toEqual([{ id: 1, name: 'Rex' }]);
    await other.query('alter table pets add column age int');
    expect((await pool.query(text, [1])).rows).toEqual([{ id: 1, name: 'Rex', age: null }]);
  });

  it('inside a transaction fails that query, and the next use prepares afresh', async () => {
    const text = 'select * from pets where id = $1';
    expect((await pool.query(text, [2])).rows).toHaveLength(1);
    await other.query('alter table pets add column colour text');
    const client = await pool.connect();
    try {
      await client.query('begin');
      await expect(client.query(text, [2])).rejects.toThrow(/cached plan must not change result type/);
      await client.query('rollback');
      expect((await client.query(text, [2])).rows).toEqual([{ id: 2, name: 'Tom', age: null, colour: null }]);
    } finally {
      client.release();
    }
  });
});
