import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tenantDb, type TenantDb } from '../db/tenant-schema.js';
import { forbidden, unauthorized } from '../lib/errors.js';
import { createTokenService, type TokenService } from '../lib/tokens.js';
import { findPrincipal, type Principal } from '../modules/auth/queries.js';

/**
 * Who may call a route. Every route declares one in `config.access`; a route without it fails at
 * start-up, so no route is left open by omission.
 */
export type Access = 'public' | 'authenticated' | 'teacherOrAdmin' | 'adminOnly';

const ALLOWED_ROLES: Record<Exclude<Access, 'public'>, ReadonlySet<Principal['role']>> = {
  authenticated: new Set(['admin', 'teacher', 'student']),
  teacherOrAdmin: new Set(['admin', 'teacher']),
  adminOnly: new Set(['admin']),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    tokens: TokenService;
  }
  interface FastifyRequest {
    /** Set on every route that is not public; absent (null) on public routes. */
    principal: Principal;
    /** The Kysely instance scoped to the caller's institution schema. */
    tenantDb: TenantDb;
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

async function authPlugin(app: FastifyInstance) {
  app.decorate('tokens', createTokenService(app.config.jwt));
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('tenantDb', null as unknown as TenantDb);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (!route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    const token = bearerToken(request);
    const claims = token ? app.tokens.verify(token) : null;
    if (!claims) throw unauthorized('A valid access token is required');
    const principal = await findPrincipal(app.db, claims);
    // Version and active flag are read fresh, so logout, password change, deactivation and
    // deletion end every existing token at once.
    if (!principal || !principal.isActive || principal.tokenVersion !== claims.ver || principal.role !== claims.role) {
      throw unauthorized('Your session has ended; please sign in again');
    }
    if (!ALLOWED_ROLES[access].has(principal.role)) throw forbidden();
    request.principal = principal;
    request.tenantDb = tenantDb(app.db, principal.institution.schemaName);
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['errors'] });
