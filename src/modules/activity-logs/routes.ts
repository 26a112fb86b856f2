import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendJsonPage } from '../../lib/replies.js';
import { activityLogFilterValues, listActivityLogs } from './queries.js';
import { ActivityLogFilterValues, ActivityLogList, ListActivityLogsQuery } from './schemas.js';

const activityLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/activity-logs',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags: ['activity-logs'],
        summary: "The institution's activity log, newest first",
        querystring: ListActivityLogsQuery,
        response: { 200: ActivityLogList },
      },
    },
    async (request, reply) => sendJsonPage(reply, await listActivityLogs(request.tenantDb, request.query), request.query),
  );

  app.get(
    '/activity-logs/filters',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags: ['activity-logs'],
        summary: 'The actions, target types and acting users the log holds, to filter it by',
        response: { 200: ActivityLogFilterValues },
      },
    },
    async (request) => activityLogFilterValues(request.tenantDb),
  );
};

export default activityLogRoutes;
