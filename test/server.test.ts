import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'vitest';

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
 * Start-up loads every module through tsx and runs initdb for a fresh PGlite: 10-20 s on the
 * 2-CPU machine by itself, and past 45 s while other test files and other work shared it.
 */
const START_DEADLINE_MS = 100_000;

/** Starts src/server.ts as `npm start` does, with PGlite in a fresh DATA_DIR; killed when the test ends. */
async function startServer(env: Record<string, string>, onTestFinished: TestContext['onTestFinished']) {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + START_DEADLINE_MS;
  while (!output.includes('API documentation') && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { output: () => output, exited, process: child };
}

// Each test has a server process of its own, so they run side by side: the file takes as long as its
// slowest test instead of the sum.
describe.concurrent('server process', { timeout: START_DEADLINE_MS + 20_000 }, () => {
  it('starts on PORT with PGlite under DATA_DIR, prints its URL and /docs, and shuts down gracefully on SIGTERM', async ({ expect, onTestFinished }) => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-server-'));
    const server = await startServer({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'debug' }, onTestFinished);
    expect(server.output()).toContain(`listening on http://127.0.0.1:${port}`);
    expect(server.output()).toContain(`http://127.0.0.1:${port}/docs`);
    expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'jwt-secret'))).toBe(true);

    const health = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: 'Bearer secret-token-value' } });
    expect(health.status).toBe(200);

    // A sign-in spends tens of milliseconds hashing: SIGTERM arrives while it is in flight.
    const inFlight = fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'whatever-password' }),
    });
    while (!server.output().includes('"url":"/api/auth/login"')) await new Promise((resolve) => setTimeout(resolve, 2));
    server.process.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(401);
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toContain('shutdown complete; database closed');
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    // Structured logs, and never a password or a token in them.
    expect(server.output()).toContain('"msg":"request completed"');
    expect(server.output()).not.toContain('whatever-password');
    expect(server.output()).not.toContain('secret-token-value');
  });

  it('refuses to start in production without JWT_SECRET', async ({ expect, onTestFinished }) => {
    const server = await startServer(
      { NODE_ENV: 'production', PORT: String(await freePort()), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'crm-prod-')), JWT_SECRET: '' },
      onTestFinished,
    );
    expect(await server.exited).not.toBe(0);
    expect(server.output()).toContain('JWT_SECRET is required');
  });
});
