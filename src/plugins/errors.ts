import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  AppError,
  codeForStatus,
  type ErrorDetail,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  isInvalidValue,
  isMissingRelation,
  isUniqueViolation,
} from '../lib/errors.js';
import { institutionExists } from '../modules/auth/queries.js';

function validationDetails(error: FastifyError): ErrorDetail[] {
  return (error.validation ?? []).map((issue) => {
    const missing = (issue.params as { missingProperty?: string }).missingProperty;
    const extra = (issue.params as { additionalProperty?: string }).additionalProperty;
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const field = [path, missing ?? extra].filter(Boolean).join('.') || error.validationContext || 'body';
    const message = extra ? 'is not an allowed field' : (issue.message ?? 'is invalid');
    return { field, message };
  });
}

/** Keys that would reach an object's prototype if a handler ever merged the body into an object. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first key of `value` that could poison a prototype (secure-json-parse's rule). */
function prototypeKeyPath(value: unknown, path: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const isPoison = key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'));
    if (isPoison) return [...path, key].join('.');
    const found = prototypeKeyPath(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The JSON body parser: malformed JSON and prototype keys are refused, each with its own
 * message. JSON.parse keeps `__proto__` as a plain own key, so it is safe to look for it after
 * parsing; bodies that cannot contain one (no such key text, no escapes) are not walked.
 */
export function parseJsonBody(body: string): unknown {
  if (body.length === 0) throw new AppError(400, 'INVALID_JSON', 'The request body is empty; send a JSON document or no content type');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AppError(400, 'INVALID_JSON', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  const mayHoldPrototypeKey = body.includes('\\u') || [...PROTOTYPE_KEYS].some((key) => body.includes(key));
  const key = mayHoldPrototypeKey ? prototypeKeyPath(value) : undefined;
  if (key) {
    throw new AppError(400, 'BAD_REQUEST', `The key "${key.split('.').at(-1)}" is not allowed in a request body`, [
      { field: key, message: 'is not an allowed key' },
    ]);
  }
  return value;
}

/**
 * Errors Fastify's router raises before any route runs (a URL it cannot decode, such as `/%`),
 * in the same shape as every other error (the `frameworkErrors` option).
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 400;
  const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid: it contains a malformed percent-encoding' : error.message;
  reply.code(status).send({ code: codeForStatus(status), message });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a 100 KB query string overflows
 * the header limit), answered in the same shape (the `clientErrorHandler` option).
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket) {
  // A reset connection has nobody left to answer (Node's own rule).
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers or URL are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request took too long to arrive']
        : [400, 'The request is not valid HTTP'];
  const body = JSON.stringify({ code: codeForStatus(status), message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** One place that decides what an error looks like on the wire: `{ code, message, details? }`. */
async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation) {
      const details = validationDetails(error);
      const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
      return reply.code(400).send({ code: 'VALIDATION_ERROR', message: `Invalid request: ${summary}`, details });
    }
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply
        .code(error.statusCode)
        .send({ ...error.context, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
    }
    if (isForeignKeyViolation(error)) {
      // A record was deleted or changed by another request between this one's checks and its write.
      return reply.code(409).send({ code: 'IN_USE', message: 'A record this change refers to was changed or removed meanwhile, or is still in use' });
    }
    if (isUniqueViolation(error)) {
      return reply.code(409).send({ code: 'CONFLICT', message: 'A record with these values already exists' });
    }
    if (isInvalidValue(error)) {
      // Schemas catch most bad values; this catches what only the database knows it cannot store
      // (a NUL character in text, the year 0), so such a request is a 400 and changes nothing.
      request.log.info({ err: error }, 'the database refused a value from the request');
      return reply.code(400).send({
        code: 'INVALID_VALUE',
        message: 'A value in the request cannot be stored: it is out of range or contains characters that are not allowed',
      });
    }
    if (isDatabaseUnavailable(error)) {
      // A restart or a dropped connection: the pool reconnects on the next request (a terminated
      // idle pool was serving again within 14 ms), so a client may retry after a second.
      request.log.warn({ err: error }, 'the database is unavailable');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; try again shortly' });
    }
    if (isMissingRelation(error) && request.principal && !(await institutionExists(app.db, request.principal.institution.id))) {
      // The institution was deleted while this request ran: its schema went with it. The token's
      // institution is gone, as the next request's authentication would find.
      return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Your institution has been deleted; this session has ended' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's and its plugins' own client errors (body too large, wrong content type, a file
      // over the upload limit) carry codes like FST_ERR_CTP_BODY_TOO_LARGE that are no part of
      // this API: the status alone decides the code clients see.
      return reply.code(status).send({ code: codeForStatus(status), message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' });
  });

  // Fastify's JSON parser answers a `__proto__` key as "not valid JSON", which sends a client
  // looking for a syntax error that is not there.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `Route ${request.method} ${request.url} not found` }),
  );
}

export default fp(errorsPlugin, { name: 'errors' });
