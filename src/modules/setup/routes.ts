import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SetupAdminBody, SetupAdminResponse } from './schemas.js';
import { recordActivity } from '../../plugins/activity-log.js';
import { registerInstitution } from './service.js';

const setupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/setup/admin',
    {
      config: { access: 'public' },
      onRequest: app.authAttempts.perIp,
      preHandler: app.authAttempts.perIpSignups,
      schema: {
        tags: ['setup'],
        summary: 'Register an institution and its first admin',
        body: SetupAdminBody,
        response: { 201: SetupAdminResponse },
      },
    },
    async (request, reply) => {
      const result = await registerInstitution(app.db, app.tenantMigrations, request.body, (trx, { institution, admin }) =>
        recordActivity(
          trx,
          request,
          { action: 'create', targetType: 'institution', targetId: institution.id, targetName: institution.name },
          { actor: { ...admin, institution }, master: true },
        ),
      );
      // The response schema leaves out the internal schema name.
      return reply.code(201).send(result);
    },
  );
};

export default setupRoutes;
