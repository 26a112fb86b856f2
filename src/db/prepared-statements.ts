import pg from 'pg';

export const DEFAULT_PREPARED_STATEMENTS = 100;

/** SQLSTATE 0A000 with this message: a table changed under a prepared statement's result. */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

interface PgConnectionInternals {
  /** pg's record of the statements this connection has parsed, by name. */
  parsedStatements?: Record<string, string>;
}

/**
 * A pg client that prepares each parameterised statement the first time this connection runs
 * it and reuses it afterwards, keeping at most `capacity` per connection (the least recently used
 * are deallocated first). Npgsql's auto-prepare works the same way.
 *
 * Why: queries reach the server with the tenant's schema in their text, so the server parses and
 * plans each one again; prepared, a 50-row page of users cost PostgreSQL ~30% less CPU (pgbench,
 * 5,800 -> 8,300 queries/s on this machine's 2 CPUs), and the database server is shared by every
 * API instance. The bound keeps the server's memory in check however many tenants and query
 * shapes a long-lived connection meets.
 *
 * Why not postgres.js, which prepares its own queries (tried for issue 6: postgres 3.4.9 with
 * kysely-postgres-js 3.0.0, the last release for Kysely 0.28 and Node 20): it served the users
 * list faster (0.27 and 0.36 of a bare route against 0.22 and 0.19 here, BENCH_ROUNDS=3 on a
 * busy 2-CPU machine), but with its connections terminated every 2 s under load (`npm run soak`)
 * its process died after 12 s: a TypeError thrown from a setImmediate in its socket writer, which
 * no caller can catch, on a reserved connection whose backend had ended. kysely-postgres-js
 * reserves a connection for every query. The outage test hung for 60 s instead of answering.
 * Besides, it prepares nothing that Kysely sends (`unsafe()` defaults to unprepared), bounds no
 * connection's statements, and four users and activity-log tests failed on its answers' values.
 *
 * Statements without parameters (transaction control, DDL, migrations) run as before.
 */
export function preparingClient(capacity: number): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    /** SQL text -> statement name, oldest use first (Map keeps insertion order). */
    #statements = new Map<string, string>();
    #nextName = 1;

    // pg's overloads cannot be restated in a subclass. Kysely calls query(text, values);
    // pg.Pool#query adds a callback.
    override query(...args: any[]): any {
      const [text, values, callback] = args;
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || args.length > 3) {
        return (super.query as (...a: unknown[]) => unknown)(...args);
      }
      const result = this.#queryPrepared(text, values);
      if (typeof callback !== 'function') return result;
      result.then((value) => callback(undefined, value), (error: unknown) => callback(error));
      return undefined;
    }

    async #queryPrepared(text: string, values: unknown[]): Promise<pg.QueryResult> {
      try {
        return await super.query({ name: await this.#nameFor(text), text, values });
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes(RESULT_TYPE_CHANGED)) throw error;
        // A migration changed a table under this statement (another instance migrated while this
        // one ran). Prepare it afresh; outside a transaction nothing ran, so trying again is safe.
        await this.#forget([text]);
        if (this.getTransactionStatus() !== 'I') throw error;
        return super.query({ name: await this.#nameFor(text), text, values });
      }
    }

    /** The statement's name, making room first when this connection holds `capacity` already. */
    async #nameFor(text: string): Promise<string> {
      const known = this.#statements.get(text);
      if (known !== undefined) {
        this.#statements.delete(text);
        this.#statements.set(text, known);
        return known;
      }
      if (this.#statements.size >= capacity) await this.#forget(this.#leastRecentlyUsed(Math.ceil(capacity / 4)));
      const name = `crm_${this.#nextName++}`;
      this.#statements.set(text, name);
      return name;
    }

    #leastRecentlyUsed(count: number): string[] {
      return [...this.#statements.keys()].slice(0, count);
    }

    /**
     * A quarter of the statements go at once, in one round trip, so that a connection meeting
     * many tenants pays one DEALLOCATE per that many new statements rather than one per statement.
     * Awaited before the next query: pg 9 will no longer queue a query behind a running one.
     */
    async #forget(texts: string[]): Promise<void> {
      // pg has no public way to forget a statement. Names are never reused, so nothing depends on
      // this but memory: without it pg's record keeps the text of every statement the connection
      // ever prepared. Should pg rename its record, this skips it (a test notices the growth).
      const parsed = (this as unknown as { connection: PgConnectionInternals }).connection.parsedStatements;
      const names: string[] = [];
      for (const text of texts) {
        const name = this.#statements.get(text);
        if (name === undefined) continue;
        this.#statements.delete(text);
        if (parsed) delete parsed[name];
        names.push(name);
      }
      if (names.length === 0) return;
      // A failure (say, in an aborted transaction) only leaves the statements allocated until
      // the connection closes; names are never reused.
      await super.query(names.map((name) => `deallocate ${name}`).join(';')).catch(() => undefined);
    }
  };
}
