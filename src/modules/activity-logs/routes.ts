import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listActivityLogs } from './queries.js';
import { ActivityLogList, ListActivityLogsQuery } from './schemas.js';

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
    async (request) => {
      const { items, total } = await listActivityLogs(request.tenantDb, request.query);
      return { items, total, page: request.query.page, limit: request.query.limit };
    },
  );
};

export default activityLogRoutes;
