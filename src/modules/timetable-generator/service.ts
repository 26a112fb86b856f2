import type { FastifyRequest } from 'fastify';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, type ErrorDetail, isUniqueViolation, notFound } from '../../lib/errors.js';
import type { ChangeRunner } from '../../plugins/activity-log.js';
import { diagnose } from './diagnose.js';
import { failAbandoned, type JobRunner } from './jobs.js';
import { schoolProblem } from './problem-from-school.js';
import { inputHash, loadSchool } from './queries.js';
import type { Availability, GenerateBody } from './schemas.js';
import type { JobOptions } from './tables.js';

async function findTeacher(db: TenantDb, id: string) {
  const user = await db.selectFrom('users').select(['id', 'name', 'role']).where('id', '=', id).executeTakeFirst();
  if (!user) throw notFound('User');
  if (user.role !== 'teacher') throw badRequest('Availability is kept for teachers only', [{ field: 'id', message: `is a ${user.role}, not a teacher` }], 'NOT_A_TEACHER');
  return user;
}

export async function getAvailability(db: TenantDb, teacherId: string) {
  await findTeacher(db, teacherId);
  const row = await db
    .selectFrom('teacherAvailability')
    .select(['unavailable', 'maxPeriodsPerDay', 'maxPeriodsPerWeek', 'maxGapsPerDay'])
    .where('teacherId', '=', teacherId)
    .executeTakeFirst();
  return row ?? { unavailable: [], maxPeriodsPerDay: null, maxPeriodsPerWeek: null, maxGapsPerDay: null };
}

/** Replaces a teacher's availability; every period must be one of the bell schedule (400 naming each that is not). */
export function putAvailability(context: ChangeRunner, teacherId: string, input: Availability) {
  return context.change(async ({ db, log }) => {
    const teacher = await findTeacher(db, teacherId);
    const bell = await db.selectFrom('bellSchedule').select(['days', 'periods']).forKeyShare().executeTakeFirstOrThrow();
    const details: ErrorDetail[] = [];
    input.unavailable.forEach((slot, index) => {
      if (!bell.days.includes(slot.day)) details.push({ field: `unavailable.${index}.day`, message: `is not a working day (${bell.days.join(', ')})` });
      if (slot.period > bell.periods.length) details.push({ field: `unavailable.${index}.period`, message: `is not a period of the bell schedule (1-${bell.periods.length})` });
    });
    if (details.length > 0) throw badRequest('Invalid availability', details);
    const order = (s: { day: string; period: number }) => bell.days.indexOf(s.day as never) * 100 + s.period;
    const unavailable = [...new Map(input.unavailable.map((s) => [`${s.day} ${s.period}`, { day: s.day, period: s.period }])).values()].sort((a, b) => order(a) - order(b));
    const row = {
      unavailable: JSON.stringify(unavailable),
      maxPeriodsPerDay: input.maxPeriodsPerDay ?? null,
      maxPeriodsPerWeek: input.maxPeriodsPerWeek ?? null,
      maxGapsPerDay: input.maxGapsPerDay ?? null,
    };
    await db
      .insertInto('teacherAvailability')
      .values({ teacherId, ...row })
      .onConflict((oc) => oc.column('teacherId').doUpdateSet({ ...row, updatedAt: new Date() }))
      .execute();
    const { unavailable: _json, ...limits } = row;
    await log({ action: 'update', targetType: 'availability', targetId: teacherId, targetName: teacher.name, details: { unavailable: unavailable.length, ...limits } });
    return { unavailable, ...limits };
  });
}

type Requester = Pick<FastifyRequest, 'change' | 'tenantDb' | 'principal'>;

/**
 * Starts a generation: the classes' data is read, counted for impossibilities (422 UNSOLVABLE with
 * every reason), hashed, and the job row written; the search then runs in a worker thread.
 */
export async function startGeneration(request: Requester, runner: JobRunner, body: GenerateBody) {
  const db = request.tenantDb;
  const school = await loadSchool(db);
  const known = new Set(school.classes.map((c) => c.id));
  const details: ErrorDetail[] = [];
  body.classIds?.forEach((id, index) => {
    if (!known.has(id)) details.push({ field: `classIds.${index}`, message: 'is not a class of this institution' });
  });
  if (details.length > 0) throw badRequest('Unknown classes', details);
  const classIds = body.classIds ? [...new Set(body.classIds)] : school.classes.map((c) => c.id);
  const built = schoolProblem(school, classIds);
  const reasons = diagnose(school, built);
  if (reasons.length > 0) {
    throw new AppError(422, 'UNSOLVABLE', `No timetable can meet these requirements: ${reasons.join('; ')}`, undefined, { reasons });
  }
  const options: JobOptions = { timeLimitSeconds: body.timeLimitSeconds ?? 30, seed: body.seed ?? 1, keepExisting: true };
  await failAbandoned(db);
  let job: { id: string };
  try {
    job = await request.change(async ({ db: trx, log }) => {
      const created = await trx
        .insertInto('timetableJobs')
        .values({
          classIds,
          options: JSON.stringify(options),
          inputHash: inputHash(school),
          instanceId: runner.instanceId,
          heartbeatAt: new Date(),
          createdBy: request.principal.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await log({ action: 'generate', targetType: 'timetableJob', targetId: created.id, details: { classes: classIds.length, ...options } });
      return created;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const active = await db.selectFrom('timetableJobs').select('id').where('status', 'in', ['queued', 'running']).executeTakeFirst();
    throw new AppError(409, 'JOB_RUNNING', 'A timetable is already being generated for this institution; wait for it or cancel it', undefined, {
      job: { id: active?.id ?? null },
    });
  }
  runner.start(db.tenantSchema, job.id, built, options.timeLimitSeconds * 1000, options.seed);
  return { job: { id: job.id, status: 'queued' as const } };
}

export async function getJob(db: TenantDb, id: string) {
  await failAbandoned(db);
  const job = await db
    .selectFrom('timetableJobs')
    .select(['id', 'status', 'classIds', 'options', 'progress', 'result', 'error', 'createdAt', 'startedAt', 'finishedAt', 'appliedAt'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!job) throw notFound('Timetable job');
  const { result, ...rest } = job;
  return result ? { ...rest, result } : rest;
}

/** Cancels a queued or running job, whichever instance runs it: its next write finds it cancelled. */
export async function cancelJob(context: ChangeRunner, runner: JobRunner, id: string) {
  const cancelled = await context.change(async ({ db, log }) => {
    const job = await db.selectFrom('timetableJobs').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!job) throw notFound('Timetable job');
    if (job.status !== 'queued' && job.status !== 'running') {
      throw new AppError(409, 'JOB_FINISHED', `The job has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}`, undefined, { status: job.status });
    }
    await db.updateTable('timetableJobs').set({ status: 'cancelled', finishedAt: new Date() }).where('id', '=', id).execute();
    await log({ action: 'cancel', targetType: 'timetableJob', targetId: id });
    return job;
  });
  runner.terminate(cancelled.id);
  return { job: { id, status: 'cancelled' as const } };
}

const stale = () =>
  new AppError(409, 'STALE', 'Curricula, availability, the bell schedule or the lessons changed since this job started; generate again');

/**
 * Replaces the unpinned lessons of the job's classes with its result, in one transaction with its
 * log entry. The input is hashed again inside the transaction, with the bell schedule held as
 * lesson writes hold it: any change since the job started answers 409 STALE.
 */
export async function applyJob(request: Requester, id: string) {
  try {
    return await request.change(async ({ db, log }) => {
      const job = await db.selectFrom('timetableJobs').select(['id', 'status', 'classIds', 'result', 'inputHash']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!job) throw notFound('Timetable job');
      if (job.status !== 'succeeded' || !job.result) {
        throw new AppError(409, 'JOB_NOT_SUCCEEDED', `Only a finished job can be applied; this one is ${job.status}`, undefined, { status: job.status });
      }
      await db.selectFrom('bellSchedule').select('id').forKeyShare().executeTakeFirstOrThrow();
      if (inputHash(await loadSchool(db)) !== job.inputHash) throw stale();
      const removed = await db.deleteFrom('lessons').where('classId', 'in', job.classIds).where('pinned', '=', false).executeTakeFirst();
      const { lessons, unplaced } = job.result;
      if (lessons.length > 0) await db.insertInto('lessons').values(lessons.map((lesson) => ({ ...lesson, pinned: false }))).execute();
      await db.updateTable('timetableJobs').set({ appliedAt: new Date() }).where('id', '=', id).execute();
      const counts = { removed: Number(removed.numDeletedRows), created: lessons.length };
      await log({ action: 'apply', targetType: 'timetableJob', targetId: id, details: { classes: job.classIds.length, ...counts, unplaced: unplaced.length } });
      return counts;
    });
  } catch (error) {
    // A lesson written meanwhile that takes a slot of the result: the job no longer fits.
    if (isUniqueViolation(error)) throw stale();
    throw error;
  }
}
