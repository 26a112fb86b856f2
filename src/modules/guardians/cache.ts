import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type InstitutionCache, startInstitutionCache } from '../../plugins/notified-cache.js';
import { childrenJson } from './queries.js';

/** The channel the children-list triggers notify on (migration 0017_guardian_children_cache_notifications). */
export const CHILDREN_CHANNEL = 'crm_guardian_children_changed';

/** Characters of answers held at most (each costs its length plus some bookkeeping), about 20 MB. */
const MAX_CHARS = 20_000_000;

/**
 * What `GET /guardians/me/children` answers, per institution schema and guardian: the JSON text.
 * A guardian's app opens on this list, and it changes with a link, an enrollment or a rename, which
 * are rare; reading it costs a statement over five tables, most of the request.
 *
 * Correct by eviction (plugins/notified-cache.ts): each answer carries the tags its triggers
 * notify (migration 0017): the guardian, each linked child (active or not), the children's classes
 * and their homeroom teachers. Any write request on this instance evicts its institution.
 */
export type ChildrenCache = InstitutionCache<string>;

export function startChildrenCache(app: FastifyInstance): Promise<ChildrenCache> {
  return startInstitutionCache(app, {
    channel: CHILDREN_CHANNEL,
    what: "guardians' children lists",
    maxWeight: MAX_CHARS,
    weigh: (json: string) => json.length + 200,
    maxAgeMs: 10 * 60_000,
  });
}

/** The signed-in guardian's children as one JSON array. */
export function cachedChildrenJson(cache: ChildrenCache, request: FastifyRequest): string | Promise<string> {
  const guardianId = request.principal.id;
  const ticket = cache.ticket(request.principal.institution.schemaName);
  return cache.cached(ticket, guardianId, async () => {
    const answer = await childrenJson(request.tenantDb, guardianId);
    return { value: answer.json, tags: [`user:${guardianId}`, ...answer.tags] };
  });
}
