import type { Principal } from './queries.js';

/** The channel the database triggers notify on (migrations 0002_principal_notifications). */
export const PRINCIPAL_CHANNEL = 'crm_principal_changed';

interface Entry {
  principal: Principal;
  expiresAt: number;
}

/** Taken before reading an account; storing with a stale ticket is a no-op. */
export interface CacheTicket {
  schemaName: string;
  epoch: number;
  generation: number;
}

/**
 * Signed-in accounts by institution schema and account id, so a read request need not query the
 * database to authenticate. Correctness rests on eviction, not on the TTL:
 * - database triggers NOTIFY every instance when an account or institution changes;
 * - while the LISTEN connection is down the cache is empty and unused;
 * - a read that raced an eviction cannot store what it read (tickets and generations);
 * - the TTL only bounds how long an entry lives if all of that somehow failed.
 */
export class PrincipalCache {
  readonly #byInstitution = new Map<string, Map<string, Entry>>();
  readonly #generations = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  #size = 0;
  #epoch = 0;
  #enabled = false;

  constructor(options: { ttlMs: number; maxEntries: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Called when the notification listener is (re)connected or lost. */
  setEnabled(enabled: boolean): void {
    this.clear();
    this.#enabled = enabled;
  }

  get(schemaName: string, accountId: string): Principal | undefined {
    if (!this.#enabled) return undefined;
    const entry = this.#byInstitution.get(schemaName)?.get(accountId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.evict(schemaName, accountId);
      return undefined;
    }
    return entry.principal;
  }

  ticket(schemaName: string): CacheTicket {
    return { schemaName, epoch: this.#epoch, generation: this.#generations.get(schemaName) ?? 0 };
  }

  store(ticket: CacheTicket, principal: Principal): void {
    const { schemaName } = ticket;
    const current = this.ticket(schemaName);
    if (!this.#enabled || current.epoch !== ticket.epoch || current.generation !== ticket.generation) return;
    if (this.#size >= this.#maxEntries) this.clear();
    let accounts = this.#byInstitution.get(schemaName);
    if (!accounts) this.#byInstitution.set(schemaName, (accounts = new Map()));
    if (!accounts.has(principal.id)) this.#size += 1;
    accounts.set(principal.id, { principal, expiresAt: Date.now() + this.#ttlMs });
  }

  /** Forgets one account, or with no id every account of the institution. */
  evict(schemaName: string, accountId?: string): void {
    this.#generations.set(schemaName, (this.#generations.get(schemaName) ?? 0) + 1);
    const accounts = this.#byInstitution.get(schemaName);
    if (!accounts) return;
    if (accountId === undefined) {
      this.#size -= accounts.size;
      this.#byInstitution.delete(schemaName);
    } else if (accounts.delete(accountId)) {
      this.#size -= 1;
    }
  }

  /** Applies a trigger's payload: '<schema>:<account id>' or '<schema>'. */
  evictByNotification(payload: string): void {
    const [schemaName, accountId] = payload.split(':');
    if (schemaName) this.evict(schemaName, accountId);
  }

  clear(): void {
    this.#epoch += 1;
    this.#byInstitution.clear();
    this.#generations.clear();
    this.#size = 0;
  }
}
