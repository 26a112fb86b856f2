/**
 * `npm run bench`: what the API costs per request next to a bare Fastify route sending JSON of the
 * same size, on PGlite and, when DATABASE_URL is set, on PostgreSQL (in a scratch database).
 * It reports and never fails: numbers from a shared machine are too noisy to gate a build on.
 *
 * BENCH_DURATION (seconds per load run, default 3), BENCH_ROUNDS (interleaved bare/API rounds per
 * route, default 5) and BENCH_INSTITUTIONS (institutions for the tenant lookup run, default 1000)
 * shorten or lengthen it; BENCH_LOAD=process runs the load generator as a separate process.
 * BENCH_ONLY picks sections: routes (with the tenant lookup), timetable, lessons, logins, csv, files,
 * assignments, conversations, realtime, attendance, guardians.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Static } from 'typebox';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { mapWithConcurrency } from '../src/lib/concurrency.js';
import type { LoginBody, LoginResponse } from '../src/modules/auth/schemas.js';
import { type DemoLogins, seedDemo } from '../src/modules/demo/seed.js';
import { benchAssignments } from './assignments.js';
import { benchAttendance } from './attendance.js';
import { benchConversations } from './conversations.js';
import { benchGuardians } from './guardians.js';
import { benchRealtime } from './realtime.js';
import { benchUploads } from './uploads.js';

const DURATION_SECONDS = positiveInteger('BENCH_DURATION', 3);
const ROUNDS = positiveInteger('BENCH_ROUNDS', 5);
const INSTITUTIONS = positiveInteger('BENCH_INSTITUTIONS', 1000);
/** BENCH_ONLY=timetable,csv runs only those sections; unset runs them all. */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').map((name) => name.trim()).filter(Boolean));
const runs = (section: string) => ONLY.size === 0 || ONLY.has(section);
const LOAD_FROM_OWN_PROCESS = loadMode() === 'process';
const CONNECTIONS = 10;
const execFileAsync = promisify(execFile);
const WARMUP_SECONDS = 1;
const SETUP_CONCURRENCY = 4;
const LOGIN_SAMPLES = 20;
const WRONG_PASSWORD = 'not-the-password';
const ME_PATH = '/api/auth/me';
const TIMETABLE_ME_PATH = '/api/timetable/me';
/** A large school for the lesson-write bench: CLASSES classes, each with a lesson in FILLED_SLOTS of its 40 slots. */
const BUSY_SCHOOL = { classes: 40, teachers: 40, filledSlots: 35, writes: 200 };

type DatabaseLabel = 'PGlite' | 'PostgreSQL';

/** One API route under load. */
interface Probe {
  label: string;
  path: string;
  token?: string;
  /** Minimum req/s as a share of the bare route; the targets are set for PostgreSQL. */
  target?: number;
}

/** A probe with the bare route that sends its answer's JSON. */
interface PairedProbe extends Probe {
  bytes: number;
  bareUrl: string;
}

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  /** A run with non-2xx answers or socket errors measured something else than the route. */
  non2xx: number;
  errors: number;
}

interface Comparison {
  probe: PairedProbe;
  /** The round with the median ratio. */
  api: Load;
  bare: Load;
  /** Median over the rounds of API req/s / bare req/s. */
  ratio: number;
}

function loadMode(): 'same' | 'process' {
  const mode = process.env.BENCH_LOAD || 'same';
  if (mode !== 'same' && mode !== 'process') throw new Error(`BENCH_LOAD must be "same" or "process", got "${mode}"`);
  return mode;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function benchConfig(dataDir: string, databaseUrl: string | undefined) {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    // Empty selects PGlite even when the shell has DATABASE_URL set for the PostgreSQL pass.
    DATABASE_URL: databaseUrl ?? '',
    LOG_LEVEL: 'warn',
    // All load comes from one IP and would otherwise measure the rate limiter's 429s.
    RATE_LIMIT_MAX: '100000000',
    AUTH_RATE_LIMIT_PER_IP: '100000000',
    AUTH_RATE_LIMIT_PER_USERNAME: '100000000',
    SIGNUP_RATE_LIMIT_PER_IP: '100000000',
    JWT_SECRET: randomBytes(36).toString('base64url'),
  });
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function getJson(apiUrl: string, probe: Probe): Promise<unknown> {
  const response = await fetch(apiUrl + probe.path, { headers: authHeaders(probe.token) });
  if (!response.ok) throw new Error(`GET ${probe.path} failed (${response.status}): ${await response.text()}`);
  return response.json();
}

function postLogin(apiUrl: string, body: LoginBody): Promise<Response> {
  return fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function login(apiUrl: string, body: LoginBody): Promise<string> {
  const response = await postLogin(apiUrl, body);
  if (!response.ok) throw new Error(`login as ${body.username} failed (${response.status}): ${await response.text()}`);
  return ((await response.json()) as Static<typeof LoginResponse>).token;
}

function loginsOf(demo: DemoLogins) {
  return {
    admin: { username: demo.admin.username, password: demo.admin.password },
    student: { username: demo.students[0]!, password: demo.password, institutionCode: demo.institution.code },
    teacher: { username: demo.teachers[0]!, password: demo.password, institutionCode: demo.institution.code },
  };
}

async function probesFor(apiUrl: string, demo: DemoLogins): Promise<Probe[]> {
  const { admin, student, teacher } = loginsOf(demo);
  const adminToken = await login(apiUrl, admin);
  const studentToken = await login(apiUrl, student);
  const teacherToken = await login(apiUrl, teacher);
  return [
    { label: 'GET /api/health', path: '/api/health' },
    { label: `GET ${ME_PATH} (admin)`, path: ME_PATH, token: adminToken, target: 0.5 },
    { label: `GET ${ME_PATH} (student)`, path: ME_PATH, token: studentToken, target: 0.5 },
    { label: 'GET /api/users?limit=50', path: '/api/users?limit=50', token: adminToken, target: 0.25 },
    { label: `GET ${TIMETABLE_ME_PATH} (student)`, path: TIMETABLE_ME_PATH, token: studentToken, target: 0.4 },
    { label: `GET ${TIMETABLE_ME_PATH} (teacher)`, path: TIMETABLE_ME_PATH, token: teacherToken, target: 0.4 },
  ];
}

/**
 * A plain Fastify instance sending, per probe, the very JSON the API answered with, so the
 * difference is what the app adds (auth, tenancy, database, schemas, plugins), not bytes on the wire.
 */
async function startBareServer(apiUrl: string, probes: Probe[]): Promise<{ bare: FastifyInstance; paired: PairedProbe[] }> {
  const bare = Fastify();
  const bodies: unknown[] = [];
  for (const probe of probes) bodies.push(await getJson(apiUrl, probe));
  bodies.forEach((body, index) => bare.get(`/${index}`, async () => body));
  const bareUrl = await listen(bare);
  const paired = probes.map((probe, index) => ({
    ...probe,
    bytes: Buffer.byteLength(JSON.stringify(bodies[index])),
    bareUrl: `${bareUrl}/${index}`,
  }));
  return { bare, paired };
}

/** autocannon's command line, for BENCH_LOAD=process. */
const AUTOCANNON_CLI = fileURLToPath(import.meta.resolve('autocannon/autocannon.js'));

/** Runs autocannon in a process of its own and reads its JSON result. */
async function autocannonAsProcess(options: { url: string; headers: Record<string, string>; duration: number }) {
  const headerArgs = Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const args = [AUTOCANNON_CLI, '-j', '-c', String(CONNECTIONS), '-d', String(options.duration), ...headerArgs, options.url];
  const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as autocannon.Result;
}

async function load(url: string, headers: Record<string, string>, warmUp: boolean): Promise<Load> {
  // By default the load generator shares the event loop with the servers. That adds the same
  // client cost to both sides of a ratio and flatters it somewhat, but in a worker thread
  // (autocannon's `workers`) the bare route swung between 19k and 45k req/s from run to run on a
  // 2-CPU machine. BENCH_LOAD=process runs it as a separate process instead: the server then has
  // its thread to itself but shares the machine's cores with the load generator and PostgreSQL.
  const run = (duration: number) =>
    LOAD_FROM_OWN_PROCESS ? autocannonAsProcess({ url, headers, duration }) : autocannon({ url, headers, connections: CONNECTIONS, duration });
  if (warmUp) await run(WARMUP_SECONDS);
  const result = await run(DURATION_SECONDS);
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * Each bare route runs right before its API route, so both see the same machine conditions, and
 * the pair is repeated: on a shared 2-CPU machine one run of the same route varies by a third, and
 * the median of the per-round ratios is far steadier than any single run.
 */
async function measure(apiUrl: string, probes: PairedProbe[]): Promise<Comparison[]> {
  const comparisons: Comparison[] = [];
  for (const probe of probes) {
    const rounds: Omit<Comparison, 'probe'>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bare = await load(probe.bareUrl, {}, round === 0);
      const api = await load(apiUrl + probe.path, authHeaders(probe.token), round === 0);
      rounds.push({ api, bare, ratio: api.requestsPerSecond / bare.requestsPerSecond });
    }
    rounds.sort((a, b) => a.ratio - b.ratio);
    comparisons.push({ probe, ...rounds[Math.floor(rounds.length / 2)]! });
  }
  return comparisons;
}

function ratio(comparison: Comparison): number {
  return comparison.ratio;
}

function targetVerdict(comparison: Comparison, database: DatabaseLabel): string {
  const { target } = comparison.probe;
  if (target === undefined) return '';
  if (database !== 'PostgreSQL') return `(>= ${target.toFixed(2)} on PostgreSQL)`;
  return `>= ${target.toFixed(2)} ${ratio(comparison) >= target ? 'met' : 'NOT MET'}`;
}

function errorNote({ api, bare }: Comparison): string {
  if ([api, bare].every((run) => run.non2xx === 0 && run.errors === 0)) return '';
  return `ERRORS: api ${api.non2xx} non-2xx/${api.errors} socket, bare ${bare.non2xx} non-2xx/${bare.errors} socket`;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ').trimEnd());
}

function printComparisons(comparisons: Comparison[], database: DatabaseLabel): void {
  printTable([
    ['route', 'bytes', 'req/s', 'p99 ms', 'bare req/s', 'bare p99 ms', 'ratio to bare', 'target', 'errors'],
    ...comparisons.map((c) => [
      c.probe.label,
      String(c.probe.bytes),
      c.api.requestsPerSecond.toFixed(0),
      String(c.api.p99Ms),
      c.bare.requestsPerSecond.toFixed(0),
      String(c.bare.p99Ms),
      ratio(c).toFixed(2),
      targetVerdict(c, database),
      errorNote(c),
    ]),
  ]);
  if (comparisons.some(errorNote)) console.log('WARNING: runs with errors timed error answers; their numbers do not count.');
}

/** Measures `probes` against bare routes sending the same JSON, and prints them (for sections in their own files). */
async function compareToBare(apiUrl: string, probes: Probe[], database: DatabaseLabel): Promise<void> {
  const { bare, paired } = await startBareServer(apiUrl, probes);
  try {
    printComparisons(await measure(apiUrl, paired), database);
  } finally {
    await bare.close();
  }
}

/** Each is a full sign-up: an argon2 hash and a new schema with every tenant table. */
async function addInstitutions(app: FastifyInstance, count: number): Promise<void> {
  const numbers = Array.from({ length: count }, (_, index) => index + 1);
  await mapWithConcurrency(numbers, SETUP_CONCURRENCY, async (number) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/setup/admin',
      payload: { username: `bench_extra_${number}`, password: 'bench-password', name: 'Bench Admin', institutionName: `Bench School ${number}` },
    });
    if (response.statusCode !== 201) throw new Error(`creating institution ${number} failed (${response.statusCode}): ${response.body}`);
  });
}

/** /me again once there are INSTITUTIONS institutions: resolving the tenant must not slow down. */
async function benchTenantLookup(app: FastifyInstance, apiUrl: string, before: Comparison[], database: DatabaseLabel) {
  const added = await timed(() => addInstitutions(app, INSTITUTIONS - 1));
  console.log(`\ncreated ${INSTITUTIONS - 1} more institutions in ${added.seconds} s (${SETUP_CONCURRENCY} at a time)`);
  const meBefore = before.filter((comparison) => comparison.probe.path === ME_PATH);
  const meAfter = await measure(
    apiUrl,
    meBefore.map(({ probe }) => ({ ...probe, label: `${probe.label} @${INSTITUTIONS}` })),
  );
  printComparisons(meAfter, database);
  meBefore.forEach((few, index) => {
    const many = meAfter[index]!;
    console.log(
      `tenant lookup ${few.probe.label}, ${INSTITUTIONS} vs 1 institutions: ` +
        `req/s ratio ${(many.api.requestsPerSecond / few.api.requestsPerSecond).toFixed(2)}, ` +
        `ratio to bare ${ratio(few).toFixed(2)} -> ${ratio(many).toFixed(2)} (designed to stay the same)`,
    );
  });
}

/** The answer's JSON, or an error naming the request. */
async function send(apiUrl: string, method: string, path: string, token: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} failed (${response.status}): ${await response.text()}`);
  return response.json() as Promise<Record<string, any>>;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

/**
 * POST /api/schedules into a school that already holds 1,400 lessons: 40 classes and 40 teachers,
 * class c taught by teacher (c + s) mod 40 in slot s for the first 35 slots (a Latin square, so
 * nothing clashes). The timed posts fill the free slots one by one: each checks the bell schedule,
 * the teacher, and the three slot constraints against a full table.
 */
async function benchLessonWrites(app: FastifyInstance, apiUrl: string): Promise<void> {
  const setup = await app.inject({
    method: 'POST',
    url: '/api/setup/admin',
    payload: { username: 'bench_busy_admin', password: 'bench-password', name: 'Busy Admin', institutionName: 'Busy School' },
  });
  if (setup.statusCode !== 201) throw new Error(`creating the busy school failed: ${setup.body}`);
  const token = await login(apiUrl, { username: 'bench_busy_admin', password: 'bench-password' });
  const csv = ['username,password,role,name', ...Array.from({ length: BUSY_SCHOOL.teachers }, (_, i) => `busy_t${i},bench-password,teacher,Teacher ${i}`)];
  await send(apiUrl, 'POST', '/api/users/import', token, csv.join('\n'), 'text/csv');
  const teacherPage = await send(apiUrl, 'GET', '/api/users?role=teacher&limit=200', token);
  const teachers = (teacherPage.items as { id: string; username: string }[])
    .sort((a, b) => Number(a.username.slice(6)) - Number(b.username.slice(6)))
    .map((user) => user.id);
  const subject = await send(apiUrl, 'POST', '/api/subjects', token, { name: 'General Studies' });
  const classes: string[] = [];
  for (let c = 0; c < BUSY_SCHOOL.classes; c += 1) {
    classes.push((await send(apiUrl, 'POST', '/api/classes', token, { name: `Busy ${c}`, grade: (c % 12) + 1, section: String(c) })).id);
  }
  const { days } = (await send(apiUrl, 'GET', '/api/bell-schedule', token)) as { days: string[] };
  const slot = (s: number) => ({ day: days[s % days.length], period: Math.floor(s / days.length) + 1 });
  const lesson = (c: number, s: number) => ({ classId: classes[c], subjectId: subject.id, teacherId: teachers[(c + s) % BUSY_SCHOOL.teachers], ...slot(s) });
  const existing = classes.flatMap((_, c) => Array.from({ length: BUSY_SCHOOL.filledSlots }, (_, s) => lesson(c, s)));
  await send(apiUrl, 'POST', '/api/schedules/bulk', token, { lessons: existing });

  const latencies: number[] = [];
  for (let n = 0; n < BUSY_SCHOOL.writes; n += 1) {
    const c = n % BUSY_SCHOOL.classes;
    const s = BUSY_SCHOOL.filledSlots + Math.floor(n / BUSY_SCHOOL.classes);
    const started = performance.now();
    await send(apiUrl, 'POST', '/api/schedules', token, lesson(c, s));
    latencies.push(performance.now() - started);
  }
  console.log(
    `POST /api/schedules into a school of ${existing.length} lessons (${BUSY_SCHOOL.writes} sequential writes): ` +
      `median ${median(latencies).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
  );
}

async function timedFailedLogin(apiUrl: string, body: LoginBody): Promise<number> {
  const started = performance.now();
  const response = await postLogin(apiUrl, body);
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  // Any other answer (a 429, a success) would time a different code path.
  if (response.status !== 401) throw new Error(`expected 401 for ${body.username}, got ${response.status}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Unknown username vs wrong password, alternated so that drift affects both alike. */
async function compareFailedLogins(apiUrl: string, label: string, account: LoginBody): Promise<void> {
  const unknownUser = { ...account, username: 'nobody_here' };
  const wrongPassword = { ...account, password: WRONG_PASSWORD };
  // The first unknown-user sign-in also hashes the dummy password, which later ones reuse.
  await timedFailedLogin(apiUrl, unknownUser);
  await timedFailedLogin(apiUrl, wrongPassword);
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let sample = 0; sample < LOGIN_SAMPLES; sample++) {
    unknown.push(await timedFailedLogin(apiUrl, unknownUser));
    wrong.push(await timedFailedLogin(apiUrl, wrongPassword));
  }
  const [unknownMs, wrongMs] = [median(unknown), median(wrong)];
  console.log(
    `login ${label}, unknown username vs wrong password (median of ${LOGIN_SAMPLES}): ` +
      `${unknownMs.toFixed(1)} ms vs ${wrongMs.toFixed(1)} ms, ratio ${(unknownMs / wrongMs).toFixed(2)} (designed to be 1.00)`,
  );
}

/**
 * One CSV import of 1,000 users through the API: an argon2 hash per row, then the inserts in
 * batches. Timed here rather than in the test suite, where this one test took 33-47 s of each run.
 */
async function benchCsvImport(apiUrl: string, admin: LoginBody): Promise<void> {
  const count = 1000;
  const header = 'username,password,role,name,email,phone,address,dateOfBirth';
  const rows = Array.from({ length: count }, (_, i) => `bench_import_${i},bench-password,${i % 20 === 0 ? 'teacher' : 'student'},Imported ${i},,,,`);
  const token = await login(apiUrl, admin);
  const { result: response, seconds } = await timed(() =>
    fetch(`${apiUrl}/api/users/import`, {
      method: 'POST',
      headers: { ...authHeaders(token), 'content-type': 'text/csv' },
      body: [header, ...rows].join('\n'),
    }),
  );
  const body = await response.text();
  if (response.status !== 201) throw new Error(`CSV import failed (${response.status}): ${body}`);
  console.log(`CSV import of ${count} rows in one request: ${seconds} s (${body})`);
}

/**
 * The timetable generator on the demo school through the API: POST /api/timetables/generate to
 * the job's end (and to the first poll that shows every lesson placed with no hard violation),
 * then p99 of GET /api/health and GET /api/auth/me with no job, and again while a job (cancelled
 * afterwards) solves in its worker thread.
 */
async function benchTimetableJob(apiUrl: string, admin: LoginBody): Promise<void> {
  const token = await login(apiUrl, admin);
  const poll = async (id: string) => (await send(apiUrl, 'GET', `/api/timetables/jobs/${id}`, token)) as Record<string, any>;
  const limit = 1;
  const t0 = performance.now();
  const { job } = await send(apiUrl, 'POST', '/api/timetables/generate', token, { timeLimitSeconds: limit, seed: 1 });
  let solvedMs: number | undefined;
  let state = await poll(job.id);
  while (['queued', 'running'].includes(state.status)) {
    const { placed, total, hardViolations } = state.progress ?? {};
    if (solvedMs === undefined && total > 0 && placed === total && hardViolations === 0) solvedMs = performance.now() - t0;
    await sleep(10);
    state = await poll(job.id);
  }
  const endMs = performance.now() - t0;
  const unplaced = (state.result?.unplaced ?? []).reduce((sum: number, u: { count: number }) => sum + u.count, 0);
  if (solvedMs === undefined && state.status === 'succeeded' && unplaced === 0 && state.result.score.hard === 0) solvedMs = endMs;
  console.log(
    `timetable job for the demo school (timeLimitSeconds ${limit}): ${state.status} in ${(endMs / 1000).toFixed(2)} s from POST, ` +
      `${state.result?.lessons.length ?? 0} lessons placed, ${unplaced} unplaced, hard ${state.result?.score.hard ?? '-'}, ` +
      `soft ${state.result?.score.soft ?? '-'}; every lesson placed with no hard violation ` +
      (solvedMs === undefined ? 'never' : `${(solvedMs / 1000).toFixed(2)} s after POST`),
  );

  const routes = [
    { label: 'GET /api/health', path: '/api/health', headers: {} },
    { label: `GET ${ME_PATH} (admin)`, path: ME_PATH, headers: authHeaders(token) },
  ];
  const idle: Load[] = [];
  for (const route of routes) idle.push(await load(apiUrl + route.path, route.headers, true));
  // The solver stops once it has nothing left to gain (about half a second on the demo school), so
  // jobs run back to back for as long as the load runs last; the one running at the end is cancelled.
  let solving = true;
  let jobs = 0;
  let solvingMs = 0;
  const backToBack = (async () => {
    while (solving) {
      const started = performance.now();
      const { job } = await send(apiUrl, 'POST', '/api/timetables/generate', token, { timeLimitSeconds: 60, seed: 2 + jobs });
      jobs++;
      let state = await poll(job.id);
      while (solving && ['queued', 'running'].includes(state.status)) {
        // Seldom enough that the polls are not part of the load being measured.
        await sleep(100);
        state = await poll(job.id);
      }
      solvingMs += performance.now() - started;
      if (['queued', 'running'].includes(state.status)) await send(apiUrl, 'DELETE', `/api/timetables/jobs/${job.id}`, token);
    }
  })();
  const busyStarted = performance.now();
  const busy: Load[] = [];
  for (const route of routes) busy.push(await load(apiUrl + route.path, route.headers, false));
  const busyMs = performance.now() - busyStarted;
  solving = false;
  await backToBack;
  printTable([
    ['route (p99 under load)', 'no job', 'job solving', 'ratio', 'req/s no job', 'req/s solving'],
    ...routes.map((route, i) => [
      route.label,
      `${idle[i]!.p99Ms} ms`,
      `${busy[i]!.p99Ms} ms`,
      (busy[i]!.p99Ms / Math.max(1, idle[i]!.p99Ms)).toFixed(2),
      idle[i]!.requestsPerSecond.toFixed(0),
      busy[i]!.requestsPerSecond.toFixed(0) +
        ([idle[i]!, busy[i]!].some((run) => run.non2xx + run.errors > 0) ? ` ERRORS: ${idle[i]!.non2xx + idle[i]!.errors} / ${busy[i]!.non2xx + busy[i]!.errors}` : ''),
    ]),
  ]);
  console.log(`(${jobs} jobs back to back while the solving runs lasted, ${((100 * Math.min(solvingMs, busyMs)) / busyMs).toFixed(0)}% of their time)`);
}

function printMemory(): void {
  const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  console.log(
    `memory (whole process, servers still open): RSS ${megabytes(rss)}, heap ${megabytes(heapUsed)} used / ` +
      `${megabytes(heapTotal)} total, external ${megabytes(external)}`,
  );
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: string }> {
  const started = performance.now();
  const result = await run();
  return { result, seconds: ((performance.now() - started) / 1000).toFixed(1) };
}

async function benchDatabase(database: DatabaseLabel, databaseUrl: string | undefined): Promise<void> {
  console.log(`\n== ${database} ==`);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'crm-bench-'));
  let app: FastifyInstance | undefined;
  let bare: FastifyInstance | undefined;
  try {
    const api = await buildApp({ config: benchConfig(dataDir, databaseUrl) });
    app = api;
    const seeded = await timed(() => seedDemo(api, { adminUsername: 'bench_admin' }));
    const demo = seeded.result;
    console.log(`seeded 1 institution with ${demo.teachers.length} teachers and ${demo.students.length} students in ${seeded.seconds} s`);
    const apiUrl = await listen(api);
    const started = await startBareServer(apiUrl, await probesFor(apiUrl, demo));
    bare = started.bare;

    const { admin, student } = loginsOf(demo);
    if (runs('routes')) {
      const comparisons = await measure(apiUrl, started.paired);
      printComparisons(comparisons, database);
      await benchTenantLookup(api, apiUrl, comparisons, database);
    }
    if (runs('timetable')) await benchTimetableJob(apiUrl, admin);
    if (runs('lessons')) await benchLessonWrites(api, apiUrl);
    if (runs('logins')) {
      console.log('');
      await compareFailedLogins(apiUrl, 'as admin', admin);
      await compareFailedLogins(apiUrl, 'as student', student);
    }
    if (runs('csv')) await benchCsvImport(apiUrl, admin);
    if (runs('files')) await benchUploads(apiUrl, await login(apiUrl, admin));
    if (runs('realtime')) await benchRealtime({ api, apiUrl, institutionId: demo.institution.id });
    if (runs('attendance')) await benchAttendance({ apiUrl, adminToken: await login(apiUrl, admin), login, institutionCode: demo.institution.code, send });
    if (runs('guardians')) await benchGuardians({ apiUrl, token: await login(apiUrl, { username: demo.guardians.usernames[0]!, password: demo.password, institutionCode: demo.institution.code }), send, compare: (probes) => compareToBare(apiUrl, probes, database) });
    if (runs('conversations')) await benchConversations({ apiUrl, logins: loginsOf(demo), login, send, compare: (probes) => compareToBare(apiUrl, probes, database) });
    if (runs('assignments')) {
      const logins = loginsOf(demo);
      const tokens = { admin: await login(apiUrl, logins.admin), student: await login(apiUrl, logins.student), teacher: await login(apiUrl, logins.teacher) };
      await benchAssignments({ apiUrl, tokens, send, compare: (probes) => compareToBare(apiUrl, probes, database) });
    }
    printMemory();
  } finally {
    await bare?.close();
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * pg's pool.end() resolves before its sockets have closed; dropping the database only once they
 * have keeps the bench from ending live sessions under the closing app.
 */
async function waitForDisconnects(client: pg.Client, database: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await client.query<{ sessions: number }>(
      'select count(*)::int as sessions from pg_stat_activity where datname = $1',
      [database],
    );
    if (rows[0]?.sessions === 0) return;
    await sleep(100);
  }
}

/** A database of its own on the given server, dropped afterwards, so the bench never touches other data. */
async function withScratchDatabase(serverUrl: string, run: (databaseUrl: string) => Promise<void>): Promise<void> {
  const name = `crm_bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
    const databaseUrl = new URL(serverUrl);
    databaseUrl.pathname = `/${name}`;
    await run(databaseUrl.toString());
  } finally {
    await waitForDisconnects(client, name);
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

console.log(
  `bench: ${ROUNDS} rounds of ${DURATION_SECONDS} s per route (after ${WARMUP_SECONDS} s warm-up), ${CONNECTIONS} connections, ` +
    `${INSTITUTIONS} institutions for the tenant lookup; node ${process.version}, ${availableParallelism()} CPUs; ` +
    `load generator ${LOAD_FROM_OWN_PROCESS ? 'in a process of its own (BENCH_LOAD=process)' : 'in the servers\' process'}.\n` +
    'ratio to bare = req/s of the API route / req/s of a bare Fastify route sending the same JSON, measured ' +
    'right before it; the median round is shown. p99 has 1 ms resolution.',
);
await benchDatabase('PGlite', undefined);
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) await withScratchDatabase(serverUrl, (databaseUrl) => benchDatabase('PostgreSQL', databaseUrl));
else console.log('\nDATABASE_URL is not set: skipped the PostgreSQL pass.');
