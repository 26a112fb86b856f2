import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pingDatabase } from '../../db/database.js';

const Health = Type.Object({
  status: Type.Enum(['healthy', 'unhealthy']),
  timestamp: Type.String({ format: 'date-time' }),
  uptime: Type.Number({ description: 'Seconds since the process started' }),
  database: Type.Enum(['ok', 'unavailable']),
});

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], summary: 'Liveness and database check', response: { 200: Health, 503: Health } },
    },
    async (_request, reply) => {
      const databaseOk = await pingDatabase(app.db);
      return reply.code(databaseOk ? 200 : 503).send({
        status: databaseOk ? 'healthy' : 'unhealthy',
        timestamp: new Date().toISOString(),
        uptime: process.uptime(),
        database: databaseOk ? 'ok' : 'unavailable',
      });
    },
  );
};

export default healthRoutes;
