import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { tenantDb, type TenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import { EVENT_BATCH, type EventRow, eventsAfter, latestCursor } from './queries.js';

/** What the hub hands events to: one open socket of one account. */
export interface Subscriber {
  readonly schemaName: string;
  readonly userId: string;
  deliver(event: EventRow): void;
}

interface Institution {
  db: TenantDb;
  members: Map<string, Set<Subscriber>>;
  /** Every event up to here has been read for the members of its time. */
  readUpTo: number;
  /** The highest cursor a notification named: everything up to it has committed. */
  notified: number;
  ready: Promise<void>;
  /** The read running now, if any; more are wanted when `again` is set. */
  pass: Promise<void> | undefined;
  busy: boolean;
  again: boolean;
}

/**
 * This instance's share of live delivery: which accounts have sockets here, per institution, and
 * one reader per institution that, when told of new events (a notification, a poll), reads the
 * events after the last it read for those accounts, from the database, and hands them out in
 * cursor order. Notifications carry cursors only; bodies never travel through NOTIFY.
 *
 * Event-writing transactions of an institution commit in cursor order (migration
 * 0010_realtime_events), so once a notification names cursor N, every event up to N is readable,
 * and a reader never needs to look below what it has read.
 */
export class EventHub {
  readonly #institutions = new Map<string, Institution>();
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly retryMs: number,
  ) {}

  /**
   * Starts handing the subscriber its account's events. Resolves once no read that began before
   * it joined is still running: a read after that includes it, and whatever a read before it
   * consumed had committed before the subscriber's own catch-up starts reading.
   */
  async join(subscriber: Subscriber): Promise<void> {
    let institution = this.#institutions.get(subscriber.schemaName);
    if (!institution) {
      const db = tenantDb(this.db, subscriber.schemaName);
      const created: Institution = { db, members: new Map(), readUpTo: 0, notified: 0, ready: Promise.resolve(), pass: undefined, busy: false, again: false };
      created.ready = latestCursor(db).then((cursor) => {
        created.readUpTo = Math.max(created.readUpTo, cursor);
      });
      this.#institutions.set(subscriber.schemaName, (institution = created));
    }
    let sockets = institution.members.get(subscriber.userId);
    if (!sockets) institution.members.set(subscriber.userId, (sockets = new Set()));
    sockets.add(subscriber);
    try {
      await institution.ready;
    } catch (error) {
      this.leave(subscriber);
      if (this.#institutions.get(subscriber.schemaName) === institution) this.#institutions.delete(subscriber.schemaName);
      throw error;
    }
    await institution.pass?.catch(() => undefined);
  }

  leave(subscriber: Subscriber): void {
    const institution = this.#institutions.get(subscriber.schemaName);
    const sockets = institution?.members.get(subscriber.userId);
    if (!institution || !sockets?.delete(subscriber)) return;
    if (sockets.size === 0) institution.members.delete(subscriber.userId);
    if (institution.members.size === 0) this.#institutions.delete(subscriber.schemaName);
  }

  /** Every subscriber of an institution, or of one account in it. */
  *subscribers(schemaName: string, userId?: string): Iterable<Subscriber> {
    const members = this.#institutions.get(schemaName)?.members;
    if (!members) return;
    if (userId !== undefined) yield* members.get(userId) ?? [];
    else for (const sockets of members.values()) yield* sockets;
  }

  /** A notification's payload: '<schema>:<cursor>'. Institutions without sockets here are ignored. */
  notified(payload: string): void {
    const [schemaName, cursor] = payload.split(':');
    const institution = schemaName ? this.#institutions.get(schemaName) : undefined;
    if (!institution) return;
    institution.notified = Math.max(institution.notified, Number(cursor) || 0);
    this.#read(schemaName!, institution);
  }

  /** Reads every institution's new events: after the listener was down, and while it is. */
  readAll(): void {
    for (const [schemaName, institution] of this.#institutions) this.#read(schemaName, institution);
  }

  close(): void {
    clearTimeout(this.#retry);
    this.#institutions.clear();
  }

  #read(schemaName: string, institution: Institution): void {
    if (institution.busy) {
      institution.again = true;
      return;
    }
    institution.busy = true;
    const run = async () => {
      try {
        await institution.ready;
        do {
          institution.again = false;
          institution.pass = this.#pass(institution);
          await institution.pass;
        } while (institution.again && this.#institutions.get(schemaName) === institution);
      } catch (error) {
        // Nothing is lost: the next read starts where this one could not.
        this.log.warn({ err: error }, 'reading live events failed; retrying');
        this.#retry ??= setTimeout(() => {
          this.#retry = undefined;
          this.readAll();
        }, this.retryMs).unref();
      } finally {
        institution.busy = false;
        institution.pass = undefined;
      }
    };
    void run();
  }

  async #pass(institution: Institution): Promise<void> {
    const notified = institution.notified;
    const userIds = [...institution.members.keys()];
    if (userIds.length === 0) return;
    const rows = await eventsAfter(institution.db, institution.readUpTo, userIds);
    for (const row of rows) {
      for (const subscriber of institution.members.get(row.userId) ?? []) subscriber.deliver(row);
    }
    const last = rows.at(-1)?.cursor ?? 0;
    if (rows.length === EVENT_BATCH) {
      institution.readUpTo = last;
      institution.again = true;
    } else {
      institution.readUpTo = Math.max(institution.readUpTo, last, notified);
    }
  }
}
