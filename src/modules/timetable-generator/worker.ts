import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from './solver/problem.js';
import { type Progress, solve } from './solver/solve.js';

/** What the API thread hands the solver thread. */
export interface SolverInput {
  problem: Problem;
  timeLimitMs: number;
  seed: number;
}

export type SolverMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; start: number[]; room: number[]; unplaced: number[]; hard: number; soft: number; elapsedMs: number };

/** Runs in a worker thread (jobs.ts): the search never holds the API's event loop. */
const input = workerData as SolverInput;
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

