import { type Kysely, sql } from 'kysely';
import type { Database } from './types.js';

/** A counter's value within its current window, and how long that window still runs. */
export interface AttemptCount {
  count: number;
  ttlMs: number;
}

/** Milliseconds until the counter's window ends, as a number. */
const TTL_MS = sql<number>`ceil(extract(epoch from "windowEndsAt" - now()) * 1000)::float8`;

/**
 * Counts one attempt under `key`. The first attempt after a window ends starts a new window of
 * `windowMs`. One statement, so concurrent attempts on any instance never lose a count.
 */
export async function countAttempt(db: Kysely<Database>, key: string, windowMs: number): Promise<AttemptCount> {
  const { rows } = await sql<AttemptCount>`
    insert into registry."attemptCounters" as counter (key, count, "windowEndsAt")
    values (${key}, 1, now() + make_interval(secs => ${windowMs / 1000}))
    on conflict (key) do update set
      count = case when counter."windowEndsAt" <= now() then 1 else counter.count + 1 end,
      "windowEndsAt" = case when counter."windowEndsAt" <= now() then excluded."windowEndsAt" else counter."windowEndsAt" end
    returning count, ${TTL_MS} as "ttlMs"`.execute(db);
  return rows[0]!;
}

/** The count in the current window, without counting; zero once the window has ended. */
export async function readAttempts(db: Kysely<Database>, key: string): Promise<AttemptCount> {
  const row = await db
    .selectFrom('registry.attemptCounters')
    .select(['count', TTL_MS.as('ttlMs')])
    .where('key', '=', key)
    .where('windowEndsAt', '>', sql<string>`now()`)
    .executeTakeFirst();
  return row ?? { count: 0, ttlMs: 0 };
}

/** Counters whose window has ended only take space; a new attempt starts afresh anyway. */
export async function deleteEndedAttemptCounters(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('registry.attemptCounters').where('windowEndsAt', '<=', sql<string>`now()`).execute();
}
