import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../lib/schemas.js';
import { ABANDONED_AFTER_SECONDS, JobRunner } from './jobs.js';
import { Applied, Availability, AvailabilityView, GenerateBody, JobCreated, JobView } from './schemas.js';
import { applyJob, cancelJob, getAvailability, getJob, putAvailability, startGeneration } from './service.js';

const tags = ['timetable generator'];

const timetableGeneratorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const runner = new JobRunner(app.db, app.log, app.config.timetableSolverNice);
  // Jobs of a stopped instance are failed at start-up once their heartbeat is old; a job whose
  // instance restarted within that window is failed by a second sweep when the window has passed.
  let sweep: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await runner.failAbandonedEverywhere();
    sweep = setTimeout(() => void runner.failAbandonedEverywhere(), (ABANDONED_AFTER_SECONDS + 1) * 1000);
    sweep.unref();
  });
  app.addHook('onClose', async () => {
    clearTimeout(sweep);
    await runner.close();
  });

  app.get(
    '/users/:id/availability',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: "A teacher's not-available periods and limits",
        description: 'Not a teacher: 400 NOT_A_TEACHER. Never set: no periods and no limits.',
        params: IdParams,
        response: { 200: AvailabilityView },
      },
    },
    async (request) => getAvailability(request.tenantDb, request.params.id),
  );

  app.put(
    '/users/:id/availability',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: "Replace a teacher's not-available periods and limits",
        description:
          'Periods must be working days and periods of the bell schedule (400 naming `unavailable.<index>.day` or `.period`). ' +
          'Not a teacher: 400 NOT_A_TEACHER. The timetable generator keeps these as hard rules.',
        params: IdParams,
        body: Availability,
        response: { 200: AvailabilityView },
      },
    },
    async (request) => putAvailability(request, request.params.id, request.body),
  );

  app.post(
    '/timetables/generate',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Start generating a timetable for some or all classes',
        description:
          'Answers 202 with the job; follow it at /timetables/jobs/:id. Counting first finds what makes a timetable impossible: ' +
          '422 UNSOLVABLE with every reason in `reasons`. One job at a time per institution: 409 JOB_RUNNING `{job}`.',
        body: GenerateBody,
        response: { 202: JobCreated },
      },
    },
    async (request, reply) => reply.code(202).send(await startGeneration(request, runner, request.body)),
  );

  app.get(
    '/timetables/jobs/:id',
    {
      config: { access: 'teacherOrAdmin' },
      schema: {
        tags,
        summary: 'A generation job: status, progress (updated at least once a second while it runs) and result',
        params: IdParams,
        response: { 200: JobView },
      },
    },
    async (request) => getJob(request.tenantDb, request.params.id),
  );

  app.post(
    '/timetables/jobs/:id/apply',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: "Replace the unpinned lessons of the job's classes with its result",
        description:
          'All or nothing, logged. 409 STALE when curricula, availability, the bell schedule or the lessons changed since the job ' +
          'started; 409 JOB_NOT_SUCCEEDED before it has succeeded.',
        params: IdParams,
        response: { 200: Applied },
      },
    },
    async (request) => applyJob(request, request.params.id),
  );

  app.delete(
    '/timetables/jobs/:id',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Cancel a queued or running job; its solver thread is ended',
        description: 'A job that has already finished: 409 JOB_FINISHED.',
        params: IdParams,
        response: { 200: JobCreated },
      },
    },
    async (request) => cancelJob(request, runner, request.params.id),
  );
};

export default timetableGeneratorRoutes;
