import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tenantDb, type TenantDb, tenantSchemaName } from '../db/tenant-schema.js';
import { forbidden, unauthorized } from '../lib/errors.js';
import { createTokenService, type TokenClaims, type TokenService } from '../lib/tokens.js';
import { keepInStep, READ_METHODS } from './notified-cache.js';
import { PRINCIPAL_CHANNEL, PrincipalCache } from '../modules/auth/principal-cache.js';
import { findPrincipal, type Principal } from '../modules/auth/queries.js';

/**
 * Who may call a route. Every route declares one in `config.access`; a route without it fails at
 * start-up, so no route is left open by omission.
 *
 * Guardians (issue 11) are let in only where a route says so: `anyAccount` (every signed-in role)
 * or `guardianOnly`. `authenticated` means the school's own members (admins, teachers, students),
 * so a route written before the role, or without thinking of it, stays closed to guardians.
 */
export type Access = 'public' | 'authenticated' | 'anyAccount' | 'guardianOnly' | 'teacherOrAdmin' | 'adminOnly';

const ALLOWED_ROLES: Record<Exclude<Access, 'public'>, ReadonlySet<Principal['role']>> = {
  authenticated: new Set(['admin', 'teacher', 'student']),
  anyAccount: new Set(['admin', 'teacher', 'student', 'guardian']),
  guardianOnly: new Set(['guardian']),
  teacherOrAdmin: new Set(['admin', 'teacher']),
  adminOnly: new Set(['admin']),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    tokens: TokenService;
    principalCache: PrincipalCache;
  }
  interface FastifyRequest {
    /** Set on every route that is not public; absent (null) on public routes. */
    principal: Principal;
    /** The Kysely instance scoped to the caller's institution schema. */
    tenantDb: TenantDb;
  }
}

/**
 * The access token: `Authorization: Bearer <token>`, or for a WebSocket upgrade the subprotocols
 * `bearer, <token>` (browsers cannot set headers on a WebSocket, and a token in the URL would end
 * up in access logs).
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, token] = header.split(' ');
    return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
  }
  const protocols = request.headers['sec-websocket-protocol'];
  if (!protocols || request.headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  const [scheme, token, ...rest] = protocols.split(',').map((protocol) => protocol.trim());
  return scheme === 'bearer' && token && rest.length === 0 ? token : undefined;
}

/**
 * Whether a token still stands for its account. The token's version must match the account's:
 * logout, password change, deactivation and deletion change the account, and evict it from every
 * instance's cache, ending its tokens.
 */
export function sessionIsCurrent(claims: TokenClaims, principal: Principal | undefined): principal is Principal {
  return principal !== undefined && principal.isActive && principal.tokenVersion === claims.ver && principal.role === claims.role;
}

const PRINCIPAL_CACHE_MAX_ENTRIES = 50_000;

async function startPrincipalCache(app: FastifyInstance): Promise<PrincipalCache> {
  const cache = new PrincipalCache({ ttlMs: app.config.principalCacheTtlMs, maxEntries: PRINCIPAL_CACHE_MAX_ENTRIES });
  if (app.config.principalCacheTtlMs === 0) return cache;
  await keepInStep(app, {
    channel: PRINCIPAL_CHANNEL,
    cache,
    evict: (payload) => cache.evictByNotification(payload),
    evictInstitution: (schemaName) => cache.evict(schemaName),
    what: 'sign-ins',
  });
  return cache;
}

/**
 * Reads the account a token names from the database, storing it in the cache for read requests
 * (the ticket keeps a read that raced an eviction from storing what it read).
 */
async function readPrincipal(app: FastifyInstance, claims: TokenClaims, schemaName: string, cacheable: boolean) {
  const ticket = app.principalCache.ticket(schemaName);
  const principal = await findPrincipal(app.db, claims);
  if (principal && cacheable) app.principalCache.store(ticket, principal);
  return principal;
}

/** Lets the request through as `principal` (undefined), or returns why not. */
function admit(request: FastifyRequest, access: Exclude<Access, 'public'>, claims: TokenClaims, principal: Principal | undefined) {
  if (!sessionIsCurrent(claims, principal)) return unauthorized('Your session has ended; please sign in again');
  if (!ALLOWED_ROLES[access].has(principal.role)) return forbidden();
  request.principal = principal;
  return undefined;
}

async function authPlugin(app: FastifyInstance) {
  app.decorate('tokens', createTokenService(app.config.jwt));
  app.decorate('principalCache', await startPrincipalCache(app));
  app.decorateRequest('principal', null as unknown as Principal);
  // Built on use: most read requests answered from the cache never touch the tenant schema.
  app.decorateRequest('tenantDb', {
    getter(this: FastifyRequest): TenantDb {
      return tenantDb(app.db, this.principal.institution.schemaName);
    },
  });

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (!route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    }
  });

  // A callback-style hook: most requests are admitted from the cache without waiting for
  // anything, and an async hook would cost each of them a promise and a microtask. With the other
  // synchronous hooks and the verified-token cache this took /me from 0.47-0.53 of a bare route
  // to 0.51-0.57 in `npm run bench` on PostgreSQL.
  app.addHook('onRequest', (request, _reply, done) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return done();
    const token = bearerToken(request);
    const claims = token ? app.tokens.verify(token) : null;
    if (!claims) return done(unauthorized('A valid access token is required'));
    // Only read requests may be admitted from the cache: a request that changes something always
    // reads the account fresh, so a revoked token can never write even while a notification is in
    // flight.
    const schemaName = tenantSchemaName(claims.iid);
    const cacheable = READ_METHODS.has(request.method);
    const cached = cacheable ? app.principalCache.get(schemaName, claims.sub) : undefined;
    if (cached) return done(admit(request, access, claims, cached));
    readPrincipal(app, claims, schemaName, cacheable).then((principal) => done(admit(request, access, claims, principal)), done);
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['errors'] });
