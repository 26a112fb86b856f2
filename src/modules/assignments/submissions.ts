import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.js';
import type { Principal } from '../auth/queries.js';
import { assertOwnUploads } from '../files/attachments.js';
import { authorizeAssignment, authorizeSubmission } from './policy.js';
import * as queries from './queries.js';
import type { GradeBody, ReassignBody, SubmitBody } from './schemas.js';
import type { Caller } from './service.js';

/** The student's submission to the assignment, locked for the rest of the transaction. */
function lockSubmission(db: TenantDb, assignmentId: string, studentId: string) {
  return db
    .selectFrom('submissions')
    .select(['id', 'status', 'version'])
    .where('assignmentId', '=', assignmentId)
    .where('studentId', '=', studentId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The student's submission to the assignment, locked for the rest of the transaction, created
 * (version 1) when there is none. Two first hand-ins racing: the second insert waits for the first
 * and then finds its row.
 */
async function claimSubmission(db: TenantDb, assignmentId: string, studentId: string, late: boolean) {
  const existing = await lockSubmission(db, assignmentId, studentId);
  if (existing) return { ...existing, isNew: false };
  const inserted = await db
    .insertInto('submissions')
    .values({ assignmentId, studentId, late })
    .onConflict((oc) => oc.columns(['assignmentId', 'studentId']).doNothing())
    .returning(['id', 'status', 'version'])
    .executeTakeFirst();
  if (inserted) return { ...inserted, isNew: true };
  const raced = await lockSubmission(db, assignmentId, studentId);
  if (!raced) throw conflict('The submission was changed meanwhile; try again');
  return { ...raced, isNew: false };
}

/**
 * A student hands in work: text, files or both. The first hand-in creates the submission, each
 * later one a new version (the earlier ones are kept) until it is graded (409 ALREADY_GRADED).
 * After the due date: 409 PAST_DUE, unless the assignment takes late work or the teacher handed
 * the submission back; such a version is marked late.
 *
 * The submission row is locked, so a grade and a resubmission never interleave: whichever comes
 * second sees the other (STALE or ALREADY_GRADED).
 */
export async function submit(caller: Caller, assignmentId: string, input: SubmitBody) {
  const { principal } = caller;
  const fileIds = input.fileIds ?? [];
  return caller.change(async ({ db, log }) => {
    const assignment = await authorizeAssignment(db, principal, 'submit', assignmentId, 'share');
    if (input.text === undefined && fileIds.length === 0) {
      throw badRequest('Send text, files or both', [{ field: 'body', message: 'must have text or at least one of fileIds' }]);
    }
    const late = assignment.pastDue;
    const submission = await claimSubmission(db, assignmentId, principal.id, late);
    if (submission.status === 'graded') {
      throw new AppError(409, 'ALREADY_GRADED', 'This submission has been graded; it cannot be changed any more');
    }
    // Work the teacher handed back may still come in after the due date, marked late.
    if (late && !assignment.allowLate && submission.status !== 'reassigned') {
      throw new AppError(409, 'PAST_DUE', 'The due date has passed and this assignment does not take late work');
    }
    await assertOwnUploads(db, principal.id, fileIds);
    const version = submission.isNew ? submission.version : submission.version + 1;
    if (!submission.isNew) {
      await db
        .updateTable('submissions')
        // The version row's submittedAt is the database's now() too: the two agree to the microsecond.
        .set({ status: 'submitted', version, late, submittedAt: sql<Date>`now()`, updatedAt: new Date() })
        .where('id', '=', submission.id)
        .execute();
    }
    const { id: versionId } = await db
      .insertInto('submissionVersions')
      .values({ submissionId: submission.id, version, text: input.text ?? null, late })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (fileIds.length > 0) await db.insertInto('submissionVersionFiles').values(fileIds.map((fileId) => ({ versionId, fileId }))).execute();
    await log({
      action: 'submit',
      targetType: 'submission',
      targetId: submission.id,
      targetName: assignment.title,
      details: { assignmentId, version, late, fileIds },
    });
    return queries.findSubmission(db, submission.id);
  });
}

export async function getSubmission(db: TenantDb, principal: Principal, id: string) {
  await authorizeSubmission(db, principal, 'read', id);
  return queries.findSubmission(db, id);
}

export async function listVersions(db: TenantDb, principal: Principal, id: string) {
  await authorizeSubmission(db, principal, 'read', id);
  return queries.submissionVersions(db, id);
}

/** One row per student the assignment is for: its teacher and admins. */
export async function roster(db: TenantDb, principal: Principal, assignmentId: string, page: { page: number; limit: number }) {
  await authorizeAssignment(db, principal, 'review', assignmentId);
  return queries.rosterPages(db, { assignmentId }, page);
}

/**
 * The submission for the assignment's teacher or an admin to grade or hand back, locked with its
 * assignment: the assignment first (shared), then the submission, the order hand-ins and deletes
 * take them in too, so they never wait on each other in a circle.
 */
async function lockForGrading(db: TenantDb, principal: Principal, id: string) {
  const submission = await authorizeSubmission(db, principal, 'grade', id);
  const assignment = await db.selectFrom('assignments').select(['title', 'maxPoints']).where('id', '=', submission.assignmentId).forShare().executeTakeFirst();
  const locked = await db.selectFrom('submissions').select(['status', 'version']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!assignment || !locked) throw notFound('Submission');
  return { ...submission, ...assignment, ...locked };
}

/**
 * Grades the version the teacher saw. A newer version handed in since: 409 STALE with the latest
 * `version`; a version that does not exist: 400. Points from 0 to the assignment's maxPoints
 * (read under a share lock, so maxPoints cannot drop meanwhile). A graded submission may be
 * graded again (a corrected grade).
 */
export async function grade(caller: Caller, id: string, input: GradeBody) {
  return caller.change(async ({ db, log }) => {
    const { maxPoints, ...submission } = await lockForGrading(db, caller.principal, id);
    if (input.version > submission.version) {
      throw badRequest(`Version ${input.version} does not exist; the latest is ${submission.version}`, [
        { field: 'version', message: `must be at most ${submission.version}` },
      ]);
    }
    if (input.version < submission.version) {
      throw new AppError(409, 'STALE', `The student has handed in version ${submission.version} since version ${input.version}; grade that one`, undefined, {
        version: submission.version,
      });
    }
    if (input.points > maxPoints) {
      throw badRequest(`points must be at most ${maxPoints}, the assignment's maxPoints`, [{ field: 'points', message: `must be <= ${maxPoints}` }]);
    }
    const accepted = input.accepted ?? true;
    await db
      .updateTable('submissions')
      .set({
        status: 'graded',
        points: input.points,
        feedback: input.feedback ?? null,
        accepted,
        gradedVersion: input.version,
        gradedBy: caller.principal.id,
        gradedAt: new Date(),
        updatedAt: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await log({
      action: 'grade',
      targetType: 'submission',
      targetId: id,
      targetName: submission.title,
      details: { assignmentId: submission.assignmentId, studentId: submission.studentId, version: input.version, points: input.points, accepted, regraded: submission.status === 'graded' },
    });
    return queries.findSubmission(db, id);
  });
}

/** Hands the submission back with feedback: the student may submit again; any grade is cleared. */
export async function reassign(caller: Caller, id: string, input: ReassignBody) {
  return caller.change(async ({ db, log }) => {
    const submission = await lockForGrading(db, caller.principal, id);
    if (submission.status === 'reassigned') throw conflict('This submission has already been handed back and not submitted again since');
    await db
      .updateTable('submissions')
      .set({ status: 'reassigned', points: null, accepted: null, gradedVersion: null, gradedBy: null, gradedAt: null, feedback: input.feedback, updatedAt: new Date() })
      .where('id', '=', id)
      .execute();
    await log({
      action: 'reassign',
      targetType: 'submission',
      targetId: id,
      targetName: submission.title,
      details: { assignmentId: submission.assignmentId, studentId: submission.studentId, version: submission.version, previousStatus: submission.status },
    });
    return queries.findSubmission(db, id);
  });
}
