import compress from '@fastify/compress';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { countAttempt, deleteEndedAttemptCounters, readAttempts } from '../db/attempt-counters.js';
import { badRequest, tooManyRequests } from '../lib/errors.js';

/** Methods the API's routes use; a test checks that every route's method is here. */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Sign-in and sign-up attempts, counted in the database so that every API instance sees the same
 * counts: a lockout must hold whichever instance the load balancer sends the next guess to.
 * - Per IP, every sign-in and sign-up attempt counts (`perIp`, an onRequest hook for those routes),
 *   and institutions created count on a much lower limit of their own (`perIpSignups`): each one
 *   is a schema in the database.
 * - Failed password checks count under a key the caller chooses (the auth module's password guard
 *   decides whether that is the account or one trusted device of it).
 */
export interface AuthAttempts {
  perIp: onRequestAsyncHookHandler;
  perIpSignups: preHandlerAsyncHookHandler;
  /** Throws 429 (with Retry-After) while `key` has used up its failed attempts. */
  assertAllowed(key: string): Promise<void>;
  recordFailure(key: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    authAttempts: AuthAttempts;
  }
}

/** Ended counters are deleted this often by each instance. */
const ATTEMPT_COUNTER_SWEEP_MS = 60_000;

function retryAfterSeconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}

function authAttempts(app: FastifyInstance): AuthAttempts {
  const { authPerIpMax, authPerUsernameMax, authWindowMs, signupPerIpMax, signupWindowMs } = app.config.rateLimit;
  const sweep = setInterval(() => {
    deleteEndedAttemptCounters(app.db).catch((error: unknown) => app.log.warn({ err: error }, 'could not delete ended attempt counters'));
  }, ATTEMPT_COUNTER_SWEEP_MS).unref();
  app.addHook('onClose', (_app, done) => {
    clearInterval(sweep);
    done();
  });
  async function limit(key: string, max: number, windowMs: number) {
    const { count, ttlMs } = await countAttempt(app.db, key, windowMs);
    if (count > max) throw tooManyRequests(retryAfterSeconds(ttlMs));
  }
  return {
    perIp: (request) => limit(`ip:${request.routeOptions.url}:${request.ip}`, authPerIpMax, authWindowMs),
    // A preHandler: counted after validation (a sign-up refused as invalid costs nothing) and
    // before the institution is created, so parallel sign-ups cannot overshoot the limit.
    perIpSignups: (request) => limit(`signup:${request.ip}`, signupPerIpMax, signupWindowMs),
    async assertAllowed(key) {
      const { count, ttlMs } = await readAttempts(app.db, key);
      if (count >= authPerUsernameMax) throw tooManyRequests(retryAfterSeconds(ttlMs));
    },
    async recordFailure(key) {
      await countAttempt(app.db, key, authWindowMs);
    },
  };
}

/**
 * Helmet's default headers, worked out once. @fastify/helmet rebuilds helmet (parsing the CSP
 * directives) on every request, which halved a bare route's throughput in our benchmark; the
 * headers never change, so they are computed at start-up instead. The default CSP suits Swagger UI
 * at /docs and the web app at / alike: both load only same-origin scripts (Mantine's inline styles
 * are allowed by the default style-src). Without upgrade-insecure-requests: over plain HTTP on a
 * school's network (http://10.0.0.5:4000) it would send the app's script requests to https and
 * leave a blank page; deployments with TLS redirect and set HSTS instead.
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let done = false;
  // media-src blob:: voice messages play from a Blob fetched with the bearer token (an <audio src>
  // cannot send it); only the page's own scripts can create blob: URLs.
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, mediaSrc: ["'self'", 'blob:'] } } })({} as never, collector as never, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously; its headers cannot be precomputed');
  return headers;
}

async function securityPlugin(app: FastifyInstance) {
  const { config } = app;
  const securityHeaders = helmetHeaders();
  // Hooks with nothing to wait for take a callback: an async hook costs a promise and a
  // microtask on every request (see the auth plugin).
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  // A preflight must say where it comes from and what it wants; the CORS plugin would refuse one
  // that does not in plain text, outside the one error shape.
  app.addHook('onRequest', (request, _reply, done) => {
    const incomplete = request.method === 'OPTIONS' && (!request.headers.origin || !request.headers['access-control-request-method']);
    done(incomplete ? badRequest('A preflight request needs the Origin and Access-Control-Request-Method headers', undefined, 'BAD_REQUEST') : undefined);
  });
  await app.register(cors, {
    origin: config.corsOrigins,
    credentials: true,
    // Every method a route uses, and every request header the API reads: the plugin's default
    // (GET, HEAD, POST) made browsers refuse the web client's PATCH and DELETE requests.
    methods: CORS_METHODS,
    allowedHeaders: ['authorization', 'content-type', 'accept', 'accept-language'],
    exposedHeaders: ['retry-after', 'content-disposition'],
    maxAge: 600,
  });
  await app.register(compress, { threshold: 1024 });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.apiMax,
    timeWindow: config.rateLimit.apiWindowMs,
    errorResponseBuilder: (_request, context) => tooManyRequests(Math.ceil(context.ttl / 1000)),
    // Limit headers only on 429 answers: three more headers on every answer cost measurable
    // throughput, and a client only needs Retry-After once it is limited.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
  });

  app.decorate('authAttempts', authAttempts(app));
}

export default fp(securityPlugin, { name: 'security', dependencies: ['errors'] });
