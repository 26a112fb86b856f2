import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, conflict, type ErrorDetail, forbidden, notFound } from '../../lib/errors.js';
import { trimmedText } from '../../lib/record-fields.js';
import type { Principal } from '../auth/queries.js';
import { assertActiveTeachers } from '../classes/teachers.js';
import { assertOwnUploads, deleteFilesIfUnreferenced, removeStoredFiles } from '../files/attachments.js';
import { uploadFiles } from '../files/service.js';
import { authorizeAssignment, classWorkPolicy, teachesClass } from './policy.js';
import * as queries from './queries.js';
import type { CreateAssignmentBody, ListAssignmentsQuery, UpdateAssignmentBody } from './schemas.js';

/** At most this many files hang off one assignment, as off one submission version. */
export const MAX_FILES = 5;

/** What a service needs of the request: its change runner, its caller, and the file storage. */
export type Caller = Pick<FastifyRequest, 'change' | 'principal' | 'server' | 'log'>;

/** Removes the bytes of files whose rows a committed change deleted (files/attachments.ts). */
export function removeFiles(caller: Caller, fileIds: string[]): Promise<void> {
  return removeStoredFiles(caller.server.fileStorage, caller.principal.institution.id, fileIds, caller.log);
}

async function detail(db: TenantDb, id: string) {
  const found = await queries.findAssignment(db, id);
  if (!found) throw notFound('Assignment');
  return found;
}

export async function getAssignment(db: TenantDb, principal: Principal, id: string) {
  await authorizeAssignment(db, principal, 'read', id);
  return detail(db, id);
}

export function listAssignments(db: TenantDb, principal: Principal, query: ListAssignmentsQuery) {
  return queries.listAssignments(db, query, principal.role === 'student' ? principal.id : undefined);
}

/** Where a due date in the request is not in the future. */
function dueAtDetails(dueAt: string | undefined): ErrorDetail[] {
  return dueAt !== undefined && Date.parse(dueAt) <= Date.now() ? [{ field: 'dueAt', message: 'must be in the future' }] : [];
}

/**
 * Checks the classes and subject a request names, all at once: unknown ids are a 400 naming each
 * field; a teacher may only add classes they teach (403 naming them). `added` are the classes new
 * to the assignment (all of them when creating).
 */
async function checkReferences(
  db: TenantDb,
  principal: Principal,
  input: { classIds?: string[] | undefined; subjectId?: string | null | undefined; dueAt?: string | undefined },
  added: Set<string>,
): Promise<void> {
  const details = dueAtDetails(input.dueAt);
  const classIds = input.classIds ?? [];
  const teaches = principal.role === 'teacher' ? teachesClass(principal.id, sql.ref('classes.id')) : sql<boolean>`true`;
  const classes =
    classIds.length === 0
      ? []
      : await db
          .selectFrom('classes')
          .select(['id', 'name', sql<boolean>`(${teaches})`.as('teaches')])
          .where('id', 'in', classIds)
          .execute();
  const byId = new Map(classes.map((row) => [row.id, row]));
  classIds.forEach((id, index) => {
    if (!byId.has(id)) details.push({ field: `classIds.${index}`, message: `no class ${id} in this institution` });
  });
  if (input.subjectId) {
    const subject = await db.selectFrom('subjects').select('id').where('id', '=', input.subjectId).executeTakeFirst();
    if (!subject) details.push({ field: 'subjectId', message: `no subject ${input.subjectId} in this institution` });
  }
  if (details.length > 0) throw badRequest(`Invalid request: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);

  const untaught: ErrorDetail[] = [];
  classIds.forEach((id, index) => {
    const klass = byId.get(id)!;
    if (added.has(id) && !classWorkPolicy.can(principal, 'assign', { teaches: klass.teaches === true })) {
      untaught.push({ field: `classIds.${index}`, message: `you do not teach ${klass.name}` });
    }
  });
  if (untaught.length > 0) {
    throw new AppError(403, 'FORBIDDEN', 'Teachers set work only for the classes they teach or lead', untaught);
  }
}

async function attach(db: TenantDb, assignmentId: string, fileIds: string[]) {
  if (fileIds.length > 0) await db.insertInto('assignmentFiles').values(fileIds.map((fileId) => ({ assignmentId, fileId }))).execute();
}

/**
 * The teacher an assignment belongs to: a teacher sets work in their own name only (403 for
 * another id); an admin, who is no user of the institution, names an active teacher (400 when not).
 */
async function owningTeacher(db: TenantDb, principal: Principal, teacherId: string | undefined, required: boolean): Promise<string | undefined> {
  if (principal.role === 'teacher') {
    if (teacherId !== undefined && teacherId !== principal.id) throw forbidden('Teachers set work in their own name only');
    return required ? principal.id : undefined;
  }
  if (teacherId === undefined) {
    if (required) throw badRequest('Admins name the teacher the assignment belongs to', [{ field: 'teacherId', message: 'is required when an admin sets work' }]);
    return undefined;
  }
  await assertActiveTeachers(db, [{ field: 'teacherId', id: teacherId }]);
  return teacherId;
}

export async function createAssignment(caller: Caller, body: CreateAssignmentBody) {
  const { principal } = caller;
  const input = trimmedText(body, ['title']);
  const { title } = input;
  return caller.change(async ({ db, log }) => {
    const teacherId = (await owningTeacher(db, principal, input.teacherId, true))!;
    await checkReferences(db, principal, input, new Set(input.classIds));
    const fileIds = input.fileIds ?? [];
    await assertOwnUploads(db, principal.id, fileIds);
    const { id } = await db
      .insertInto('assignments')
      .values({
        title,
        description: input.description ?? null,
        subjectId: input.subjectId ?? null,
        teacherId,
        dueAt: new Date(input.dueAt),
        ...(input.maxPoints !== undefined ? { maxPoints: input.maxPoints } : {}),
        ...(input.allowLate !== undefined ? { allowLate: input.allowLate } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('assignmentClasses').values(input.classIds.map((classId) => ({ assignmentId: id, classId }))).execute();
    await attach(db, id, fileIds);
    const created = await detail(db, id);
    await log({
      action: 'create',
      targetType: 'assignment',
      targetId: id,
      targetName: title,
      details: { teacherId, classIds: input.classIds, subjectId: created.subject?.id ?? null, dueAt: created.dueAt, maxPoints: created.maxPoints, allowLate: created.allowLate, fileIds },
    });
    return created;
  });
}

/**
 * Changes an assignment: its teacher (while they teach one of its classes) or an admin. New classes
 * must be ones the caller teaches; maxPoints cannot go below points already given (409); `fileIds`
 * is the new set of files, and files it drops that nothing else holds are deleted.
 */
export async function updateAssignment(caller: Caller, id: string, body: UpdateAssignmentBody) {
  const { principal } = caller;
  const input = trimmedText(body, ['title']);
  const { assignment, removedFiles } = await caller.change(async ({ db, log }) => {
    const current = await authorizeAssignment(db, principal, 'change', id, 'update');
    const teacherId = await owningTeacher(db, principal, input.teacherId, false);
    const currentClasses = new Set((await db.selectFrom('assignmentClasses').select('classId').where('assignmentId', '=', id).execute()).map((row) => row.classId));
    const classIds = input.classIds;
    await checkReferences(db, principal, input, new Set(classIds?.filter((classId) => !currentClasses.has(classId))));

    if (input.maxPoints !== undefined) {
      const highest = await db.selectFrom('submissions').select((eb) => eb.fn.max('points').as('points')).where('assignmentId', '=', id).executeTakeFirst();
      if (highest?.points != null && highest.points > input.maxPoints) {
        throw conflict(`A submission has been given ${highest.points} points; maxPoints cannot be lower than that`);
      }
    }

    if (classIds) {
      const dropped = [...currentClasses].filter((classId) => !classIds.includes(classId));
      if (dropped.length > 0) await db.deleteFrom('assignmentClasses').where('assignmentId', '=', id).where('classId', 'in', dropped).execute();
      const added = classIds.filter((classId) => !currentClasses.has(classId));
      if (added.length > 0) await db.insertInto('assignmentClasses').values(added.map((classId) => ({ assignmentId: id, classId }))).execute();
    }

    let removedFiles: string[] = [];
    if (input.fileIds) {
      const currentFiles = new Set(await queries.attachedFiles(db, id));
      const kept = new Set(input.fileIds);
      await assertOwnUploads(db, principal.id, input.fileIds.filter((fileId) => !currentFiles.has(fileId)));
      const dropped = [...currentFiles].filter((fileId) => !kept.has(fileId));
      if (dropped.length > 0) await db.deleteFrom('assignmentFiles').where('assignmentId', '=', id).where('fileId', 'in', dropped).execute();
      await attach(db, id, input.fileIds.filter((fileId) => !currentFiles.has(fileId)));
      removedFiles = await deleteFilesIfUnreferenced(db, dropped);
    }

    const { fileIds: _files, classIds: _classes, teacherId: _teacher, dueAt, ...columns } = input;
    await db
      .updateTable('assignments')
      .set({ ...columns, ...(dueAt !== undefined ? { dueAt: new Date(dueAt) } : {}), ...(teacherId ? { teacherId } : {}), updatedAt: new Date() })
      .where('id', '=', id)
      .execute();
    const assignment = await detail(db, id);
    await log({
      action: 'update',
      targetType: 'assignment',
      targetId: id,
      targetName: assignment.title,
      details: { fields: Object.keys(input), ...input, previousTitle: current.title, deletedFileIds: removedFiles },
    });
    return { assignment, removedFiles };
  });
  await removeFiles(caller, removedFiles);
  return assignment;
}

/**
 * Deletes the assignment with its class links, attachments, submissions and their versions, and
 * the files nothing else holds (rows in the transaction, bytes after it commits).
 */
export async function deleteAssignment(caller: Caller, id: string) {
  const removedFiles = await caller.change(async ({ db, log }) => {
    const assignment = await authorizeAssignment(db, caller.principal, 'change', id, 'update');
    const fileIds = await queries.filesOfAssignment(db, id);
    const submissions = await db
      .selectFrom('submissions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('assignmentId', '=', id)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('assignments').where('id', '=', id).execute();
    const deletedFileIds = await deleteFilesIfUnreferenced(db, fileIds);
    await log({
      action: 'delete',
      targetType: 'assignment',
      targetId: id,
      targetName: assignment.title,
      details: { submissions: Number(submissions.count), deletedFileIds },
    });
    return deletedFileIds;
  });
  await removeFiles(caller, removedFiles);
}

/** Adds the caller's uploads to the assignment's files; an assignment holds at most five (409 TOO_MANY_FILES). */
async function attachFiles(caller: Caller, id: string, fileIds: string[]) {
  return caller.change(async ({ db, log }) => {
    const assignment = await authorizeAssignment(db, caller.principal, 'change', id, 'update');
    const current = new Set(await queries.attachedFiles(db, id));
    const added = fileIds.filter((fileId) => !current.has(fileId));
    await assertOwnUploads(db, caller.principal.id, added);
    if (current.size + added.length > MAX_FILES) {
      throw new AppError(409, 'TOO_MANY_FILES', `The assignment has ${current.size} files; at most ${MAX_FILES} can be attached`, undefined, {
        current: current.size,
        requested: added.length,
        max: MAX_FILES,
      });
    }
    await attach(db, id, added);
    await db.updateTable('assignments').set({ updatedAt: new Date() }).where('id', '=', id).execute();
    await log({ action: 'attach-files', targetType: 'assignment', targetId: id, targetName: assignment.title, details: { fileIds: added } });
    return detail(db, id);
  });
}

/**
 * POST /api/assignments/:id/upload: the request's files are stored by the files module's upload
 * (its checks and limits), then attached. When they cannot be attached they are deleted again at
 * once rather than left to the sweep.
 */
export async function attachUploads(request: FastifyRequest, id: string) {
  const { maxBytes, maxCount } = request.server.config.files;
  const fileIds = (await uploadFiles(request, request.server.fileStorage, { maxBytes, maxCount })).map((file) => file.id);
  try {
    return await attachFiles(request, id, fileIds);
  } catch (error) {
    const deleted = await request.change(async ({ db, log }) => {
      const ids = await deleteFilesIfUnreferenced(db, fileIds);
      await log({ action: 'discard-uploads', targetType: 'assignment', targetId: id, details: { fileIds: ids, reason: (error as Error).message } });
      return ids;
    });
    await removeFiles(request, deleted);
    throw error;
  }
}
