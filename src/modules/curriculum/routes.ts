import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../lib/schemas.js';
import { CurriculumRows, ReplaceCurriculumBody } from './schemas.js';
import { getCurriculum, replaceCurriculum } from './service.js';

const tags = ['curriculum'];

const curriculumRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/classes/:id/subjects',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'What the class is taught, sorted by subject name',
        description:
          'Per subject: its teacher, periods a week, room, and `scheduled`, the lessons of it the timetable already holds. ' +
          'Admins and teachers read every class; a student only their own (403 otherwise).',
        params: IdParams,
        response: { 200: CurriculumRows },
      },
    },
    async (request) => getCurriculum(request.tenantDb, request.principal, request.params.id),
  );

  app.put(
    '/classes/:id/subjects',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: "Replace the class's curriculum",
        description:
          'Each subject at most once. Unknown subjects or rooms, and teachers who are not active teachers, answer 400 naming ' +
          '`<index>.subjectId`, `<index>.roomId` or `<index>.teacherId`.',
        params: IdParams,
        body: ReplaceCurriculumBody,
        response: { 200: CurriculumRows },
      },
    },
    async (request) => replaceCurriculum(request, request.params.id, request.body),
  );
};

export default curriculumRoutes;
