/**
 * `npm run soak`: the API under load while PostgreSQL ends all of its connections every couple of
 * seconds (what a restart or a failover does to them), reporting what clients saw. The server runs
 * as a process of its own, as in production, so a crash shows as that process exiting and as the
 * requests lost after it. It reports and never fails on numbers.
 *
 * Needs DATABASE_URL (it works in a scratch database of its own, dropped afterwards). SOAK_SECONDS
 * (default 60), SOAK_CLIENTS (concurrent clients, default 16) and SOAK_KILL_INTERVAL_MS (default
 * 2000) change the run; SOAK_RESTART_COMMAND restarts the server instead (only on a server nobody
 * else uses). All traffic goes to 127.0.0.1.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const SECONDS = positiveInteger('SOAK_SECONDS', 60);
const CLIENTS = positiveInteger('SOAK_CLIENTS', 16);
const KILL_INTERVAL_MS = positiveInteger('SOAK_KILL_INTERVAL_MS', 2000);
/** Run instead of terminating backends, e.g. `pg_ctlcluster 15 scratch restart` for a cluster of your own. */
const RESTART_COMMAND = process.env.SOAK_RESTART_COMMAND || undefined;
const execFileAsync = promisify(execFile);
/** A request that takes longer than this counts as lost. */
const REQUEST_TIMEOUT_MS = 5000;
/** How long the server gets to answer every kind of request again once the terminations stop. */
const RECOVERY_WAIT_MS = 10_000;
/** A refused connection fails at once; a dead server must not turn the loop into a busy spin. */
const PAUSE_AFTER_LOST_MS = 50;
const PASSWORD = 'soak-password-long-enough';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${process.env[name]}"`);
  return value;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Server {
  url: string;
  process: ChildProcess;
  /** Set when the process ended on its own: its exit code and what it last wrote. */
  exit?: { code: number | null; atSeconds: number; output: string };
}

/** `npm start` on the scratch database, with logging quiet and the rate limits out of the way. */
async function startServer(databaseUrl: string, dataDir: string, started: number): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_LISTEN_URL: '',
      LOG_LEVEL: 'error',
      JWT_SECRET: randomBytes(36).toString('base64url'),
      RATE_LIMIT_MAX: '100000000',
      AUTH_RATE_LIMIT_PER_IP: '100000000',
      AUTH_RATE_LIMIT_PER_USERNAME: '100000000',
    },
  });
  const server: Server = { url: `http://127.0.0.1:${port}`, process: child };
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.once('exit', (code) => (server.exit = { code, atSeconds: (performance.now() - started) / 1000, output }));
  for (let attempt = 0; attempt < 300 && !server.exit; attempt++) {
    if ((await fetch(`${server.url}/api/health`).catch(() => undefined))?.ok) return server;
    await sleep(100);
  }
  throw new Error(`the server did not start: ${output}`);
}

async function send(url: string, method: string, token?: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

async function sendOk<T>(url: string, method: string, token?: string, body?: unknown): Promise<T> {
  const response = await send(url, method, token, body);
  if (!response.ok) throw new Error(`${method} ${url} failed (${response.status}): ${await response.text()}`);
  return (await response.json()) as T;
}

/** One institution, its admin and a student, through the API. */
async function seed(apiUrl: string) {
  const admin = { username: 'soak_admin', password: PASSWORD };
  const setup = await sendOk<{ institution: { code: string } }>(`${apiUrl}/api/setup/admin`, 'POST', undefined, {
    ...admin,
    name: 'Soak Admin',
    institutionName: 'Soak School',
  });
  const adminToken = (await sendOk<{ token: string }>(`${apiUrl}/api/auth/login`, 'POST', undefined, admin)).token;
  const student = { username: 'soak_student', password: PASSWORD };
  const { id } = await sendOk<{ id: string }>(`${apiUrl}/api/users`, 'POST', adminToken, { ...student, role: 'student', name: 'Sam Soak' });
  const studentToken = (
    await sendOk<{ token: string }>(`${apiUrl}/api/auth/login`, 'POST', undefined, { ...student, institutionCode: setup.institution.code })
  ).token;
  return { adminToken, studentToken, studentId: id };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** Reads and a write that reach the database; /me is served from the sign-in cache between outages. */
function requestMix(apiUrl: string, { adminToken, studentToken, studentId }: Seeded): (() => Promise<Response>)[] {
  return [
    () => send(`${apiUrl}/api/users?limit=50`, 'GET', adminToken),
    () => send(`${apiUrl}/api/users/${studentId}`, 'GET', adminToken),
    () => send(`${apiUrl}/api/users/${studentId}`, 'PATCH', adminToken, { name: 'Sam Soaked' }),
    () => send(`${apiUrl}/api/activity-logs?limit=20`, 'GET', adminToken),
    () => send(`${apiUrl}/api/auth/me`, 'GET', studentToken),
  ];
}

interface Tally {
  sent: number;
  ok: number;
  unavailable: number;
  /** Status and code of every other answer, with how many. */
  other: Map<string, number>;
  lost: number;
}

async function tallyOne(tally: Tally, request: () => Promise<Response>): Promise<void> {
  tally.sent++;
  try {
    const response = await request();
    const text = await response.text();
    if (response.ok) tally.ok++;
    else if (response.status === 503) tally.unavailable++;
    else {
      const key = `${response.status} ${(JSON.parse(text) as { code?: string }).code ?? ''}`;
      tally.other.set(key, (tally.other.get(key) ?? 0) + 1);
    }
  } catch {
    tally.lost++;
    await sleep(PAUSE_AFTER_LOST_MS);
  }
}

/** Ends every session on the scratch database but its own; answers how many it ended. */
async function terminateBackends(databaseUrl: string): Promise<number> {
  const killer = new pg.Client({ connectionString: databaseUrl });
  await killer.connect();
  try {
    const { rowCount } = await killer.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rowCount ?? 0;
  } finally {
    await killer.end();
  }
}

/** An outage every KILL_INTERVAL_MS until `until`: a restart by RESTART_COMMAND, or the backends terminated. */
async function outagesUntil(databaseUrl: string, until: number) {
  let rounds = 0;
  let backends = 0;
  while (performance.now() + KILL_INTERVAL_MS < until) {
    await sleep(KILL_INTERVAL_MS);
    if (RESTART_COMMAND) await execFileAsync('sh', ['-c', RESTART_COMMAND]);
    else backends += await terminateBackends(databaseUrl);
    rounds++;
  }
  return { rounds, backends, lastAt: performance.now() };
}

/** Milliseconds from `since` until every kind of request succeeds at once, or undefined if not within the wait. */
async function timeToRecover(mix: (() => Promise<Response>)[], since: number): Promise<number | undefined> {
  while (performance.now() - since < RECOVERY_WAIT_MS) {
    const answers = await Promise.all(mix.map((request) => request().then((response) => response.ok, () => false)));
    if (answers.every(Boolean)) return performance.now() - since;
    await sleep(50);
  }
  return undefined;
}

async function soak(databaseUrl: string): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'crm-soak-'));
  const started = performance.now();
  const server = await startServer(databaseUrl, dataDir, started);
  try {
    const mix = requestMix(server.url, await seed(server.url));
    const tally: Tally = { sent: 0, ok: 0, unavailable: 0, other: new Map(), lost: 0 };
    const until = performance.now() + SECONDS * 1000;
    const load = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let turn = client; performance.now() < until; turn++) await tallyOne(tally, mix[turn % mix.length]!);
    });
    const [terminations] = await Promise.all([outagesUntil(databaseUrl, until), ...load]);
    const loadEnded = performance.now();
    const recoveredMs = server.exit ? undefined : await timeToRecover(mix, loadEnded);

    const other = [...tally.other].map(([answer, count]) => `${count} x ${answer}`).join(', ') || '0';
    console.log(
      RESTART_COMMAND
        ? `restarted the server ${terminations.rounds} times`
        : `terminated the database's connections ${terminations.rounds} times (${terminations.backends} backends)`,
    );
    console.log(`requests sent ${tally.sent}: 2xx ${tally.ok}, 503 ${tally.unavailable}, 500/other ${other}`);
    console.log(`requests lost (no answer: socket error or over ${REQUEST_TIMEOUT_MS} ms): ${tally.lost}`);
    if (server.exit) {
      console.log(`server process: EXITED with code ${server.exit.code} ${server.exit.atSeconds.toFixed(1)} s after it was started; its last output:`);
      console.log(server.exit.output.trim().split('\n').slice(-15).join('\n'));
    } else {
      console.log('server process: alive');
      console.log(
        recoveredMs === undefined
          ? `recovered: NO, some requests still failed ${RECOVERY_WAIT_MS} ms after the load ended`
          : `recovered: yes, every kind of request succeeded ${recoveredMs.toFixed(0)} ms after the load ended ` +
              `(${(loadEnded - terminations.lastAt).toFixed(0)} ms after the last termination)`,
      );
    }
  } finally {
    if (!server.exit) {
      server.process.kill('SIGTERM');
      await new Promise((resolve) => server.process.once('exit', resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.log('npm run soak needs DATABASE_URL (a PostgreSQL server it may create a scratch database on); skipped.');
} else {
  const outage = RESTART_COMMAND ? `\`${RESTART_COMMAND}\`` : 'every connection of the scratch database terminated';
  console.log(`soak: ${SECONDS} s, ${CLIENTS} clients, ${outage} every ${KILL_INTERVAL_MS} ms`);
  const name = `crm_soak_${randomBytes(6).toString('hex')}`;
  // A connection of its own each time: one held open through the soak would be ended under it.
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(text).finally(() => client.end());
  };
  await admin(`create database ${name}`);
  try {
    const databaseUrl = new URL(serverUrl);
    databaseUrl.pathname = `/${name}`;
    await soak(databaseUrl.href);
  } finally {
    await admin(`drop database if exists ${name} with (force)`);
  }
}
