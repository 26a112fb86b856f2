import { type Kysely, sql } from 'kysely';

/**
 * Sign-in and sign-up attempt counters, shared by every API instance: an account's lockout after
 * failed sign-ins must hold whichever instance the load balancer picks for the next guess.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "attemptCounters" (
      key text primary key,
      count integer not null,
      "windowEndsAt" timestamptz not null
    );
    create index attempt_counters_window_idx on "attemptCounters" ("windowEndsAt");
  `.execute(db);
}
