import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BellSchedule } from './schemas.js';
import { getBellSchedule, updateBellSchedule } from './service.js';

const tags = ['bell schedule'];

const bellScheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/bell-schedule',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'The working days and the times of each period', response: { 200: BellSchedule } },
    },
    async (request) => getBellSchedule(request.tenantDb),
  );

  app.put(
    '/bell-schedule',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Replace the working days and periods',
        description:
          'Problems are named by index (`days.2`, `periods.3.start`). A change that would leave lessons on a removed day or ' +
          'period answers 409 LESSONS_OUTSIDE with their `count` and changes nothing.',
        body: BellSchedule,
        response: { 200: BellSchedule },
      },
    },
    async (request) => updateBellSchedule(request, request.body),
  );
};

export default bellScheduleRoutes;
