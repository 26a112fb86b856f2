import type { Assignment } from '../solver/problem.js';
import type { SolveResult } from '../solver/solve.js';
import type { FetInput } from './read-fet.js';

/** The command line's result file (issue 8). */
export interface FetResult {
  placed: { activityId: number; day: string; hour: string; room?: string }[];
  unplaced: number[];
  ignoredConstraints: Record<string, number>;
  seconds: number;
}

export function toFetResult(input: FetInput, result: SolveResult): FetResult {
  const { problem, dayNames, hourNames } = input;
  const unplaced = new Set(result.unplaced);
  const placed: FetResult['placed'] = [];
  problem.activities.forEach((activity, i) => {
    const s = result.assignment.start[i]!;
    if (unplaced.has(i) || s < 0) return;
    const r = result.assignment.room[i]!;
    placed.push({
      activityId: activity.id,
      day: dayNames[Math.floor(s / problem.hours)]!,
      hour: hourNames[s % problem.hours]!,
      ...(r >= 0 ? { room: problem.rooms[r]! } : {}),
    });
  });
  return {
    placed,
    unplaced: [...unplaced].map((i) => problem.activities[i]!.id),
    ignoredConstraints: input.ignoredConstraints,
    seconds: Math.round(result.elapsedMs) / 1000,
  };
}

/** Reads a result file back into an assignment; names that do not exist in the FET file are errors. */
export function fromFetResult(input: FetInput, result: FetResult): Assignment {
  const { problem, dayNames, hourNames } = input;
  const n = problem.activities.length;
  const assignment: Assignment = { start: new Int32Array(n).fill(-1), room: new Int32Array(n).fill(-1) };
  const byId = new Map(problem.activities.map((a, i) => [a.id, i]));
  for (const p of result.placed) {
    const i = byId.get(p.activityId);
    const d = dayNames.indexOf(p.day);
    const h = hourNames.indexOf(p.hour);
    if (i === undefined || d < 0 || h < 0) throw new Error(`unknown activity, day or hour in ${JSON.stringify(p)}`);
    assignment.start[i] = d * problem.hours + h;
    if (p.room !== undefined) {
      const r = problem.rooms.indexOf(p.room);
      if (r < 0) throw new Error(`unknown room ${p.room}`);
      assignment.room[i] = r;
    }
  }
  return assignment;
}
