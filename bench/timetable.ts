/**
 * FET benchmark (issue 8): fet-cl and this solver on the same real schools with the same time
 * limit, one after the other in one run. `npm run bench:timetable`; BENCH_TIMETABLE_LIMIT seconds
 * (default 60); BENCH_TIMETABLE_FILES picks files (comma-separated substrings of the paths below).
 * Reports, never fails on numbers.
 *
 * Recorded run (2 cores, BENCH_TIMETABLE_LIMIT=60, fet-cl 6.8.5, seed 1; seconds to the first
 * timetable with no hard violation, '-' = none within the limit; ours includes reading the file;
 * "soft" is each program's own measure: FET's soft conflicts, our weight x units; a fet-cl run at
 * 300 s shared the machine's other core during this run):
 *
 *   file                                      lessons  fet s  fet unpl  ours s  ours unpl  ratio
 *   Denmark/small-school                           25   0.03      0      0.11       0      3.34
 *   Brazil/2/EEBLJ-Noturno                         74   0.62      0      0.05       0      0.08
 *   Argentina/Horario_ISJ                         116   0.46      0      0.20       0      0.43
 *   Brazil/3/ACHILES-MANHA                        147     -       -      0.34       0        -
 *   United-Kingdom/Hopwood                        163   0.16      0      0.05       0      0.32
 *   Spain/3-school/primaria                       254   0.57      0      0.25       0      0.43
 *   Namibia/HashiyanaPSY16T2a                     268   0.21      0      0.12       0      0.58
 *   Indonesia/netura_2016-2017                    383  28.88      0      4.37       0      0.15
 *   Brazil/1/Brazil                               400  17.62      0      3.06       0      0.17
 *   Romania/Computers-Craiova                     434   3.51      0      0.43       0      0.12
 *   Bulgaria/Lom_high_school_2007-2008            448   4.44      0      0.32       0      0.07
 *   Germany/secondary-school-1/secondary_school   589     -       -        -      110        -
 *   Romania/Tg-Mures/2006-2007                    677   0.25      0      0.29       0      1.19
 *   Brazil/2/EEBLJ-Diurno                         842     -       -      0.23       0        -
 *   South-Africa/Collegiate_Junior_School2        883     -       -      0.59       0        -
 *   Namibia/EGS2016T2d                           1019   0.76      0      0.21       0      0.28
 *   Namibia/Shipena                              1596  13.19      0      0.49       0      0.04
 *
 *   median ratio over the 13 files both solved: 0.28 (target 0.5: met); every file fet-cl solves
 *   within 60 s also solved (met); solved where fet-cl did not within 60 s: 3. Beyond 60 s:
 *   fet-cl rejects ACHILES-MANHA outright ("cannot precompute": a 95% min-days constraint over 6
 *   lessons of a teacher with 2 available days, which FET cannot place), solved Collegiate only at
 *   279 s and Shipena at 162 s in a 300 s run (13 s here: its search is randomised), and had not
 *   solved EEBLJ-Diurno when stopped at 330 s (ours: 0.23 s). Germany is solved by neither. Our soft penalty is not polished here (stopAtFirstFeasible).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFet } from '../src/modules/timetable-generator/fet/read-fet.js';
import { solve } from '../src/modules/timetable-generator/solver/solve.js';

const EXAMPLES = '/usr/share/doc/fet-data/examples/FET-5-official';

/**
 * Files whose every active constraint this solver models (the reader reports no ignored
 * constraint for any of them), from small to over 1,500 activities.
 */
const FILES = [
  'Denmark/small-school.fet',
  'Brazil/2/EEBLJ-Noturno.fet',
  'Argentina/Horario_ISJ.fet',
  'Brazil/3/ACHILES-MANHA.fet',
  'United-Kingdom/Hopwood/Hopwood.fet',
  'Spain/3-school/primaria.fet',
  'Namibia/by-Bobby/set-7-2016/HashiyanaPSY16T2a.fet',
  'Indonesia/SMK-Negeri-1-Arahan-Kab-Indramayu/netura_2016-2017.fet',
  'Brazil/1/Brazil.fet',
  'Romania/Faculty-Computers-Craiova/Computers-Craiova.fet',
  'Bulgaria/Lom_high_school_2007-2008.fet',
  'Germany/secondary-school-1/older/secondary_school.fet',
  'Romania/Pedagogic-High-School-Tg-Mures/2006-2007.fet',
  'Brazil/2/EEBLJ-Diurno.fet',
  'South-Africa/difficult/Collegiate_Junior_School2.fet',
  'Namibia/by-Bobby/set-7-2016/EGS2016T2d.fet',
  'Namibia/by-Bobby/set-2/Shipena.fet',
];

interface Run {
  solved: boolean;
  seconds: number | null;
  unplaced: number | null;
  soft: number | null;
}

const limit = Number(process.env.BENCH_TIMETABLE_LIMIT ?? 60);
const pick = process.env.BENCH_TIMETABLE_FILES?.split(',').filter(Boolean);
const files = FILES.filter((f) => !pick || pick.some((p) => f.includes(p)));

function runFet(file: string): Run {
  const dir = mkdtempSync(join(tmpdir(), 'fet-bench-'));
  const off = ['conflicts', 'statistics', 'xml', 'dayshorizontal', 'daysvertical', 'timehorizontal', 'timevertical', 'subgroups', 'groups', 'years', 'teachers', 'teachersfreeperiods', 'rooms', 'subjects', 'activitytags', 'activities'];
  const t0 = performance.now();
  spawnSync('fet-cl', [`--inputfile=${file}`, `--outputdir=${dir}`, `--timelimitseconds=${limit}`, '--htmllevel=0', ...off.map((w) => `--writetimetables${w}=false`)], {
    stdio: 'ignore',
    // fet-cl can overrun its own limit (seen on EEBLJ-Diurno): stop it a little after.
    timeout: (limit + 10) * 1000,
  });
  const seconds = (performance.now() - t0) / 1000;
  const log = existsSync(join(dir, 'logs/result.txt')) ? readFileSync(join(dir, 'logs/result.txt'), 'utf8') : '';
  const solved = log.includes('Simulation successful') && seconds <= limit + 1;
  let soft: number | null = null;
  let unplaced: number | null = null;
  const timetables = join(dir, 'timetables');
  for (const name of existsSync(timetables) ? (readdirSync(timetables, { recursive: true }) as string[]) : []) {
    if (name.endsWith('_soft_conflicts.txt')) soft = Number(/Total soft conflicts: ([\d.]+)/.exec(readFileSync(join(timetables, name), 'utf8'))?.[1] ?? NaN);
  if (Number.isNaN(soft)) soft = null;
  }
  const max = existsSync(join(dir, 'logs/max_placed_activities.txt')) ? readFileSync(join(dir, 'logs/max_placed_activities.txt'), 'utf8') : '';
  const placed = /placed (\d+) activities out of (\d+)/i.exec(max) ?? /(\d+) out of (\d+)/.exec(max);
  if (solved) unplaced = 0;
  else if (placed) unplaced = Number(placed[2]) - Number(placed[1]);
  rmSync(dir, { recursive: true, force: true });
  return { solved, seconds: solved ? seconds : null, unplaced, soft };
}

/** In process (parse + search): a child `tsx` would add seconds of start-up that fet-cl does not pay. */
function runOurs(file: string): Run {
  const t0 = performance.now();
  const input = readFet(readFileSync(file, 'utf8'));
  const result = solve(input.problem, { timeLimitMs: limit * 1000, seed: 1, stopAtFirstFeasible: true });
  const solved = result.firstFeasibleMs !== null;
  return { solved, seconds: solved ? (performance.now() - t0) / 1000 : null, unplaced: result.unplaced.length, soft: result.soft };
}

const fmt = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
console.log(`limit ${limit} s; seconds are wall-clock to the first timetable with no hard violation ('-' = none within the limit)`);
console.log(['file', 'lessons', 'fet s', 'fet unpl', 'fet soft', 'ours s', 'ours unpl', 'ours soft', 'ratio'].join('\t'));
const ratios: number[] = [];
let everyFetSolvedAlsoOurs = true;
let solvedWhereFetFailed = 0;
for (const f of files) {
  const file = join(EXAMPLES, f);
  const lessons = readFet(readFileSync(file, 'utf8')).problem.activities.length;
  const fet = runFet(file);
  const ours = runOurs(file);
  const ratio = fet.seconds !== null && ours.seconds !== null ? ours.seconds / fet.seconds : null;
  if (ratio !== null) ratios.push(ratio);
  if (fet.solved && !ours.solved) everyFetSolvedAlsoOurs = false;
  if (!fet.solved && ours.solved) solvedWhereFetFailed++;
  console.log([f, lessons, fmt(fet.seconds), fet.unplaced ?? '-', fet.soft ?? '-', fmt(ours.seconds), ours.unplaced ?? '-', fmt(ours.soft, 0), fmt(ratio)].join('\t'));
}
ratios.sort((a, b) => a - b);
const median = ratios.length === 0 ? null : ratios.length % 2 ? ratios[ratios.length >> 1]! : (ratios[ratios.length / 2 - 1]! + ratios[ratios.length / 2]!) / 2;
console.log(`\nmedian time ratio (ours / fet-cl) over ${ratios.length} files both solved: ${fmt(median)}`);
console.log(`target: every file fet-cl solves within ${limit} s also solved: ${everyFetSolvedAlsoOurs ? 'met' : 'NOT met'}`);
console.log(`target: median ratio <= 0.5: ${median !== null && median <= 0.5 ? 'met' : 'NOT met'}`);
console.log(`files solved that fet-cl did not solve within ${limit} s: ${solvedWhereFetFailed}`);
