import type { FastifyRequest } from 'fastify';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { authorizeStudent } from './policy.js';
import * as queries from './queries.js';
import type { LinkGuardianBody } from './schemas.js';

type Caller = Pick<FastifyRequest, 'change' | 'principal'>;

/**
 * Links a guardian to a student (admins). The guardian must be a guardian account of the
 * institution (400 on `guardianId` otherwise), the link new (409). At most one guardian per
 * student is primary: a new primary link takes the mark from the one that had it. The student's
 * row is locked first, so concurrent link changes of one student run one after another.
 */
export function linkGuardian(caller: Caller, studentId: string, body: LinkGuardianBody) {
  const primary = body.primary ?? false;
  return caller.change(async ({ db, log }) => {
    const student = await authorizeStudent(db, caller.principal, 'linkGuardians', studentId);
    const guardian = await queries.roleOf(db, body.guardianId);
    if (guardian?.role !== 'guardian') {
      const message = guardian ? `is a ${guardian.role}, not a guardian` : 'is no user of this institution';
      throw badRequest('The guardian must be a guardian account', [{ field: 'guardianId', message }]);
    }
    await queries.lockStudent(db, student.id);
    if (await queries.guardianLink(db, student.id, body.guardianId)) throw conflict('This guardian is already linked to the student');
    const previousPrimary = primary ? await queries.clearPrimary(db, student.id) : undefined;
    await queries.insertLinks(db, [{ studentId: student.id, guardianId: body.guardianId, relationship: body.relationship, primary }]);
    await log({
      action: 'link_guardian',
      targetType: 'student',
      targetId: student.id,
      targetName: student.username,
      details: { guardianId: body.guardianId, relationship: body.relationship, primary, previousPrimary: previousPrimary ?? null },
    });
    return (await queries.guardianLink(db, student.id, body.guardianId))!;
  });
}

/** Removes a link (admins); a link that does not exist answers 404. The student is then without a primary guardian if it was theirs. */
export function unlinkGuardian(caller: Caller, studentId: string, guardianId: string) {
  return caller.change(async ({ db, log }) => {
    const student = await authorizeStudent(db, caller.principal, 'linkGuardians', studentId);
    const removed = await queries.deleteLink(db, student.id, guardianId);
    if (!removed) throw notFound('Guardian link');
    await log({
      action: 'unlink_guardian',
      targetType: 'student',
      targetId: student.id,
      targetName: student.username,
      details: { guardianId, relationship: removed.relationship, primary: removed.primary },
    });
  });
}
