import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from '../../lib/errors.js';
import { type InstitutionCache, startInstitutionCache } from '../../plugins/notified-cache.js';
import * as queries from './queries.js';

/** The channel the my-assignments triggers notify on (migration 0008_assignments_cache_notifications). */
export const MY_ASSIGNMENTS_CHANNEL = 'crm_my_assignments_changed';

/** Characters of answers held at most (each costs its length plus some bookkeeping), about 100 MB. */
const MAX_CHARS = 100_000_000;

/**
 * What `GET /assignments/my-assignments` answers, per institution schema and caller: the JSON
 * text. Writing 200 assignments as JSON costs PostgreSQL far more than the rest of the request,
 * and a student reads the list far more often than anything in it changes.
 *
 * Correct by eviction (plugins/notified-cache.ts). Each answer is stored with tags naming what can
 * change it, and the triggers of migration 0008 notify those tags:
 * - `user:<id>`, its owner: a student's own submissions and enrollments; a teacher's own
 *   assignments, their classes, and the submissions to them;
 * - `class:<id>` for each class it depends on: a student's classes (assignments set for them or
 *   changed), a teacher's assignments' classes (enrollments there change the counts).
 * Renames of teachers, subjects and classes evict the institution, as does any write request on
 * this instance. A status turns from pending to missing (and a count of missing grows) at a due
 * date without any write: an answer is kept only until the earliest due date still ahead in it.
 */
export type MyAssignmentsCache = InstitutionCache<string>;

export function startMyAssignmentsCache(app: FastifyInstance): Promise<MyAssignmentsCache> {
  return startInstitutionCache(app, {
    channel: MY_ASSIGNMENTS_CHANNEL,
    what: 'my-assignments answers',
    maxWeight: MAX_CHARS,
    weigh: (json: string) => json.length + 200,
    maxAgeMs: 10 * 60_000,
  });
}

/** The caller's assignments as one JSON array: a student's with their standing, a teacher's with counts. Admins: 403. */
export function myAssignmentsJson(cache: MyAssignmentsCache, request: FastifyRequest): string | Promise<string> {
  const { principal } = request;
  if (principal.role === 'admin') throw forbidden('Admins have no assignments of their own; list /api/assignments instead');
  if (principal.role === 'student') return studentAssignmentsJson(cache, request, principal.id);
  if (principal.role !== 'teacher') throw forbidden();
  return cachedAnswer(cache, request, principal.id, (db) => queries.teacherAssignmentsJson(db, { teacherId: principal.id }));
}

/**
 * A student's assignments with their standing, whoever reads them (the student, or after the
 * caller's authorization their guardian or teacher): one cached answer per student.
 */
export function studentAssignmentsJson(cache: MyAssignmentsCache, request: FastifyRequest, studentId: string): string | Promise<string> {
  return cachedAnswer(cache, request, studentId, (db) => queries.studentAssignmentsJson(db, { studentId }));
}

function cachedAnswer(cache: MyAssignmentsCache, request: FastifyRequest, ownerId: string, read: (db: FastifyRequest['tenantDb']) => Promise<queries.MyAssignmentsRow>) {
  // The schema from the principal: building the tenant's Kysely instance is left to a miss.
  const ticket = cache.ticket(request.principal.institution.schemaName);
  return cache.cached(ticket, ownerId, async () => {
    const answer = await read(request.tenantDb);
    const classTags = answer.classIds ? answer.classIds.split(',').map((classId) => `class:${classId}`) : [];
    return { value: answer.items, tags: [`user:${ownerId}`, ...classTags], expiresAt: answer.validUntil ?? undefined };
  });
}
