import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PREPARED_STATEMENTS } from './db/prepared-statements.js';
import type { S3Settings } from './lib/storage/s3.js';

/** Every setting the server reads from the environment, parsed and defaulted in one place. */
export interface Config {
  nodeEnv: string;
  host: string;
  port: number;
  dataDir: string;
  /** The built web app (`npm run build:web` writes web/dist); served at / when it holds an index.html. */
  webDir: string;
  /** Empty means the embedded PGlite database under dataDir. */
  databaseUrl: string | undefined;
  /** Where the sign-in cache LISTENs; a pooler in transaction mode would drop notifications. */
  databaseListenUrl: string | undefined;
  databasePoolSize: number;
  /** Prepared statements kept per PostgreSQL connection; 0 turns auto-preparing off. */
  databasePreparedStatements: number;
  jwt: {
    secret: string;
    issuer: string;
    audience: string;
    expiresInSeconds: number;
  };
  corsOrigins: string[];
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  files: {
    /** Largest file POST /api/files takes, in bytes. */
    maxBytes: number;
    /** Most files one POST /api/files takes. */
    maxCount: number;
    /** A file nothing refers to is deleted once it is this old. */
    orphanTtlMs: number;
    /** How often each instance looks for such files; 0 turns the sweep off. */
    sweepIntervalMs: number;
  };
  storage: {
    driver: 'local' | 's3';
    s3: S3Settings;
  };
  realtime: {
    /** How often each live socket is pinged; one that has not answered the previous ping is closed. */
    heartbeatMs: number;
    /** A socket whose unsent frames pass this many bytes (a client that does not read) is cut off. */
    maxBufferedBytes: number;
    /** The largest frame a client may send; a larger one closes its socket (1009). */
    maxPayloadBytes: number;
    /** How long events stay readable for clients that reconnect. */
    eventRetentionMs: number;
    /** How often each instance deletes older events; 0 turns the sweep off. */
    sweepIntervalMs: number;
    /** While the notification listener is down, how often new events are looked for. */
    pollMs: number;
  };
  trustProxy: boolean;
  /** How long a signed-in account may be served from memory at most; 0 turns the cache off. */
  principalCacheTtlMs: number;
  /**
   * The nice value (0-19) of the timetable solver's thread on Linux: the solver only gets the CPU
   * time that requests leave over, so the API keeps its latency while a job runs.
   */
  timetableSolverNice: number;
  logLevel: string;
  rateLimit: {
    /** Requests per IP per window for the whole API. */
    apiMax: number;
    apiWindowMs: number;
    /** Login and setup attempts per IP per window. */
    authPerIpMax: number;
    /** Login attempts per username per window. */
    authPerUsernameMax: number;
    authWindowMs: number;
    /** Institutions one IP may create per window: each is a schema in the database. */
    signupPerIpMax: number;
    signupWindowMs: number;
  };
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/**
 * In development a generated secret is kept under DATA_DIR so tokens survive restarts; production
 * must be given one, because a secret on local disk does not work across several API instances.
 */
function jwtSecret(env: Env, nodeEnv: string, dataDir: string): string {
  const given = env.JWT_SECRET;
  if (given) {
    if (given.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
    return given;
  }
  if (nodeEnv === 'production') {
    throw new Error('JWT_SECRET is required when NODE_ENV=production');
  }
  const file = path.join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

function storageDriver(env: Env): 'local' | 's3' {
  const driver = env.STORAGE_DRIVER || 'local';
  if (driver !== 'local' && driver !== 's3') throw new Error(`STORAGE_DRIVER must be local or s3, got "${driver}"`);
  if (driver === 's3' && !env.S3_BUCKET) throw new Error('S3_BUCKET is required when STORAGE_DRIVER=s3');
  return driver;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  return {
    nodeEnv,
    host: env.HOST ?? '0.0.0.0',
    port: integer(env, 'PORT', 4000),
    dataDir,
    webDir: path.resolve(env.WEB_DIR ?? 'web/dist'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseListenUrl: env.DATABASE_LISTEN_URL || env.DATABASE_URL || undefined,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10),
    databasePreparedStatements: integer(env, 'DATABASE_PREPARED_STATEMENTS', DEFAULT_PREPARED_STATEMENTS),
    jwt: {
      secret: jwtSecret(env, nodeEnv, dataDir),
      issuer: env.JWT_ISSUER ?? 'smart-institutional-crm',
      audience: env.JWT_AUDIENCE ?? 'smart-institutional-crm',
      expiresInSeconds: integer(env, 'JWT_EXPIRES_IN_SECONDS', 8 * 60 * 60),
    },
    corsOrigins: (env.FRONTEND_URL ?? 'http://localhost:3000')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    uploadLimitBytes: integer(env, 'UPLOAD_LIMIT_BYTES', 10 * 1024 * 1024),
    files: {
      maxBytes: integer(env, 'FILE_MAX_BYTES', 10 * 1024 * 1024),
      maxCount: integer(env, 'FILES_MAX_COUNT', 5),
      orphanTtlMs: integer(env, 'FILE_ORPHAN_TTL_MS', 24 * 60 * 60_000),
      sweepIntervalMs: integer(env, 'FILE_SWEEP_INTERVAL_MS', 15 * 60_000),
    },
    storage: {
      driver: storageDriver(env),
      s3: {
        endpoint: env.S3_ENDPOINT || undefined,
        bucket: env.S3_BUCKET ?? '',
        region: env.S3_REGION || 'us-east-1',
        accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
        forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
      },
    },
    realtime: {
      heartbeatMs: integer(env, 'REALTIME_HEARTBEAT_MS', 30_000),
      maxBufferedBytes: integer(env, 'REALTIME_MAX_BUFFERED_BYTES', 1024 * 1024),
      maxPayloadBytes: integer(env, 'REALTIME_MAX_PAYLOAD_BYTES', 16 * 1024),
      eventRetentionMs: integer(env, 'REALTIME_EVENT_RETENTION_MS', 7 * 24 * 60 * 60_000),
      sweepIntervalMs: integer(env, 'REALTIME_SWEEP_INTERVAL_MS', 60 * 60_000),
      pollMs: integer(env, 'REALTIME_POLL_MS', 1000),
    },
    trustProxy: env.TRUST_PROXY === 'true',
    principalCacheTtlMs: integer(env, 'PRINCIPAL_CACHE_TTL_MS', 30_000),
    timetableSolverNice: Math.min(19, integer(env, 'TIMETABLE_SOLVER_NICE', 19)),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    rateLimit: {
      apiMax: integer(env, 'RATE_LIMIT_MAX', 1000),
      apiWindowMs: integer(env, 'RATE_LIMIT_WINDOW_MS', 60_000),
      // Generous: a whole school often signs in from one NAT address at the start of a lesson.
      authPerIpMax: integer(env, 'AUTH_RATE_LIMIT_PER_IP', 300),
      authPerUsernameMax: integer(env, 'AUTH_RATE_LIMIT_PER_USERNAME', 10),
      authWindowMs: integer(env, 'AUTH_RATE_LIMIT_WINDOW_MS', 15 * 60_000),
      signupPerIpMax: integer(env, 'SIGNUP_RATE_LIMIT_PER_IP', 10),
      signupWindowMs: integer(env, 'SIGNUP_RATE_LIMIT_WINDOW_MS', 60 * 60_000),
    },
  };
}
