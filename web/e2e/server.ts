import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const webDist = path.join(repo, 'web/dist');

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `npm start`'s server as a process of its own (src/server.ts under tsx), serving the built app
 * from a copy of web/dist, on PGlite in a temporary DATA_DIR deleted afterwards.
 */
export async function startServer(): Promise<RunningServer> {
  if (!existsSync(path.join(webDist, 'index.html'))) throw new Error('web/dist has no build: run `npm run build:web` first');
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-e2e-'));
  // The server serves its own copy of the build: a rebuild of web/dist during the run (another
  // terminal, `npm run dev`) would otherwise take away the lazy chunks its open pages still load.
  const webDir = path.join(dataDir, 'web');
  cpSync(webDist, webDir, { recursive: true });
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child: ChildProcess = spawn(process.execPath, [path.join(repo, 'node_modules/tsx/dist/cli.mjs'), 'src/server.ts'], {
    cwd: repo,
    env: { ...env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, WEB_DIR: webDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 90 s:\n${output}`)), 90_000);
    child.stdout?.on('data', () => {
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
