import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { type TenantDb, tenantDb } from '../../db/tenant-schema.js';
import type { Database } from '../../db/types.js';
import type { SchoolProblem } from './problem-from-school.js';
import { jobResult } from './result.js';
import type { JobProgress } from './tables.js';
import type { SolverInput, SolverMessage } from './worker.js';

/** How often the instance running a job writes its progress and heartbeat to the job's row. */
export const HEARTBEAT_MS = 500;
/** A queued or running job whose heartbeat is older than this has lost its instance. */
export const ABANDONED_AFTER_SECONDS = 15;
export const INTERRUPTED = 'interrupted by a server restart';

/**
 * The first thing the solver thread runs, before it loads any module (under tsx the thread
 * compiles the solver, which is CPU work as well). On Linux the nice value belongs to a thread, not
 * to the process: setpriority() with this thread's id (from /proc/thread-self) lowers the solver
 * alone, and the API's event loop, libuv's pool and PostgreSQL win the CPU whenever they want it.
 * `npm run bench` (p99 under load, solving / no job, 2 CPUs): at nice 0 /api/health 1.7-4.8x and
 * /api/auth/me 3-20x with half the requests served; at 19 both 0.25-1.0x, throughput kept.
 * Elsewhere nothing happens: the thread still keeps the event loop free, it just competes for the
 * CPU as an equal. A failure (no /proc in a sandbox, a refusal) leaves normal priority.
 */
function lowerPriorityFirst(nice: number): string {
  if (!Number.isInteger(nice) || nice <= 0) return '';
  return `if (process.platform === 'linux') {
    try {
      const threadId = Number(process.getBuiltinModule('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
      if (Number.isInteger(threadId)) process.getBuiltinModule('node:os').setPriority(threadId, ${nice});
    } catch {}
  }
  `;
}

/**
 * The solver thread. Under tsx (npm start, tests) this file is TypeScript and the worker loads
 * worker.ts through tsx's loader, registered inside the thread first; compiled (dist/) it is
 * worker.js beside this file.
 */
function spawnSolver(input: SolverInput, nice: number): Worker {
  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  const url = JSON.stringify(new URL(typescript ? './worker.ts' : './worker.js', here).href);
  const load = typescript ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${url}); })` : `import(${url})`;
  return new Worker(lowerPriorityFirst(nice) + load, { eval: true, workerData: input });
}

/**
 * Jobs whose instance stopped beating (a restart, a crash) are failed: only the instance that
 * runs a job writes to it while it beats, so any instance may declare it lost once it stops.
 */
export async function failAbandoned(db: TenantDb, error = INTERRUPTED) {
  await db
    .updateTable('timetableJobs')
    .set({ status: 'failed', error, finishedAt: new Date() })
    .where('status', 'in', ['queued', 'running'])
    .where((eb) => eb.or([eb('heartbeatAt', 'is', null), eb('heartbeatAt', '<', sql<string>`now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})`)]))
    .execute();
}

interface Running {
  db: TenantDb;
  stop(): void;
}

/**
 * Runs this instance's jobs, each in a worker thread, and is the only writer of their rows while
 * they run: progress and heartbeat every HEARTBEAT_MS, then the outcome. Writes of one job are
 * chained, and each is conditional on the job still being `running` here, so a cancel from any
 * instance wins: the next write finds nothing to update and the worker is terminated.
 */
export class JobRunner {
  readonly instanceId = randomUUID();
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    /** The solver thread's nice value: see lowerPriorityFirst. */
    private readonly solverNice: number,
  ) {}

  get activeCount() {
    return this.running.size;
  }

  start(schemaName: string, jobId: string, built: SchoolProblem, timeLimitMs: number, seed: number): void {
    const db = tenantDb(this.db, schemaName);
    const worker = spawnSolver({ problem: built.problem, timeLimitMs, seed }, this.solverNice);
    const t0 = Date.now();
    let progress: JobProgress = { elapsedMs: 0, placed: 0, total: built.problem.activities.length, hardViolations: 0, softPenalty: 0 };
    let chain: Promise<unknown> = Promise.resolve();
    let finished = false;
    const ours = () =>
      db.updateTable('timetableJobs').where('id', '=', jobId).where('status', '=', 'running').where('instanceId', '=', this.instanceId);
    const write = (work: () => Promise<unknown>) => {
      chain = chain.then(work).catch((error: unknown) => this.log.error({ err: error, jobId }, 'timetable job: writing its row failed'));
      return chain;
    };
    const stop = () => {
      finished = true;
      clearInterval(timer);
      this.running.delete(jobId);
      void worker.terminate();
    };
    const beat = () =>
      write(async () => {
        if (finished) return;
        const row = await ours()
          .set({ progress: JSON.stringify({ ...progress, elapsedMs: Math.max(progress.elapsedMs, Date.now() - t0) }), heartbeatAt: new Date() })
          .returning('id')
          .executeTakeFirst();
        if (!row) stop();
      });
    const fail = (message: string) =>
      write(async () => {
        stop();
        await ours().set({ status: 'failed', error: message, finishedAt: new Date() }).execute();
      });
    const timer = setInterval(beat, HEARTBEAT_MS);
    this.running.set(jobId, { db, stop });

    write(() =>
      db
        .updateTable('timetableJobs')
        .set({ status: 'running', startedAt: new Date(), heartbeatAt: new Date(), instanceId: this.instanceId })
        .where('id', '=', jobId)
        .where('status', '=', 'queued')
        .execute(),
    );
    worker.on('message', (message: SolverMessage) => {
      if (message.type === 'progress') {
        progress = message.progress;
        return;
      }
      const result = jobResult(built, message);
      const total = built.problem.activities.length;
      const final: JobProgress = { elapsedMs: Date.now() - t0, placed: total - message.unplaced.length, total, hardViolations: message.hard, softPenalty: message.soft };
      write(async () => {
        if (finished) return;
        stop();
        await ours()
          .set({ status: 'succeeded', progress: JSON.stringify(final), result: JSON.stringify(result), finishedAt: new Date(), heartbeatAt: new Date() })
          .execute();
      });
    });
    worker.on('error', (error) => {
      this.log.error({ err: error, jobId }, 'timetable job: the solver failed');
      if (!finished) void fail(`the solver failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (!finished) void fail(`the solver stopped unexpectedly (exit code ${code})`);
    });
  }

  /** Ends the job's worker if it runs here (its row has already been changed by the caller). */
  terminate(jobId: string): void {
    this.running.get(jobId)?.stop();
  }

  /** On shutdown: end every worker; their rows are failed as interrupted. */
  async close(): Promise<void> {
    for (const [id, { db, stop }] of [...this.running]) {
      stop();
      await db
        .updateTable('timetableJobs')
        .set({ status: 'failed', error: INTERRUPTED, finishedAt: new Date() })
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .execute()
        .catch((error: unknown) => this.log.warn({ err: error, jobId: id }, 'timetable job: could not mark it interrupted'));
    }
  }

  /** At start-up: every institution's jobs left behind by a stopped instance are failed. */
  async failAbandonedEverywhere(): Promise<void> {
    const schemas = await this.db.selectFrom('registry.institutions').select('schemaName').execute();
    for (const { schemaName } of schemas) {
      try {
        await failAbandoned(tenantDb(this.db, schemaName));
      } catch (error) {
        this.log.warn({ err: error, schemaName }, 'timetable jobs: could not check for interrupted jobs');
      }
    }
  }
}
