import { Type, type Static } from 'typebox';

export const ErrorDetail = Type.Object({
  field: Type.String(),
  message: Type.String(),
  row: Type.Optional(Type.Integer({ description: 'CSV line number as a spreadsheet shows it: the header is row 1' })),
});

/** The one shape every 4xx and 5xx answer has. */
/**
 * The one shape every 4xx and 5xx answer has. Some codes add facts a client acts on next to the
 * message (IN_USE its `references`, SCHEDULE_CONFLICT its `conflicts`, CLASS_FULL the seats):
 * those are documented with the code and carried by `AppError.context`.
 */
export const ErrorResponse = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(ErrorDetail)),
  },
  { $id: 'ErrorResponse', additionalProperties: true },
);

export type ErrorDetail = Static<typeof ErrorDetail>;

/** An expected failure with its HTTP status; the error handler turns it into an ErrorResponse. */
export class AppError extends Error {
  /** Sent as the Retry-After header (429 answers). */
  retryAfterSeconds?: number;

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Facts sent next to code and message, such as `{ references: { lessons: 12 } }`. */
    readonly context?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: ErrorDetail[], code = 'VALIDATION_ERROR') =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'Authentication required') => new AppError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = 'You do not have permission to do this') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new AppError(409, 'CONFLICT', message);

/** Codes for statuses that Fastify, its plugins or Node's HTTP parser decide on. */
const CODE_FOR_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

export function codeForStatus(status: number): string {
  return CODE_FOR_STATUS[status] ?? 'BAD_REQUEST';
}

export function tooManyRequests(retryAfterSeconds: number): AppError {
  const error = new AppError(429, 'RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} seconds`);
  error.retryAfterSeconds = retryAfterSeconds;
  return error;
}

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';

/** A row was written pointing at one that is gone, or a row still pointed at was deleted. */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === PG_FOREIGN_KEY_VIOLATION;
}

/** SQLSTATE class 22, "data exception": a value PostgreSQL cannot take (NUL in text, year 0, overflow). */
const PG_DATA_EXCEPTION_CLASS = '22';

/** undefined_table and invalid_schema_name: what a query meets once its tenant schema is dropped. */
const PG_MISSING_RELATION = new Set(['42P01', '3F000']);

export function isMissingRelation(error: unknown): boolean {
  return PG_MISSING_RELATION.has((error as { code?: unknown })?.code as string);
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === PG_UNIQUE_VIOLATION;
}

/** The request carried a value the database refused as such, so it is the request's fault (400). */
export function isInvalidValue(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.length === 5 && code.startsWith(PG_DATA_EXCEPTION_CLASS);
}

/** SQLSTATE class 08, "connection exception". */
const PG_CONNECTION_EXCEPTION_CLASS = '08';
const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: a restart, a fast shutdown or pg_terminate_backend
  '57P02', // crash_shutdown: another backend crashed and the server is resetting
  '57P03', // cannot_connect_now: the server is starting up or shutting down
  '53300', // too_many_connections
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);
/** What the drivers say when a connection is gone without a SQLSTATE (pg, PGlite, Kysely shutting down). */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'PGlite is closed',
  'driver has already been destroyed',
];

/**
 * The database could not be reached or dropped the connection: nothing is wrong with the request,
 * and the same request can succeed once the server is back (503 with Retry-After, not a 500).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || (code.length === 5 && code.startsWith(PG_CONNECTION_EXCEPTION_CLASS)))) {
    return true;
  }
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.startsWith(known));
}
