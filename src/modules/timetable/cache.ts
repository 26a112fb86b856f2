/** The channel the timetable triggers notify on (migration 0004_schedules_timetable_notifications). */
export const TIMETABLE_CHANNEL = 'crm_timetable_changed';

/** Taken before reading from the database; storing with a stale ticket is a no-op. */
export interface TimetableTicket {
  schemaName: string;
  epoch: number;
  generation: number;
}

interface School {
  /** Bumped by every eviction of the school, so reads that raced one cannot store. */
  generation: number;
  entries: Map<string, { value: string; expiresAt: number }>;
}

/**
 * What `GET /timetable/me` answers, per institution schema: each class's week as JSON text, each
 * teacher's, and which class each student is in. A week is read by every student of a class and
 * changes rarely, and a database round trip costs more than the rest of the request together.
 *
 * Correct by eviction, as the sign-in cache is (auth/principal-cache.ts): a write request evicts
 * its institution on this instance before its answer goes out; database triggers on everything a
 * timetable shows notify every instance; while the notification listener is down nothing is
 * cached. Any change to an institution evicts all of it: timetables change a few times a day.
 * The age limit only bounds an entry's life should all of that somehow fail.
 */
export class TimetableCache {
  readonly #schools = new Map<string, School>();
  #epoch = 0;
  #size = 0;
  #enabled = false;

  constructor(readonly options: { maxEntries: number; maxAgeMs: number }) {}

  /** Called when the notification listener is (re)connected or lost. */
  setEnabled(enabled: boolean): void {
    this.#epoch += 1;
    this.#schools.clear();
    this.#size = 0;
    this.#enabled = enabled;
  }

  get(schemaName: string, key: string): string | undefined {
    if (!this.#enabled) return undefined;
    const entry = this.#schools.get(schemaName)?.entries.get(key);
    return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
  }

  ticket(schemaName: string): TimetableTicket {
    return { schemaName, epoch: this.#epoch, generation: this.#schools.get(schemaName)?.generation ?? 0 };
  }

  store(ticket: TimetableTicket, key: string, value: string): void {
    const current = this.ticket(ticket.schemaName);
    if (!this.#enabled || current.epoch !== ticket.epoch || current.generation !== ticket.generation) return;
    if (this.#size >= this.options.maxEntries) this.setEnabled(true);
    let school = this.#schools.get(ticket.schemaName);
    if (!school) this.#schools.set(ticket.schemaName, (school = { generation: current.generation, entries: new Map() }));
    if (!school.entries.has(key)) this.#size += 1;
    school.entries.set(key, { value, expiresAt: Date.now() + this.options.maxAgeMs });
  }

  evict(schemaName: string): void {
    const school = this.#schools.get(schemaName);
    if (!school) {
      if (this.#enabled) this.#schools.set(schemaName, { generation: 1, entries: new Map() });
      return;
    }
    school.generation += 1;
    this.#size -= school.entries.size;
    school.entries.clear();
  }
}
