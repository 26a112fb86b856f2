import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tenantDb } from '../db/tenant-schema.js';
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

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Records a successful state change in the institution's activity log, and for admin-level
     * events in the registry's master log too. Never throws: a lost log entry must not fail the
     * change it describes, so failures are logged instead.
     */
    logActivity(entry: ActivityEntry, options?: ActivityOptions): Promise<void>;
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

async function activityLogPlugin(app: FastifyInstance) {
  function writeTenantEntry(request: FastifyRequest, entry: ActivityEntry, actor: Actor) {
    return tenantDb(app.db, actor.institution.schemaName)
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

  function writeMasterEntry(request: FastifyRequest, entry: ActivityEntry, actor: Actor) {
    return app.db
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

  async function attempt(request: FastifyRequest, entry: ActivityEntry, write: () => Promise<unknown>) {
    try {
      await write();
    } catch (error) {
      request.log.warn({ err: error, action: entry.action }, 'could not write activity log entry');
    }
  }

  app.decorateRequest('logActivity', async function (this: FastifyRequest, entry: ActivityEntry, options: ActivityOptions = {}) {
    const actor = options.actor ?? this.principal;
    if (!options.masterOnly) await attempt(this, entry, () => writeTenantEntry(this, entry, actor));
    if (options.master || options.masterOnly) await attempt(this, entry, () => writeMasterEntry(this, entry, actor));
  });
}

export default fp(activityLogPlugin, { name: 'activity-log', dependencies: ['auth'] });
