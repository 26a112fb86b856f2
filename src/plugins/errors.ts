import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorDetail, isDatabaseUnavailable, isInvalidValue, isUniqueViolation } from '../lib/errors.js';

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

/** One place that decides what an error looks like on the wire: `{ code, message, details? }`. */
async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const details = validationDetails(error);
      const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
      return reply.code(400).send({ code: 'VALIDATION_ERROR', message: `Invalid request: ${summary}`, details });
    }
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply
        .code(error.statusCode)
        .send({ code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
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
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, wrong content type, rate limit).
      return reply.code(status).send({ code: error.code ?? 'BAD_REQUEST', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `Route ${request.method} ${request.url} not found` }),
  );
}

export default fp(errorsPlugin, { name: 'errors' });
