/**
 * `npm run dev`: the API (tsx watch, restarts on server changes) and Vite (hot reload, proxying
 * /api and the WebSocket to the API) side by side. Open http://localhost:5173. Stops both when
 * either stops, on Ctrl-C or on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';

// Each in a process group of its own, stopped as a group: npm does not pass a SIGTERM on to the
// shell and the process its script starts, which would be left running.
const start = (args: string[]) => spawn('npm', args, { stdio: 'inherit', detached: true });
const children: ChildProcess[] = [start(['run', 'dev:api']), start(['run', 'dev', '--workspace', 'web'])];

let stopping = false;
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // That group has already ended.
    }
  }
  process.exitCode = code;
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
