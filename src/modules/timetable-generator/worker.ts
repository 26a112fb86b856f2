import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from './solver/problem.js';
import { type Progress, solve } from './solver/solve.js';

/** What the API thread hands the solver thread. */
export interface SolverInput {
  problem: Problem;
  timeLimitMs: number;
  seed: number;
  /** This thread's nice value (config.timetableSolverNice). */
  nice: number;
}

export type SolverMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; start: number[]; room: number[]; unplaced: number[]; hard: number; soft: number; elapsedMs: number };

/** Runs in a worker thread (jobs.ts): the search never holds the API's event loop. */
const input = workerData as SolverInput;
lowerThisThreadsPriority(input.nice);
const post = (message: SolverMessage) => parentPort!.postMessage(message);
const result = solve(input.problem, {
  timeLimitMs: input.timeLimitMs,
  seed: input.seed,
  progressIntervalMs: 250,
  onProgress: (progress) => post({ type: 'progress', progress }),
});
post({
  type: 'done',
  start: Array.from(result.assignment.start),
  room: Array.from(result.assignment.room),
  unplaced: result.unplaced,
  hard: result.hard,
  soft: result.soft,
  elapsedMs: result.elapsedMs,
});

/**
 * On Linux the nice value belongs to a thread, not to the process: setpriority() with this
 * thread's id (read from /proc/thread-self) lowers the solver alone, and the API's event loop,
 * libuv's pool and PostgreSQL win the CPU whenever they want it. `npm run bench` (p99 under load,
 * solving / no job, 2 CPUs): at nice 0 /api/health 1.7-4.8x and /api/auth/me 3-20x with half the
 * requests served; at 19 both 0.25-1.0x (one run 4.0x from 2 to 8 ms), throughput kept. Elsewhere the call is skipped: the worker thread still
 * keeps the event loop free, it just competes for the CPU as an equal.
 */
function lowerThisThreadsPriority(nice: number): void {
  if (nice <= 0 || process.platform !== 'linux') return;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId)) setPriority(threadId, nice);
  } catch {
    // No /proc (a sandbox) or a refusal: the solver runs at normal priority.
  }
}
