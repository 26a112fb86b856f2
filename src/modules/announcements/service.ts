import type { TenantDb } from '../../db/tenant-schema.js';
import type { PrincipalRole } from '../../db/types.js';
import { badRequest, type ErrorDetail, notFound } from '../../lib/errors.js';
import type { ChangeContext, ChangeRunner } from '../../plugins/activity-log.js';
import type { Principal } from '../auth/queries.js';
import { teachesEvery } from '../calendar/policy.js';
import { existingClassIds } from '../calendar/queries.js';
import { publishEvent } from '../realtime/publish.js';
import { announcementPolicy } from './policy.js';
import * as queries from './queries.js';
import { AUDIENCE_ROLES, type Audience, type AnnouncementView, type CreateAnnouncementBody, type ReadsView, type UpdateAnnouncementBody } from './schemas.js';
import type { AnnouncementAudience } from './tables.js';

type Caller = ChangeRunner & { principal: Principal };

/**
 * What the activity log keeps of announcements: posts (audience, pin, confirmation), changes (the
 * fields changed), deletions and each first read mark. Never the body: it may be long, and the
 * announcement itself holds it.
 */
const TARGET = 'announcement';

function audienceOf(input: Audience): { audience: AnnouncementAudience; roles: PrincipalRole[]; classIds: string[] } {
  if (input.classIds) return { audience: 'classes', roles: [], classIds: input.classIds };
  if (input.roles) return { audience: 'roles', roles: AUDIENCE_ROLES.filter((role) => input.roles!.includes(role)), classIds: [] };
  return { audience: 'all', roles: [], classIds: [] };
}

function invalid(details: ErrorDetail[]) {
  return badRequest(`Invalid announcement: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
}

/** The title trimmed and not blank, a pin still ahead: every problem at once. */
function checkedFields(input: { title?: string | undefined; pinnedUntil?: string | null | undefined }) {
  const details: ErrorDetail[] = [];
  const title = input.title?.trim();
  if (title === '') details.push({ field: 'title', message: 'must not be blank' });
  if (typeof input.pinnedUntil === 'string' && Date.parse(input.pinnedUntil) <= Date.now()) details.push({ field: 'pinnedUntil', message: 'must be in the future' });
  if (details.length > 0) throw invalid(details);
  return { title, pinnedUntil: input.pinnedUntil === undefined ? undefined : input.pinnedUntil === null ? null : new Date(input.pinnedUntil) };
}

/** A class announcement's classes must exist (404 otherwise, as the isolation walk expects); then the policy decides. */
async function authorizeAudience(db: TenantDb, principal: Principal, audience: AnnouncementAudience, classIds: string[]) {
  const known = await existingClassIds(db, classIds);
  if (classIds.some((id) => !known.has(id))) throw notFound('Class');
  announcementPolicy.authorize(principal, 'post', { audience, teachesEveryClass: await teachesEvery(db, principal, classIds) });
}

/** Everyone who sees it hears of it at once, in the posting transaction. */
async function announce(context: ChangeContext, principal: Principal, announcement: { id: string; title: string; audience: AnnouncementAudience; roles: PrincipalRole[]; authorId: string }) {
  const recipients = await queries.recipientsOf(context.db, principal.institution.id, announcement);
  await publishEvent(context.db, { type: 'announcement.created', recipients, data: { announcementId: announcement.id, title: announcement.title } });
}

/**
 * Posts an announcement: 404 for an unknown class, 403 when the caller may not post to the
 * audience (see `announcementPolicy`). The author has read it from the start.
 */
export function postAnnouncement(request: Caller, input: CreateAnnouncementBody): Promise<AnnouncementView> {
  const principal = request.principal;
  const { title, pinnedUntil } = checkedFields(input);
  const { audience, roles, classIds } = audienceOf(input.audience);
  return request.change(async (context) => {
    const { db } = context;
    await authorizeAudience(db, principal, audience, classIds);
    const { id } = await db
      .insertInto('announcements')
      .values({ title: title!, body: input.body, audience, roles, pinnedUntil: pinnedUntil ?? null, requireConfirmation: input.requireConfirmation ?? false, authorId: principal.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (classIds.length > 0) await db.insertInto('announcementClasses').values(classIds.map((classId) => ({ announcementId: id, classId }))).execute();
    await queries.markRead(db, id, principal.id);
    await context.log({
      action: 'create',
      targetType: TARGET,
      targetId: id,
      targetName: title!,
      details: { audience: input.audience, pinnedUntil: input.pinnedUntil ?? null, requireConfirmation: input.requireConfirmation ?? false },
    });
    await announce(context, principal, { id, title: title!, audience, roles, authorId: principal.id });
    return (await queries.findAnnouncement(db, principal, id))!;
  });
}

/** The announcement as the caller may change it: 404 when they do not see it, 403 when they may not. */
async function toChange(db: TenantDb, principal: Principal, id: string) {
  const target = await queries.findTarget(db, principal, id, true);
  if (!target) throw notFound('Announcement');
  announcementPolicy.authorize(principal, 'change', { ...target, teachesEveryClass: await teachesEvery(db, principal, target.classIds) });
  return target;
}

export function updateAnnouncement(request: Caller, id: string, change: UpdateAnnouncementBody): Promise<AnnouncementView> {
  const principal = request.principal;
  const { title, pinnedUntil } = checkedFields(change);
  return request.change(async (context) => {
    const { db } = context;
    const before = await toChange(db, principal, id);
    await db
      .updateTable('announcements')
      .set({
        ...(title !== undefined && { title }),
        ...(change.body !== undefined && { body: change.body }),
        ...(pinnedUntil !== undefined && { pinnedUntil }),
        ...(change.requireConfirmation !== undefined && { requireConfirmation: change.requireConfirmation }),
        updatedAt: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await context.log({ action: 'update', targetType: TARGET, targetId: id, targetName: title ?? before.title, details: { changes: Object.keys(change) } });
    return (await queries.findAnnouncement(db, principal, id))!;
  });
}

export function deleteAnnouncement(request: Caller, id: string): Promise<void> {
  const principal = request.principal;
  return request.change(async (context) => {
    const target = await toChange(context.db, principal, id);
    await context.db.deleteFrom('announcements').where('id', '=', id).execute();
    await context.log({ action: 'delete', targetType: TARGET, targetId: id, targetName: target.title, details: { audience: target.audience } });
  });
}

export async function getAnnouncement(db: TenantDb, principal: Principal, id: string): Promise<AnnouncementView> {
  const found = await queries.findAnnouncement(db, principal, id);
  if (!found) throw notFound('Announcement');
  return found;
}

/**
 * Marks it read (confirmed) by the caller, once: marking it again changes nothing and answers the
 * first time. Only the first mark is a write, and so the only one logged.
 */
export function markRead(request: Caller, id: string): Promise<{ announcementId: string; readAt: string }> {
  const principal = request.principal;
  return request.change(async (context) => {
    const target = await queries.findTarget(context.db, principal, id);
    if (!target) throw notFound('Announcement');
    const { readAt, first } = await queries.markRead(context.db, id, principal.id);
    if (first) await context.log({ action: 'read', targetType: TARGET, targetId: id, targetName: target.title });
    return { announcementId: id, readAt };
  });
}

/**
 * Who of the audience, resolved now, has read it and who has not: for its author and admins (403
 * for others who see it, 404 for those who do not). Readers who have left the audience since (a
 * student who changed class) are not listed.
 */
export async function readsOf(db: TenantDb, principal: Principal, id: string): Promise<ReadsView> {
  const target = await queries.findTarget(db, principal, id);
  if (!target) throw notFound('Announcement');
  announcementPolicy.authorize(principal, 'followReads', target);
  const rows = await queries.audienceReads(db, principal.institution.id, target);
  const read = rows.flatMap(({ readAt, ...person }) => (readAt === null ? [] : [{ ...person, readAt }]));
  const unread = rows.flatMap(({ readAt, ...person }) => (readAt === null ? [person] : []));
  return { audience: rows.length, readCount: read.length, read, unread };
}
