import { sql } from 'kysely';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { PrincipalRole } from '../../db/types.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { definePolicy } from '../../lib/policy.js';
import { teachesClass } from '../assignments/policy.js';
import type { Principal } from '../auth/queries.js';
import { isGuardianOf, sharesChild } from '../guardians/queries.js';

/** How long a sender may take a message back. */
export const DELETE_WINDOW_MINUTES = 15;

/** An account of the institution a message may go to or come from: a user, or an admin (registry). */
export interface Account {
  id: string;
  role: PrincipalRole;
  isActive: boolean;
}

/** How a would-be receiver stands to the sender; the facts only matter when a student or guardian writes, or someone writes to a guardian. */
export interface Correspondent {
  role: PrincipalRole;
  /** The receiver teaches the sending student's class (curriculum or lessons) or is its homeroom teacher. */
  teachesSender: boolean;
  /** The receiver has written to the sender before: whoever is written to may answer. */
  wroteToSender: boolean;
  /** The institution lets students write to students (GET/PUT /api/settings/messaging). */
  studentToStudent: boolean;
  /** Between a guardian and a teacher: the teacher teaches a class of one of the guardian's children. */
  sharesChild: boolean;
}

/** How the caller stands to one message, and whether the delete window is still open. */
export interface MessageRelation {
  senderId: string;
  withinWindow: boolean;
}

/**
 * Who may write to whom, and who may take a message back, named role by role:
 * - admins write to anyone of the institution;
 * - teachers write to admins, teachers and students, and to the guardians of the students they
 *   teach;
 * - students write to admins, to their teachers (those who teach their class or lead it as
 *   homeroom teacher), to anyone but a guardian who has written to them, and to other students
 *   only when the institution allows it (off by default);
 * - guardians write to admins and to their children's teachers, and to no one else;
 * - the sender deletes their message within DELETE_WINDOW_MINUTES; admins delete any message.
 * Inactive and unknown receivers do not exist for the sender (404, see `findAccount`).
 */
export const messagePolicy = definePolicy({
  send: (principal, to: Correspondent) => {
    switch (principal.role) {
      case 'admin':
        return true;
      case 'teacher':
        return to.role !== 'guardian' || to.sharesChild;
      case 'student':
        return (
          to.role === 'admin' ||
          (to.role === 'teacher' && to.teachesSender) ||
          (to.role !== 'guardian' && to.wroteToSender) ||
          (to.role === 'student' && to.studentToStudent)
        );
      case 'guardian':
        return to.role === 'admin' || (to.role === 'teacher' && to.sharesChild);
    }
  },
  delete: (principal, message: MessageRelation) => principal.role === 'admin' || (message.senderId === principal.id && message.withinWindow),
});

/** The user, or admin of this institution, with this id; undefined when there is none. */
export async function findAccount(db: TenantDb, institutionId: string, id: string): Promise<Account | undefined> {
  return db
    .selectFrom('users')
    .select(['id', sql<PrincipalRole>`role`.as('role'), 'isActive'])
    .where('id', '=', id)
    .unionAll(
      db
        .selectFrom('registry.admins')
        .select(['id', sql<PrincipalRole>`'admin'`.as('role'), 'isActive'])
        .where('id', '=', id)
        .where('institutionId', '=', institutionId),
    )
    .executeTakeFirst();
}

/** How `receiver` stands to the calling student (see `Correspondent`), in one query. */
async function correspondentOf(db: TenantDb, studentId: string, receiver: Account): Promise<Correspondent> {
  const row = await db
    .selectFrom('messagingSettings as s')
    .select((eb) => [
      's.studentToStudent',
      eb
        .exists(
          eb
            .selectFrom('enrollments as e')
            .select('e.classId')
            .where('e.studentId', '=', studentId)
            .where((inner) => teachesClass(receiver.id, inner.ref('e.classId'))),
        )
        .as('teachesSender'),
      eb.exists(eb.selectFrom('messages as m').select('m.id').where('m.senderId', '=', receiver.id).where('m.receiverId', '=', studentId)).as('wroteToSender'),
    ])
    .executeTakeFirstOrThrow();
  return { ...noFacts(receiver), teachesSender: row.teachesSender === true, wroteToSender: row.wroteToSender === true, studentToStudent: row.studentToStudent };
}

const noFacts = (receiver: Account): Correspondent => ({ role: receiver.role, teachesSender: false, wroteToSender: false, studentToStudent: false, sharesChild: false });

/** The guardian and the teacher of a message between the two, whichever writes; undefined for any other pair. */
export function guardianAndTeacher(sender: { id: string; role: PrincipalRole }, receiver: { id: string; role: PrincipalRole }) {
  if (sender.role === 'guardian' && receiver.role === 'teacher') return { guardianId: sender.id, teacherId: receiver.id };
  if (sender.role === 'teacher' && receiver.role === 'guardian') return { guardianId: receiver.id, teacherId: sender.id };
  return undefined;
}

/**
 * The receiver of a new message, after `messagePolicy` allowed the caller to write to them: 404
 * when the institution has no active account with this id, 403 when the policy says no.
 */
export async function authorizeReceiver(db: TenantDb, principal: Principal, receiverId: string): Promise<Account> {
  const receiver = await findAccount(db, principal.institution.id, receiverId);
  if (!receiver || !receiver.isActive) throw notFound('Receiver');
  const pair = guardianAndTeacher(principal, receiver);
  const relation: Correspondent =
    principal.role === 'student'
      ? await correspondentOf(db, principal.id, receiver)
      : { ...noFacts(receiver), sharesChild: pair !== undefined && (await sharesChild(db, pair.guardianId, pair.teacherId)) };
  messagePolicy.authorize(principal, 'send', relation);
  return receiver;
}

/**
 * The child a message names (`aboutStudentId`) must be one both sides share: a message between a
 * guardian and the school, about a child of that guardian whom the teacher (when a teacher is the
 * other side) teaches. 400 on `aboutStudentId` otherwise.
 */
export async function assertSharedChild(db: TenantDb, sender: Account | Principal, receiver: Account, studentId: string): Promise<void> {
  const refuse = (message: string) => badRequest(`Invalid request: aboutStudentId ${message}`, [{ field: 'aboutStudentId', message }]);
  const guardian = [sender, receiver].find((side) => side.role === 'guardian');
  if (!guardian) throw refuse('names a child only on messages between a guardian and the school');
  if (!(await isGuardianOf(db, guardian.id, studentId))) throw refuse("is not the guardian's child");
  const pair = guardianAndTeacher(sender, receiver);
  if (pair && !(await sharesChild(db, pair.guardianId, pair.teacherId, studentId))) throw refuse("is not a student of the teacher's classes");
}

/** File access (registered with the files module): a voice message's audio is read by its sender and receiver. */
export async function mayReadMessageFile(db: TenantDb, principal: Principal, fileId: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('fileId', '=', fileId)
    .where((eb) => eb.or([eb('senderId', '=', principal.id), eb('receiverId', '=', principal.id)]))
    .executeTakeFirst();
  return row !== undefined;
}
