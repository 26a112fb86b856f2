import { type ExpressionBuilder, expressionBuilder, type Kysely, sql } from 'kysely';
import { jsonBuildObject } from 'kysely/helpers/postgres';
import { jsonPages } from '../../db/json-page.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Database, PrincipalRole, UserRole } from '../../db/types.js';
import { type Viewer, visibleTo } from './policy.js';
import type { AnnouncementView } from './schemas.js';
import type { AnnouncementAudience } from './tables.js';

const q = expressionBuilder<Database, never>();

type Row = ExpressionBuilder<Database, 'announcements'>;

/** The announcement's audience as the API shows it (`Audience`). */
const audienceJson = (eb: Row) =>
  sql<AnnouncementView['audience']>`case ${eb.ref('announcements.audience')}
    when 'all' then json_build_object('all', true)
    when 'roles' then json_build_object('roles', to_json(${eb.ref('announcements.roles')}))
    else json_build_object('classIds', coalesce((${eb
      .selectFrom('announcementClasses as ac')
      .select(sql<string[]>`json_agg(ac."classId" order by ac."classId")`.as('ids'))
      .whereRef('ac.announcementId', '=', 'announcements.id')}), '[]'::json)) end`;

/** The author, a user or an admin; null once the account is gone. */
const authorJson = (eb: Row) =>
  eb.fn.coalesce(
    eb
      .selectFrom('users as au')
      .select((inner) => jsonBuildObject({ id: inner.ref('au.id'), name: inner.ref('au.name'), role: inner.ref('au.role') }).as('author'))
      .whereRef('au.id', '=', 'announcements.authorId'),
    eb
      .selectFrom('registry.admins as ad')
      .select((inner) => jsonBuildObject({ id: inner.ref('ad.id'), name: inner.ref('ad.name'), role: sql<PrincipalRole>`'admin'` }).as('author'))
      .whereRef('ad.id', '=', 'announcements.authorId'),
  );

const pinned = sql<boolean>`coalesce("announcements"."pinnedUntil" > now(), false)`;

const readAtOf = (eb: Row, viewerId: string) =>
  eb.selectFrom('announcementReads as r').select('r.readAt').whereRef('r.announcementId', '=', 'announcements.id').where('r.readerId', '=', viewerId);

/** The columns of `AnnouncementView`, in its order, as the viewer sees them. */
const viewColumns = (eb: Row, viewerId: string) => [
  'announcements.id',
  'announcements.title',
  'announcements.body',
  audienceJson(eb).as('audience'),
  'announcements.pinnedUntil',
  pinned.as('pinned'),
  'announcements.requireConfirmation',
  authorJson(eb).as('author'),
  eb.exists(readAtOf(eb, viewerId)).$castTo<boolean>().as('read'),
  readAtOf(eb, viewerId).as('readAt'),
  'announcements.createdAt',
  'announcements.updatedAt',
] as const;

/**
 * Exactly one of the ids is given: the viewer's role is in which one, so each role gets its own
 * compiled statement (see `compiledStatement`: it tells statements apart by the filters present).
 */
interface ListFilters extends Record<string, unknown> {
  adminId?: string | undefined;
  teacherId?: string | undefined;
  studentId?: string | undefined;
  guardianId?: string | undefined;
  unread?: boolean | undefined;
}

const ROLE_KEYS = { admin: 'adminId', teacher: 'teacherId', student: 'studentId', guardian: 'guardianId' } as const satisfies Record<PrincipalRole, keyof ListFilters>;

function viewerOf(filters: ListFilters): Viewer {
  for (const [role, key] of Object.entries(ROLE_KEYS) as [PrincipalRole, keyof ListFilters][]) {
    if (filters[key] !== undefined) return { role, id: filters[key] as string };
  }
  throw new Error('announcements: a list needs the viewer');
}

const announcementPages = jsonPages((db: Kysely<Database>, filters: ListFilters) => {
  const viewer = viewerOf(filters);
  let query = db.selectFrom('announcements').where((eb) => visibleTo(viewer, eb.ref('announcements.id')));
  if (filters.unread !== undefined) {
    query = query.where((eb) => eb(eb.not(eb.exists(readAtOf(eb, viewer.id))), '=', filters.unread!));
  }
  return query
    .select((eb) => viewColumns(eb, viewer.id))
    .orderBy(pinned, 'desc')
    .orderBy('announcements.createdAt', 'desc')
    .orderBy('announcements.id', 'desc');
});

/** What the viewer sees, pinned ones first while they are pinned, then newest first. */
export function listAnnouncements(db: TenantDb, viewer: Viewer, query: { page: number; limit: number; unread?: boolean | undefined }) {
  return announcementPages(db, { [ROLE_KEYS[viewer.role]]: viewer.id, unread: query.unread }, query);
}

/** The announcement as the viewer sees it; undefined when they do not. */
export function findAnnouncement(db: TenantDb, viewer: Viewer, id: string): Promise<AnnouncementView | undefined> {
  return db
    .selectFrom('announcements')
    .select((eb) => viewColumns(eb, viewer.id))
    .where('announcements.id', '=', id)
    .where((eb) => visibleTo(viewer, eb.ref('announcements.id')))
    .executeTakeFirst();
}

/** What deciding on a change needs, if the viewer sees it; `lock` takes the row for the transaction. */
export function findTarget(db: TenantDb, viewer: Viewer, id: string, lock = false) {
  return db
    .selectFrom('announcements')
    .select((eb) => [
      'announcements.id',
      'announcements.title',
      'announcements.audience',
      'announcements.roles',
      'announcements.authorId',
      eb.fn
        .coalesce(
          eb.selectFrom('announcementClasses as ac').select(sql<string[]>`array_agg(ac."classId" order by ac."classId")`.as('ids')).whereRef('ac.announcementId', '=', 'announcements.id'),
          sql<string[]>`'{}'::uuid[]`,
        )
        .as('classIds'),
    ])
    .where('announcements.id', '=', id)
    .where((eb) => visibleTo(viewer, eb.ref('announcements.id')))
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
}

export type AnnouncementTargetRow = NonNullable<Awaited<ReturnType<typeof findTarget>>>;

/** The announcement's classes, as a subquery. */
const classesOf = (announcementId: string) => q.selectFrom('announcementClasses as mc').select('mc.classId').where('mc.announcementId', '=', announcementId);

/**
 * The accounts an announcement is for, by the rule of `visibleTo` applied to every active account
 * (its author and the admins see it too, but are in its audience only when it is for them):
 * everyone; the accounts with one of its roles; or for classes, their students, the guardians of
 * those students and the teachers of those classes (curriculum, lessons or homeroom, as
 * `teachesClass` says for one teacher). Admins are included where `allAdmins` or the audience says.
 */
export function audienceMembers(db: TenantDb, institutionId: string, announcement: { id: string; audience: AnnouncementAudience; roles: PrincipalRole[] }, allAdmins = false) {
  const classes = classesOf(announcement.id);
  const users = db
    .selectFrom('users as u')
    .select(['u.id', 'u.name', sql<PrincipalRole>`u.role`.as('role')])
    .where('u.isActive', '=', true)
    .where((eb) => {
      if (announcement.audience === 'all') return eb.lit(true);
      if (announcement.audience === 'roles') {
        const roles = announcement.roles.filter((role): role is UserRole => role !== 'admin');
        return roles.length > 0 ? eb('u.role', 'in', roles) : eb.lit(false);
      }
      return eb.or([
        eb('u.id', 'in', eb.selectFrom('enrollments as e').select('e.studentId').where('e.classId', 'in', classes)),
        eb('u.id', 'in', eb.selectFrom('guardianLinks as g').innerJoin('enrollments as ge', 'ge.studentId', 'g.studentId').select('g.guardianId').where('ge.classId', 'in', classes)),
        eb('u.id', 'in', eb.selectFrom('curriculum as cu').select('cu.teacherId').where('cu.classId', 'in', classes)),
        eb('u.id', 'in', eb.selectFrom('lessons as l').select('l.teacherId').where('l.classId', 'in', classes)),
        eb('u.id', 'in', eb.selectFrom('classes as c').select('c.homeroomTeacherId').where('c.id', 'in', classes)),
      ]);
    });
  const adminsInAudience = allAdmins || announcement.audience === 'all' || announcement.roles.includes('admin');
  return users.unionAll(
    db
      .selectFrom('registry.admins as ra')
      .select(['ra.id', 'ra.name', sql<PrincipalRole>`'admin'`.as('role')])
      .where('ra.institutionId', '=', institutionId)
      .where('ra.isActive', '=', true)
      .where(sql.lit(adminsInAudience)),
  );
}

/** Everyone who sees the announcement now: its audience, every admin and its author. */
export async function recipientsOf(db: TenantDb, institutionId: string, announcement: { id: string; audience: AnnouncementAudience; roles: PrincipalRole[]; authorId: string }) {
  const rows = await audienceMembers(db, institutionId, announcement, true).execute();
  return [...new Set([...rows.map((row) => row.id), announcement.authorId])];
}

/** The audience with each one's read time (null: not read), readers by time read, the others by name. */
export function audienceReads(db: TenantDb, institutionId: string, announcement: { id: string; audience: AnnouncementAudience; roles: PrincipalRole[] }) {
  return db
    .selectFrom(audienceMembers(db, institutionId, announcement).as('m'))
    .leftJoin('announcementReads as r', (join) => join.onRef('r.readerId', '=', 'm.id').on('r.announcementId', '=', announcement.id))
    .select(['m.id', 'm.name', 'm.role', 'r.readAt'])
    .orderBy(sql`r."readAt" nulls last`)
    .orderBy(sql`lower(m.name)`)
    .orderBy('m.id')
    .execute();
}

/** Marks it read by the reader once; the time of the first mark either way. */
export async function markRead(db: TenantDb, announcementId: string, readerId: string) {
  const inserted = await db
    .insertInto('announcementReads')
    .values({ announcementId, readerId })
    .onConflict((oc) => oc.columns(['announcementId', 'readerId']).doNothing())
    .returning('readAt')
    .executeTakeFirst();
  if (inserted) return { readAt: inserted.readAt, first: true };
  const existing = await db.selectFrom('announcementReads').select('readAt').where('announcementId', '=', announcementId).where('readerId', '=', readerId).executeTakeFirstOrThrow();
  return { readAt: existing.readAt, first: false };
}
