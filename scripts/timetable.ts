import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readFet } from '../src/modules/timetable-generator/fet/read-fet.js';
import { fromFetResult, toFetResult, type FetResult } from '../src/modules/timetable-generator/fet/result.js';
import { checkAssignment } from '../src/modules/timetable-generator/solver/check.js';
import { solve } from '../src/modules/timetable-generator/solver/solve.js';

const usage = `Usage:
  npm run timetable -- solve-fet FILE.fet --time-limit S [--seed N] [--first-feasible] --out RESULT.json
  npm run timetable -- check FILE.fet RESULT.json`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'time-limit': { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    'first-feasible': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});
const [command, file, resultFile] = positionals;

if (command === 'solve-fet' && file && values.out) {
  const input = readFet(readFileSync(file, 'utf8'));
  const result = solve(input.problem, {
    timeLimitMs: Number(values['time-limit']) * 1000,
    seed: Number(values.seed),
    stopAtFirstFeasible: values['first-feasible'],
    onProgress: values.quiet
      ? undefined
      : (p) => process.stderr.write(`${(p.elapsedMs / 1000).toFixed(1)}s placed ${p.placed}/${p.total} hard ${p.hardViolations} soft ${p.softPenalty}\n`),
  });
  writeFileSync(values.out, JSON.stringify(toFetResult(input, result), null, 1));
  // One machine-readable summary line for the benchmark.
  console.log(
    JSON.stringify({
      activities: input.problem.activities.length,
      unplaced: result.unplaced.length,
      soft: result.soft,
      firstFeasibleSeconds: result.firstFeasibleMs === null ? null : result.firstFeasibleMs / 1000,
      seconds: result.elapsedMs / 1000,
      moves: result.moves,
    }),
  );
} else if (command === 'check' && file && resultFile) {
  let input;
  let result: FetResult;
  try {
    input = readFet(readFileSync(file, 'utf8'));
    result = JSON.parse(readFileSync(resultFile, 'utf8')) as FetResult;
  } catch (error) {
    console.error(`cannot read input: ${(error as Error).message}`);
    process.exit(2);
  }
  const violations = checkAssignment(input.problem, fromFetResult(input, result));
  console.log(`placed ${result.placed.length}, unplaced ${result.unplaced.length}`);
  for (const [kind, v] of Object.entries(violations.byKind)) console.log(`  ${kind}: hard ${v.hard}, soft ${v.soft}`);
  console.log(`hard violations ${violations.hard}, soft penalty ${violations.soft}`);
  const ignored = Object.entries(result.ignoredConstraints ?? {});
  if (ignored.length > 0) console.log(`ignored constraints: ${ignored.map(([tag, n]) => `${tag} ${n}`).join(', ')}`);
} else {
  console.error(usage);
  process.exit(2);
}
