import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { tenantDb, type TenantDb } from '../db/tenant-schema.js';
import type { Database } from '../db/types.js';
import type { Principal } from '../modules/auth/queries.js';

export interface ActivityEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  targetName?: string;
  details?: Record<string, unknown>;
}

/** Who did it, when the request itself was not authenticated (login, sign-up). */
export type Actor = Pick<Principal, 'id' | 'role' | 'name' | 'username' | 'institution'>;

export interface ActivityOptions {
  actor?: Actor;
  /** Also record the entry in the registry's master log (admin-level events). */
  master?: boolean;
  /** Record it in the master log only, for events after which the tenant schema is gone. */
  masterOnly?: boolean;
}

/** What a change runs with: its transaction on the caller's tenant, and the log it writes to. */
export interface ChangeContext {
  /** The transaction, scoped to the caller's institution. */
  db: TenantDb;
  /** Records an entry in the same transaction: it commits with the change or not at all. */
  log(entry: ActivityEntry, options?: ActivityOptions): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Runs a change to the caller's institution and the activity-log entries that describe it
     * in one transaction (outline's commands work this way): a change is never committed without
     * its entry, nor an entry without its change.
     */
    change<T>(work: (context: ChangeContext) => Promise<T>): Promise<T>;
    /**
     * The request logged a change through `change`. A GET can write (opening a conversation marks
     * it read): the per-instance caches evict on this as they do on any POST, PUT or DELETE.
     */
    loggedChange: boolean;
  }
}

/** The columns both logs share: what happened, and from where. */
function entryColumns(request: FastifyRequest, entry: ActivityEntry) {
  return {
    action: entry.action,
    details: entry.details ? JSON.stringify(entry.details) : null,
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
  };
}

/**
 * Records a state change in the institution's activity log, and for admin-level events in the
 * registry's master log too, through `db`: pass the transaction that makes the change.
 */
export async function recordActivity(db: Kysely<Database>, request: FastifyRequest, entry: ActivityEntry, options: ActivityOptions = {}) {
  const actor = options.actor ?? request.principal;
  if (!options.masterOnly) {
    await tenantDb(db, actor.institution.schemaName)
      .insertInto('activityLogs')
      .values({
        ...entryColumns(request, entry),
        userId: actor.id,
        userRole: actor.role,
        userName: actor.name,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        targetName: entry.targetName ?? null,
      })
      .execute();
  }
  if (options.master || options.masterOnly) {
    await db
      .insertInto('registry.masterActivityLogs')
      .values({
        ...entryColumns(request, entry),
        institutionId: actor.institution.id,
        institutionName: actor.institution.name,
        adminId: actor.role === 'admin' ? actor.id : null,
        username: actor.username,
      })
      .execute();
  }
}

/** Anything that can run a change with its log entry; routes pass the request itself. */
export type ChangeRunner = Pick<FastifyRequest, 'change'>;

/**
 * `request.change` for requests without a signed-in principal (sign-in, sign-up): the change is
 * made and logged as `actor`.
 */
export function changeAs<T>(db: Kysely<Database>, request: FastifyRequest, actor: Actor, work: (context: ChangeContext) => Promise<T>) {
  return db.transaction().execute((trx) =>
    work({
      db: tenantDb(trx, actor.institution.schemaName),
      log: (entry, options) => recordActivity(trx, request, entry, { actor, ...options }),
    }),
  );
}

async function activityLogPlugin(app: FastifyInstance) {
  app.decorateRequest('loggedChange', false);
  app.decorateRequest('change', function <T>(this: FastifyRequest, work: (context: ChangeContext) => Promise<T>) {
    return changeAs(app.db, this, this.principal, (context) =>
      work({
        ...context,
        log: (entry, options) => {
          this.loggedChange = true;
          return context.log(entry, options);
        },
      }),
    );
  });
}

export default fp(activityLogPlugin, { name: 'activity-log', dependencies: ['auth'] });
