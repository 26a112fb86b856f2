import type { FastifyInstance } from 'fastify';
import { type InstitutionCache, startInstitutionCache } from '../../plugins/notified-cache.js';

/** The channel the timetable triggers notify on (migration 0004_schedules_timetable_notifications). */
export const TIMETABLE_CHANNEL = 'crm_timetable_changed';

/**
 * What `GET /timetable/me` answers, per institution schema: each class's week as JSON text, each
 * teacher's, and which class each student is in. A week is read by every student of a class and
 * changes rarely, and a database round trip costs more than the rest of the request together.
 *
 * Correct by eviction (plugins/notified-cache.ts): this instance's writes, and database triggers
 * on everything a timetable shows, evict the institution. Any change to an institution evicts all
 * of it: timetables change a few times a day.
 */
export type TimetableCache = InstitutionCache<string>;

export function startTimetableCache(app: FastifyInstance): Promise<TimetableCache> {
  return startInstitutionCache(app, { channel: TIMETABLE_CHANNEL, what: 'timetables', maxWeight: 20_000, maxAgeMs: 10 * 60_000 });
}
