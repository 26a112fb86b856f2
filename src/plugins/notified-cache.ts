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
 * - this instance's own writes (any request but GET/HEAD/OPTIONS, and a GET that logged a change)
 *   evict their institution (`evictInstitution`) before the answer goes out, so its next request
 *   already sees them.
 * Used by the sign-in cache, the timetable cache and the my-assignments cache.
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
    if (request.principal && (!READ_METHODS.has(request.method) || request.loggedChange)) {
      options.evictInstitution(request.principal.institution.schemaName);
    }
    done(null, payload);
  });
}

/** Taken before reading from the database; storing with a stale ticket is a no-op. */
export interface CacheTicket {
  schemaName: string;
  epoch: number;
  generation: number;
}

/** What a read loaded: the value, and what may evict it before the age limit. */
export interface Loaded<V> {
  value: V;
  /** Evicted by a notification naming any of these (see `evictByNotification`). */
  tags?: readonly string[];
  /** When it stops being true by itself (ms since the epoch), e.g. at a due date. */
  expiresAt?: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  tags: readonly string[];
  weight: number;
}

interface Institution<V> {
  /** Bumped by every eviction in the institution, so reads that raced one cannot store. */
  generation: number;
  entries: Map<string, Entry<V>>;
  /** The keys of the entries stored with each tag. */
  byTag: Map<string, Set<string>>;
}

/**
 * Answers per institution schema and key, correct by eviction: a write request evicts its
 * institution on this instance before its answer goes out, database triggers notify every
 * instance of what changed (the whole institution, or entries by tag), and while the notification
 * listener is down nothing is cached. A read that raced an eviction cannot store what it read
 * (tickets). The age limit only bounds an entry's life should all of that somehow fail; an entry
 * that turns false at a known time (`expiresAt`) goes then. Once the entries weigh `maxWeight`
 * (each 1 unless `weigh` says otherwise), the cache starts afresh.
 * Used by the timetable cache and the my-assignments cache.
 */
export class InstitutionCache<V> implements NotifiedCache {
  readonly #institutions = new Map<string, Institution<V>>();
  #epoch = 0;
  #weight = 0;
  #enabled = false;

  constructor(readonly options: { maxWeight: number; maxAgeMs: number; weigh?: (value: V) => number }) {}

  /** Called when the notification listener is (re)connected or lost. */
  setEnabled(enabled: boolean): void {
    this.#epoch += 1;
    this.#institutions.clear();
    this.#weight = 0;
    this.#enabled = enabled;
  }

  get(schemaName: string, key: string): V | undefined {
    if (!this.#enabled) return undefined;
    const institution = this.#institutions.get(schemaName);
    const entry = institution?.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.#remove(institution!, key);
    return undefined;
  }

  ticket(schemaName: string): CacheTicket {
    return { schemaName, epoch: this.#epoch, generation: this.#institutions.get(schemaName)?.generation ?? 0 };
  }

  store(ticket: CacheTicket, key: string, loaded: Loaded<V>): void {
    const current = this.ticket(ticket.schemaName);
    if (!this.#enabled || current.epoch !== ticket.epoch || current.generation !== ticket.generation) return;
    const now = Date.now();
    const expiresAt = Math.min(now + this.options.maxAgeMs, loaded.expiresAt ?? Infinity);
    if (expiresAt <= now) return;
    const weight = this.options.weigh?.(loaded.value) ?? 1;
    if (this.#weight + weight > this.options.maxWeight) this.setEnabled(true);
    let institution = this.#institutions.get(ticket.schemaName);
    if (!institution) {
      institution = { generation: current.generation, entries: new Map(), byTag: new Map() };
      this.#institutions.set(ticket.schemaName, institution);
    }
    this.#remove(institution, key);
    const tags = loaded.tags ?? [];
    institution.entries.set(key, { value: loaded.value, expiresAt, tags, weight });
    this.#weight += weight;
    for (const tag of tags) {
      let keys = institution.byTag.get(tag);
      if (!keys) institution.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  /**
   * The value under `key`, else what `load` reads, stored unless an eviction came after `ticket`
   * (take it before the request's first read, so the values a request combines agree).
   */
  cached(ticket: CacheTicket, key: string, load: () => Promise<Loaded<V>>): V | Promise<V> {
    const hit = this.get(ticket.schemaName, key);
    if (hit !== undefined) return hit;
    return load().then((loaded) => {
      this.store(ticket, key, loaded);
      return loaded.value;
    });
  }

  /** Forgets the entries stored with any of `tags`; with no tags, every entry of the institution. */
  evict(schemaName: string, tags?: readonly string[]): void {
    const institution = this.#institutions.get(schemaName);
    if (!institution) {
      if (this.#enabled) this.#institutions.set(schemaName, { generation: 1, entries: new Map(), byTag: new Map() });
      return;
    }
    institution.generation += 1;
    if (tags === undefined) {
      for (const entry of institution.entries.values()) this.#weight -= entry.weight;
      institution.entries.clear();
      institution.byTag.clear();
      return;
    }
    for (const tag of tags) {
      for (const key of institution.byTag.get(tag) ?? []) this.#remove(institution, key);
    }
  }

  /** Applies a trigger's payload: '<schema>' evicts the institution, '<schema> <tag> <tag>…' those tags. */
  evictByNotification(payload: string): void {
    const [schemaName, ...tags] = payload.split(' ');
    if (schemaName) this.evict(schemaName, tags.length > 0 ? tags : undefined);
  }

  #remove(institution: Institution<V>, key: string): void {
    const entry = institution.entries.get(key);
    if (!entry) return;
    institution.entries.delete(key);
    this.#weight -= entry.weight;
    for (const tag of entry.tags) {
      const keys = institution.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) institution.byTag.delete(tag);
    }
  }
}

/** An `InstitutionCache` kept in step by `keepInStep` on `channel`, for one feature's answers. */
export async function startInstitutionCache<V>(
  app: FastifyInstance,
  options: { channel: string; what: string } & InstitutionCache<V>['options'],
): Promise<InstitutionCache<V>> {
  const { channel, what, ...limits } = options;
  const cache = new InstitutionCache<V>(limits);
  await keepInStep(app, {
    channel,
    cache,
    evict: (payload) => cache.evictByNotification(payload),
    evictInstitution: (schemaName) => cache.evict(schemaName),
    what,
  });
  return cache;
}
