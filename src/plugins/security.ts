import compress from '@fastify/compress';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { tooManyRequests } from '../lib/errors.js';

/**
 * Failed sign-in attempts per account, whatever IP they come from, so one account's password
 * cannot be guessed by spreading attempts over many addresses. Only failures count: a teacher
 * signing in on several devices is never locked out.
 */
export interface AccountAttempts {
  /** Throws 429 (with Retry-After) while the account has used up its failed attempts. */
  assertAllowed(request: FastifyRequest, account: string): Promise<void>;
  recordFailure(request: FastifyRequest, account: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    accountAttempts: AccountAttempts;
  }
}

const ACCOUNT_KEY = Symbol('rate limit account key');
type KeyedRequest = FastifyRequest & { [ACCOUNT_KEY]?: string };

/**
 * Helmet's default headers, worked out once. @fastify/helmet rebuilds helmet (parsing the CSP
 * directives) on every request, which halved a bare route's throughput in our benchmark; the
 * headers never change, so they are computed at start-up instead. The default CSP suits Swagger UI
 * at /docs too: it loads only same-origin scripts.
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let done = false;
  helmet()({} as never, collector as never, () => (done = true));
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
  await app.register(cors, { origin: config.corsOrigins, credentials: true });
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

  const perAccount = app.createRateLimit({
    max: config.rateLimit.authPerUsernameMax,
    timeWindow: config.rateLimit.authWindowMs,
    keyGenerator: (request) => `account:${(request as KeyedRequest)[ACCOUNT_KEY]}`,
  });
  const check = (request: FastifyRequest, account: string, increment: boolean) => {
    (request as KeyedRequest)[ACCOUNT_KEY] = account.toLowerCase();
    return perAccount(request, { increment });
  };
  app.decorate('accountAttempts', {
    async assertAllowed(request, account) {
      const limit = await check(request, account, false);
      if (!limit.isAllowed && limit.remaining <= 0) {
        throw tooManyRequests(Math.max(1, Math.ceil(limit.ttl / 1000)));
      }
    },
    async recordFailure(request, account) {
      await check(request, account, true);
    },
  } satisfies AccountAttempts);
}

/** Route options for sign-in and sign-up: a tighter per-IP limit than the API as a whole. */
export function authRouteRateLimit(app: FastifyInstance) {
  return { max: app.config.rateLimit.authPerIpMax, timeWindow: app.config.rateLimit.authWindowMs };
}

export default fp(securityPlugin, { name: 'security', dependencies: ['errors'] });
