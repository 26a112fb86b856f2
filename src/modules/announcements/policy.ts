import { type Expression, expressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database, PrincipalRole } from '../../db/types.js';
import { definePolicy } from '../../lib/policy.js';
import { teachesClass } from '../assignments/policy.js';
import type { Principal } from '../auth/queries.js';
import '../guardians/tables.js';
import type { AnnouncementAudience } from './tables.js';

const q = expressionBuilder<Database, never>();

/** Who looks: what they see depends on nothing else. */
export interface Viewer {
  id: string;
  role: PrincipalRole;
}

/** The classes whose announcements reach the viewer, as a subquery of class ids; none for admins. */
function classesOf(viewer: Viewer, classId: Expression<string>): Expression<SqlBool> {
  switch (viewer.role) {
    case 'teacher':
      return teachesClass(viewer.id, classId);
    case 'student':
      return q(classId, 'in', q.selectFrom('enrollments').select('enrollments.classId').where('enrollments.studentId', '=', viewer.id));
    case 'guardian':
      return q(
        classId,
        'in',
        q
          .selectFrom('enrollments')
          .innerJoin('guardianLinks', 'guardianLinks.studentId', 'enrollments.studentId')
          .select('enrollments.classId')
          .where('guardianLinks.guardianId', '=', viewer.id),
      );
    case 'admin':
      return q.lit(false);
  }
}

/**
 * The announcements a viewer sees (in the list, by id, to mark read), also the rule for who is in
 * an audience (queries.ts `audienceMembers` applies the same rule to every account):
 * - admins: every announcement of the institution;
 * - everyone: announcements for all, for their role, and those they wrote;
 * - a class announcement reaches the class's students, their guardians and the teachers who teach
 *   the class (curriculum, lessons or homeroom, as for assignments).
 * Announcements a caller does not see do not exist for them (404).
 */
export function visibleTo(viewer: Viewer, announcementId: Expression<string>): Expression<SqlBool> {
  if (viewer.role === 'admin') return q.lit(true);
  const announcement = (column: 'audience' | 'authorId') => q.selectFrom('announcements as va').select(`va.${column}`).where('va.id', '=', announcementId);
  return q.or([
    q(announcement('audience'), '=', 'all'),
    q(announcement('authorId'), '=', viewer.id),
    q.exists(q.selectFrom('announcements as vr').select('vr.id').where('vr.id', '=', announcementId).where(sql<boolean>`${viewer.role} = any(${sql.ref('vr.roles')})`)),
    q.exists(
      q
        .selectFrom('announcementClasses as vc')
        .select('vc.classId')
        .where('vc.announcementId', '=', announcementId)
        .where((eb) => classesOf(viewer, eb.ref('vc.classId'))),
    ),
  ]);
}

/** What an announcement is or would become, and how the caller stands to it. */
export interface AnnouncementTarget {
  audience: AnnouncementAudience;
  /** A teacher teaches every class of a class announcement. */
  teachesEveryClass: boolean;
}

/**
 * Who may post: admins to any audience; teachers to classes they all teach (which reaches those
 * classes' students, guardians and teachers), never to everyone or to roles: those are the
 * school's. Students and guardians post nothing.
 */
const mayPost = (principal: Principal, target: AnnouncementTarget) =>
  principal.role === 'admin' || (principal.role === 'teacher' && target.audience === 'classes' && target.teachesEveryClass);

/**
 * Changing, deleting and following who has read one: admins any; the author their own, while they
 * may still post to its audience (a teacher who no longer teaches the class does not).
 */
export const announcementPolicy = definePolicy({
  post: mayPost,
  change: (principal, announcement: AnnouncementTarget & { authorId: string }) =>
    principal.role === 'admin' || (announcement.authorId === principal.id && mayPost(principal, announcement)),
  followReads: (principal, announcement: { authorId: string }) => principal.role === 'admin' || announcement.authorId === principal.id,
});

