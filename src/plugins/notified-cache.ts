import type { FastifyInstance } from 'fastify';

/** Requests that change nothing: the only ones a per-instance cache may answer or be kept by. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A per-instance cache that other instances' changes reach through database notifications. */
export interface NotifiedCache {
  /** Off while notifications may be missed: nothing is served from it or stored in it then. */
  setEnabled(enabled: boolean): void;
}

/**
 * Keeps an instance's cache in step with changes made anywhere:
 * - every notification on `channel` (sent by database triggers, whoever made the change) is handed
 *   to `evict`;
 * - while the LISTEN connection is down the cache is off, until it has reconnected;
 * - this instance's own writes evict their institution (`evictInstitution`) before the answer
 *   goes out, so its next request already sees them.
 * Used by the sign-in cache and the timetable cache.
 */
export async function keepInStep(
  app: FastifyInstance,
  options: {
    channel: string;
    cache: NotifiedCache;
    evict(payload: string): void;
    evictInstitution(schemaName: string): void;
    /** What is read uncached meanwhile, for the log. */
    what: string;
  },
): Promise<void> {
  const { cache } = options;
  const stopListening = await app.database.listen(options.channel, {
    message: options.evict,
    connected: () => cache.setEnabled(true),
    disconnected: (error) => {
      cache.setEnabled(false);
      app.log.warn({ err: error }, `lost the database notification listener; ${options.what} are read uncached until it is back`);
    },
  });
  app.addHook('onClose', () => stopListening().catch(() => undefined));
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.principal && !READ_METHODS.has(request.method)) options.evictInstitution(request.principal.institution.schemaName);
    done(null, payload);
  });
}
