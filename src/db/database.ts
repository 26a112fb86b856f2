import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool.js';
import { DEFAULT_PREPARED_STATEMENTS, preparingClient } from './prepared-statements.js';
import { PG_TIMESTAMPTZ_OID, timestamptzToIso } from './timestamps.js';
import type { Database } from './types.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** What a listener is told: each payload, and when it can or cannot rely on hearing them. */
export interface NotificationHandlers {
  message(payload: string): void;
  /** Listening (again): from now on no notification is missed. */
  connected(): void;
  /** Notifications may be missed until `connected` is called again. */
  disconnected(error?: Error): void;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** LISTENs on a channel until the returned function is called. */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * A dedicated connection for LISTEN (a pooled one would be handed to queries). When it drops,
 * the handlers hear `disconnected` at once and it reconnects until it is stopped.
 */
function listenOnPostgres(databaseUrl: string, channel: string, handlers: NotificationHandlers) {
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  function lost(client: pg.Client, error?: Error) {
    if (client !== current) return;
    current = undefined;
    client.end().catch(() => undefined);
    handlers.disconnected(error);
    if (!stopped) retry = setTimeout(connect, RECONNECT_DELAY_MS);
  }

  async function connect() {
    const client = new pg.Client({ connectionString: databaseUrl });
    current = client;
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.message(message.payload ?? '');
    });
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (client === current) handlers.connected();
    } catch (error) {
      lost(client, error as Error);
    }
  }

  return connect().then(() => async () => {
    stopped = true;
    clearTimeout(retry);
    const client = current;
    current = undefined;
    await client?.end().catch(() => undefined);
  });
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without it the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** The server LISTEN connects to, when not `databaseUrl` (which then may be a pooler's address). */
  listenUrl?: string | undefined;
  /** Where PGlite keeps its files; undefined keeps it in memory. */
  pgliteDir?: string | undefined;
  poolSize?: number;
  /** PostgreSQL only: statements each connection keeps prepared (see prepared-statements.ts); 0 for none. */
  preparedStatementsPerConnection?: number;
  /** Told when an idle pooled connection dies (say, the server restarted); the pool replaces it. */
  onIdleConnectionError?: (error: Error) => void;
  /** PostgreSQL only: how long a request waits for a connection before it fails (503). */
  connectTimeoutMs?: number;
}

/**
 * pg waits for a connection without limit by default: against a server that accepts TCP but never
 * answers (a host stalled or cut off mid-failover), a request hung until the operating system gave
 * up on the socket, minutes later, instead of answering 503. Waiting this long for a free pooled
 * connection means the API is overloaded, which a 503 with Retry-After says as well.
 */
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

const PG_DATE_OID = 1082;
// DATE stays 'YYYY-MM-DD': pg's default turns it into a Date at local midnight, which shifts days.
pg.types.setTypeParser(PG_DATE_OID, (value: string) => value);
pg.types.setTypeParser(PG_TIMESTAMPTZ_OID, timestamptzToIso);

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  let pool: pg.Pool | PGlitePool;
  let kind: DatabaseKind;
  let listen: DatabaseHandle['listen'];
  if (options.databaseUrl) {
    const listenUrl = options.listenUrl ?? options.databaseUrl;
    listen = (channel, handlers) => listenOnPostgres(listenUrl, channel, handlers);
    const preparedStatements = options.preparedStatementsPerConnection ?? DEFAULT_PREPARED_STATEMENTS;
    const pgPool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(preparedStatements > 0 ? { Client: preparingClient(preparedStatements) } : {}),
    });
    // Without a listener, pg's 'error' event for an idle connection would end the process.
    pgPool.on('error', (error) => options.onIdleConnectionError?.(error));
    // pg-pool listens for a client's errors only while it is idle; a checked-out client (Kysely
    // holds one per query or transaction) whose server went away emitted 'error' to nobody, and
    // the process died (2 of 3 restarts under load). The query running on it rejects with the same
    // error, and the pool drops the client on release because it is no longer queryable, so
    // there is nothing left to do here.
    pgPool.on('connect', (client) => client.on('error', () => undefined));
    pool = pgPool;
    kind = 'postgres';
  } else {
    if (options.pgliteDir) mkdirSync(path.dirname(options.pgliteDir), { recursive: true });
    const pglite = await PGlitePool.open(options.pgliteDir);
    // One process, one connection: the listener never drops.
    listen = (channel, handlers) => pglite.listen(channel, handlers);
    pool = pglite;
    kind = 'pglite';
  }
  const db = new Kysely<Database>({
    // The PGlite pool implements the part of pg.Pool that the dialect uses.
    dialect: new PostgresDialect({ pool: pool as pg.Pool }),
  });
  return { db, kind, listen };
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
