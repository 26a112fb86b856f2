import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonPageBody } from '../../db/json-page.js';
import { type InstitutionCache, startInstitutionCache } from '../../plugins/notified-cache.js';
import * as queries from './queries.js';

/** The channel the conversation triggers notify on (migration 0016_conversations_cache_bell_schedule_events). */
export const CONVERSATIONS_CHANNEL = 'crm_conversations_changed';

/** Characters of answers held at most (each costs its length plus some bookkeeping), about 50 MB. */
const MAX_CHARS = 50_000_000;

/**
 * What `GET /conversations` (per caller and page) and `GET /messages/unread-count` (per caller)
 * answer, per institution schema: the JSON text. Writing a page of conversations as JSON, each
 * with its last message and partner, costs PostgreSQL far more than the rest of the request, and
 * a client reads its list far more often than its messages change.
 *
 * Correct by eviction (plugins/notified-cache.ts). Each answer is stored with tags naming what can
 * change it, and the triggers of migration 0016 notify those tags:
 * - `user:<id>`, its owner: their summary rows (a message to or from them, a read mark, a recount)
 *   and their messages' read marks and deletions;
 * - `partner:<id>` for each partner on a page: that account renamed, changing role or deleted.
 * Any write request on this instance evicts its institution here, so a sender's next read on the
 * same instance already shows the message.
 */
export type ConversationsCache = InstitutionCache<string>;

export function startConversationsCache(app: FastifyInstance): Promise<ConversationsCache> {
  return startInstitutionCache(app, {
    channel: CONVERSATIONS_CHANNEL,
    what: 'conversation lists and unread counts',
    maxWeight: MAX_CHARS,
    weigh: (json: string) => json.length + 200,
    maxAgeMs: 10 * 60_000,
  });
}

/** One page of the caller's conversations, as the whole JSON body (`ConversationList`). */
export function conversationListJson(cache: ConversationsCache, request: FastifyRequest, page: { page: number; limit: number }): string | Promise<string> {
  const { principal } = request;
  // The schema from the principal: building the tenant's Kysely instance is left to a miss.
  const ticket = cache.ticket(principal.institution.schemaName);
  return cache.cached(ticket, `${principal.id} conversations ${page.page} ${page.limit}`, async () => {
    const found = await queries.conversationPages(request.tenantDb, { userId: principal.id }, page);
    const partners = (JSON.parse(found.itemsJson) as { partner: { id: string } }[]).map((row) => `partner:${row.partner.id}`);
    return { value: jsonPageBody(found, page), tags: [`user:${principal.id}`, ...partners] };
  });
}

/** The caller's unread count over all conversations, as the whole JSON body (`UnreadCount`). */
export function unreadCountJson(cache: ConversationsCache, request: FastifyRequest): string | Promise<string> {
  const { principal } = request;
  const ticket = cache.ticket(principal.institution.schemaName);
  return cache.cached(ticket, `${principal.id} unread`, async () => ({
    value: JSON.stringify({ unreadCount: await queries.unreadTotal(request.tenantDb, principal.id) }),
    tags: [`user:${principal.id}`],
  }));
}
