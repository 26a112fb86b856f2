import compress from '@fastify/compress';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { countAttempt, deleteEndedAttemptCounters, readAttempts } from '../db/attempt-counters.js';
import { tooManyRequests } from '../lib/errors.js';

/**
 * Sign-in and sign-up attempts, counted in the database so that every API instance sees the same
 * counts: a lockout must hold whichever instance the load balancer sends the next guess to.
 * - Per account, only failures count, whatever IP they come from, so a password cannot be guessed
 *   by spreading attempts over many addresses, and a teacher signing in on several devices is
 *   never locked out.
 * - Per IP, every attempt counts (`perIp`, an onRequest hook for the sign-in and sign-up routes).
 */
export interface AuthAttempts {
  perIp: onRequestAsyncHookHandler;
  /** Throws 429 (with Retry-After) while the account has used up its failed attempts. */
  assertAllowed(account: string): Promise<void>;
  recordFailure(account: string): Promise<void>;
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
  const { authPerIpMax, authPerUsernameMax, authWindowMs } = app.config.rateLimit;
  const accountKey = (account: string) => `account:${account.toLowerCase()}`;
  const sweep = setInterval(() => {
    deleteEndedAttemptCounters(app.db).catch((error: unknown) => app.log.warn({ err: error }, 'could not delete ended attempt counters'));
  }, ATTEMPT_COUNTER_SWEEP_MS).unref();
  app.addHook('onClose', (_app, done) => {
    clearInterval(sweep);
    done();
  });
  return {
    async perIp(request) {
      const { count, ttlMs } = await countAttempt(app.db, `ip:${request.routeOptions.url}:${request.ip}`, authWindowMs);
      if (count > authPerIpMax) throw tooManyRequests(retryAfterSeconds(ttlMs));
    },
    async assertAllowed(account) {
      const { count, ttlMs } = await readAttempts(app.db, accountKey(account));
      if (count >= authPerUsernameMax) throw tooManyRequests(retryAfterSeconds(ttlMs));
    },
    async recordFailure(account) {
      await countAttempt(app.db, accountKey(account), authWindowMs);
    },
  };
}

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

  app.decorate('authAttempts', authAttempts(app));
}

export default fp(securityPlugin, { name: 'security', dependencies: ['errors'] });
