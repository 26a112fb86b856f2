/**
 * FET benchmark (issue 8): fet-cl and this solver on the same real schools with the same time
 * limit, one after the other in one run. `npm run bench:timetable`; BENCH_TIMETABLE_LIMIT seconds
 * (default 60); BENCH_TIMETABLE_FILES picks files (comma-separated substrings of the paths below).
 * Reports, never fails on numbers.
 *
 * The same run then times the demo school's job through the API (see demoSchoolThroughTheApi).
 *
 * Recorded run (2 cores shared with other work, load average falling from 7 to 1.5 during the run,
 * so both programs' seconds are slower than on an idle machine; BENCH_TIMETABLE_LIMIT=60, fet-cl
 * 6.8.5, seed 1; seconds to the first timetable with no hard violation, '-' = none within the
 * limit; ours includes reading the file; soft: our checker's weight x units of fet-cl's
 * timetable, of ours when first found and after our polishing, which stopped by its own rule at
 * "end s"):
 *
 *   file                                      lessons  fet s  fet soft  ours s  unpl  soft first  soft  end s  ratio
 *   Denmark/small-school                           25   0.03        0    0.01     0          0      0   0.02   0.46
 *   Brazil/2/EEBLJ-Noturno                         74   0.04      855    0.02     0       1330   1140   0.07   0.62
 *   Argentina/Horario_ISJ                         116   0.10      190    0.04     0        285    285   0.12   0.43
 *   Brazil/3/ACHILES-MANHA                        147     -         -    0.05     0       2660   2660   0.08     -
 *   United-Kingdom/Hopwood                        163   0.02        0    0.01     0          0      0   0.01   0.48
 *   Spain/3-school/primaria                       254   0.13      475    0.05     0       1425    665   0.20   0.34
 *   Namibia/HashiyanaPSY16T2a                     268   0.04        0    0.02     0          0      0   0.03   0.61
 *   Indonesia/netura_2016-2017                    383  14.10      855    1.14     0       2185   2185   1.16   0.08
 *   Brazil/1/Brazil                               400   2.58        0    1.49     0          0      0   1.50   0.58
 *   Romania/Computers-Craiova                     434   0.53        0    0.07     0          0      0   0.08   0.13
 *   Bulgaria/Lom_high_school_2007-2008            448   3.18     5024    0.06     0      12449  12449   0.15   0.02
 *   Germany/secondary-school-1/secondary_school   589  26.03     1235    2.26     0       8075   7885   2.31   0.09
 *   Romania/Tg-Mures/2006-2007                    677   0.06      665    0.02     0       1805   1805   0.05   0.35
 *   Brazil/2/EEBLJ-Diurno                         842     -         -    0.06     0       8230   8135   0.11     -
 *   South-Africa/Collegiate_Junior_School2        883     -         -    0.16     0      15865   9595   0.25     -
 *   Namibia/EGS2016T2d                           1019   0.50        0    0.05     0        190    190   0.11   0.10
 *   Namibia/Shipena                              1596   9.13      199    0.09     0      15622  15522   0.18   0.01
 *
 *   median ratio over the 14 files both solved: 0.34 (target 0.5: met); fet-cl solved 14 files
 *   within 60 s and we solved all 14 (target met; Germany, missed before with 29 activities left
 *   at 60 s, now in 2.26 s: a teacher's broken gap limit is repaired at a day's edge next to a
 *   gap, see ejection.ts repairLimits). Solved where fet-cl did not within 60 s: 3 (EEBLJ-Diurno
 *   0.06 s). fet-cl's timetables have the lower soft penalty on 9 of the 14 (the same on 5): its
 *   search weighs soft constraints (mostly min days between activities here) while placing; our
 *   polishing moves them little on FET's files.
 *   Demo school through the API in the same run (load average 1.5): 0.31-0.83 s from POST to
 *   succeeded over seeds 1-5, every lesson placed, hard 0 (target under 1 s: met).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { type FetInput, readFet } from '../src/modules/timetable-generator/fet/read-fet.js';
import { fromFetResult } from '../src/modules/timetable-generator/fet/result.js';
import { child, childrenNamed, parseXml, textOf } from '../src/modules/timetable-generator/fet/xml.js';
import { checkAssignment } from '../src/modules/timetable-generator/solver/check.js';
import { solve } from '../src/modules/timetable-generator/solver/solve.js';

const EXAMPLES = '/usr/share/doc/fet-data/examples/FET-5-official';

/**
 * Files whose every active constraint this solver models (the reader reports no ignored
 * constraint for any of them), from small to over 1,500 activities.
 */
const FET_FILES = [
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
  /** Seconds to the first timetable with no hard violation. */
  seconds: number | null;
  unplaced: number | null;
  /** Soft penalty of the timetable it ends with, by this solver's checker (weight x units). */
  soft: number | null;
}

const limit = Number(process.env.BENCH_TIMETABLE_LIMIT ?? 60);
const pick = process.env.BENCH_TIMETABLE_FILES?.split(',').filter(Boolean);
const files = FET_FILES.filter((f) => !pick || pick.some((p) => f.includes(p)));

/** FET's timetable (its activities XML) as an assignment of ours, for the same checker to judge. */
function fetSoft(input: FetInput, xml: string): number {
  const table = child(parseXml(xml), 'Activities_Timetable');
  const placed = (table ? childrenNamed(table, 'Activity') : []).map((a) => {
    const room = textOf(a, 'Room');
    return { activityId: Number(textOf(a, 'Id')), day: textOf(a, 'Day') ?? '', hour: textOf(a, 'Hour') ?? '', ...(room ? { room } : {}) };
  });
  if (placed.length !== input.problem.activities.length) throw new Error(`fet-cl's activities XML holds ${placed.length} of ${input.problem.activities.length} activities`);
  return checkAssignment(input.problem, fromFetResult(input, { placed, unplaced: [], ignoredConstraints: {}, seconds: 0 })).soft;
}

function runFet(file: string, input: FetInput): Run {
  const dir = mkdtempSync(join(tmpdir(), 'fet-bench-'));
  // Its activities XML (read back for our checker) needs the activity tags' timetables on too.
  const off = ['conflicts', 'statistics', 'dayshorizontal', 'daysvertical', 'timehorizontal', 'timevertical', 'subgroups', 'groups', 'years', 'teachers', 'teachersfreeperiods', 'rooms', 'subjects'];
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
    if (solved && name.endsWith('_activities.xml')) soft = fetSoft(input, readFileSync(join(timetables, name), 'utf8'));
  }
  const max = existsSync(join(dir, 'logs/max_placed_activities.txt')) ? readFileSync(join(dir, 'logs/max_placed_activities.txt'), 'utf8') : '';
  const placed = /placed (\d+) activities out of (\d+)/i.exec(max) ?? /(\d+) out of (\d+)/.exec(max);
  if (solved) unplaced = 0;
  else if (placed) unplaced = Number(placed[2]) - Number(placed[1]);
  rmSync(dir, { recursive: true, force: true });
  return { solved, seconds: solved ? seconds : null, unplaced, soft };
}

/**
 * In process (parse + search): a child `tsx` would add seconds of start-up that fet-cl does not
 * pay. One run: the time to its first timetable with no hard violation (what fet-cl's time is),
 * then the polishing of the soft penalty until the solver's own stopping rule or the limit.
 */
function runOurs(file: string): Run & { firstSoft: number | null; endSeconds: number } {
  const t0 = performance.now();
  const input = readFet(readFileSync(file, 'utf8'));
  const readMs = performance.now() - t0;
  const result = solve(input.problem, { timeLimitMs: limit * 1000, seed: 1 });
  const solved = result.firstFeasibleMs !== null;
  return {
    solved,
    seconds: solved ? (readMs + result.firstFeasibleMs!) / 1000 : null,
    unplaced: result.unplaced.length,
    soft: result.soft,
    firstSoft: result.firstFeasibleSoft,
    endSeconds: (performance.now() - t0) / 1000,
  };
}

const fmt = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));

function compareWithFet(): void {
  console.log(`limit ${limit} s; seconds are wall-clock to the first timetable with no hard violation ('-' = none within the limit)`);
  console.log("soft: our checker's penalty (weight x units) of fet-cl's timetable, of ours when first found, and of ours when the polishing stopped (at 'ours end s')");
  console.log(['file', 'lessons', 'fet s', 'fet unpl', 'fet soft', 'ours s', 'ours unpl', 'soft first', 'ours soft', 'ours end s', 'ratio'].join('\t'));
  const ratios: number[] = [];
  let everyFetSolvedAlsoOurs = true;
  let solvedWhereFetFailed = 0;
  let softBetter = 0;
  let softCompared = 0;
  for (const f of files) {
    const file = join(EXAMPLES, f);
    const input = readFet(readFileSync(file, 'utf8'));
    const fet = runFet(file, input);
    const ours = runOurs(file);
    const ratio = fet.seconds !== null && ours.seconds !== null ? ours.seconds / fet.seconds : null;
    if (ratio !== null) ratios.push(ratio);
    if (fet.solved && !ours.solved) everyFetSolvedAlsoOurs = false;
    if (!fet.solved && ours.solved) solvedWhereFetFailed++;
    if (fet.solved && ours.solved && fet.soft !== null && ours.soft !== null) {
      softCompared++;
      if (ours.soft <= fet.soft) softBetter++;
    }
    const row = [f, input.problem.activities.length, fmt(fet.seconds), fet.unplaced ?? '-', fmt(fet.soft, 0), fmt(ours.seconds), ours.unplaced ?? '-'];
    console.log([...row, fmt(ours.firstSoft, 0), fmt(ours.soft, 0), fmt(ours.endSeconds), fmt(ratio)].join('\t'));
  }
  ratios.sort((a, b) => a - b);
  const median = ratios.length === 0 ? null : ratios.length % 2 ? ratios[ratios.length >> 1]! : (ratios[ratios.length / 2 - 1]! + ratios[ratios.length / 2]!) / 2;
  console.log(`\nmedian time ratio (ours / fet-cl) over ${ratios.length} files both solved: ${fmt(median)}`);
  console.log(`target: every file fet-cl solves within ${limit} s also solved: ${everyFetSolvedAlsoOurs ? 'met' : 'NOT met'}`);
  console.log(`target: median ratio <= 0.5: ${median !== null && median <= 0.5 ? 'met' : 'NOT met'}`);
  console.log(`files solved that fet-cl did not solve within ${limit} s: ${solvedWhereFetFailed}`);
  console.log(`soft penalty after polishing at most fet-cl's: ${softBetter} of ${softCompared} files both solved`);
}

/**
 * The demo school (npm run seed:demo: 8 compact classes, 248 lessons) through the API on PGlite:
 * POST /api/timetables/generate with the default time limit (30 s), polled every 10 ms until the
 * job ends; the solver's early stop ends it. Target (issue 8): every lesson placed with no hard
 * violation in under 1 s.
 */
async function demoSchoolThroughTheApi(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'timetable-bench-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(36).toString('base64url'),
    // Polling every 10 ms from one IP would otherwise meet the rate limiter.
    RATE_LIMIT_MAX: '100000000',
  });
  const app = await buildApp({ config });
  try {
    const demo = await seedDemo(app, { adminUsername: 'bench_admin' });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: demo.admin.username, password: demo.password } });
    const headers = { authorization: `Bearer ${login.json().token}` };
    const load = loadavg()[0]!.toFixed(1);
    console.log(`\ndemo school through the API (PGlite, default time limit 30 s, polled every 10 ms; load average ${load} on ${availableParallelism()} CPUs):`);
    const times: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const t0 = performance.now();
      const started = await app.inject({ method: 'POST', url: '/api/timetables/generate', payload: { seed }, headers });
      if (started.statusCode !== 202) throw new Error(`POST /api/timetables/generate: ${started.statusCode} ${started.body}`);
      const { job } = started.json();
      let state: Record<string, any>;
      do {
        await sleep(10);
        state = (await app.inject({ method: 'GET', url: `/api/timetables/jobs/${job.id}`, headers })).json();
      } while (['queued', 'running'].includes(state.status));
      const seconds = (performance.now() - t0) / 1000;
      const unplaced = (state.result?.unplaced ?? []).reduce((sum: number, u: { count: number }) => sum + u.count, 0);
      const solved = state.status === 'succeeded' && unplaced === 0 && state.result.score.hard === 0;
      if (solved) times.push(seconds);
      console.log(
        `  seed ${seed}: ${state.status} in ${seconds.toFixed(2)} s from POST, ${state.result?.lessons.length ?? 0} lessons placed, ${unplaced} unplaced, ` +
          `hard ${state.result?.score.hard ?? '-'}, soft ${state.result?.score.soft ?? '-'}`,
      );
    }
    const worst = times.length === 5 ? Math.max(...times) : null;
    console.log(`target: every run solved in under 1 s: ${worst !== null && worst < 1 ? 'met' : 'NOT met'} (slowest ${fmt(worst)} s)`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (files.length > 0) compareWithFet();
await demoSchoolThroughTheApi();
