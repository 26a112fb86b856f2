import { PGlite, types } from '@electric-sql/pglite';
import type { NotificationHandlers } from './database.js';
import { timestamptzToIso } from './timestamps.js';

/** What Kysely's PostgresDialect needs from a `pg` pool, implemented over one PGlite instance. */
interface PoolClient {
  query(sql: string, parameters: unknown[]): Promise<{ command: string; rowCount: number; rows: unknown[] }>;
  release(): void;
}

const COMMAND_PATTERN = /^\s*(\w+)/;

/**
 * PGlite is a single connection, so the "pool" hands it to one holder at a time: a transaction
 * keeps it from BEGIN to COMMIT and other queries wait their turn, as they would for a pool of one.
 */
export class PGlitePool {
  readonly #db: PGlite;
  #queue: Promise<void> = Promise.resolve();

  private constructor(db: PGlite) {
    this.#db = db;
  }

  /**
   * dataDir undefined keeps the database in memory (tests). loadDataDir starts it from a
   * `dumpDataDir()` tarball instead of running initdb.
   */
  static async open(dataDir: string | undefined, options: { loadDataDir?: Blob | undefined } = {}): Promise<PGlitePool> {
    const db = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      // Same shapes as the pg driver is configured for: DATE as 'YYYY-MM-DD', never a shifted Date,
      // and timestamptz as an RFC 3339 string.
      parsers: { [types.DATE]: (value: string) => value, [types.TIMESTAMPTZ]: timestamptzToIso },
    });
    return new PGlitePool(db);
  }

  async connect(): Promise<PoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => turn);
    await previous;
    const db = this.#db;
    let released = false;
    return {
      async query(sql, parameters) {
        const command = COMMAND_PATTERN.exec(sql)?.[1]?.toUpperCase() ?? '';
        if (parameters.length === 0) {
          // Parameterless SQL may hold several statements (migrations), as with pg's simple protocol.
          const results = await db.exec(sql);
          const last = results.at(-1);
          return { command, rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
        }
        const result = await db.query(sql, parameters);
        return { command, rowCount: result.affectedRows ?? 0, rows: result.rows };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    };
  }

  async listen(channel: string, handlers: Pick<NotificationHandlers, 'message' | 'connected'>) {
    const unlisten = await this.#db.listen(channel, handlers.message);
    handlers.connected();
    return async () => {
      // Once the database is closed there is nothing left to unlisten from, and PGlite would
      // reject the UNLISTEN from inside its own queue (an unhandled rejection at shutdown).
      if (this.#db.closed) return;
      await unlisten();
    };
  }

  /** The database's files as a tarball, which `open(undefined, { loadDataDir })` starts from. */
  dumpDataDir(): Promise<Blob> {
    // Uncompressed: gzip made it 4.6 MB instead of 40 MB, but every load about 0.2 s slower.
    return this.#db.dumpDataDir('none');
  }

  async end(): Promise<void> {
    await this.#queue;
    await this.#db.close();
  }
}
