/**
 * Run by `npm start` before the server: builds the web app (npm run build:web) when web/dist is
 * missing or older than any of its sources, so `npm install && npm start` serves an up-to-date
 * app. A failed build stops the start: serving an app that no longer fits the API is worse.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('../web', import.meta.url));
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];

/** The newest modification time under `file` (0 when it does not exist). */
function newest(file: string): number {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

if (process.env.WEB_DIR) {
  console.log(`WEB_DIR is set (${process.env.WEB_DIR}): serving that build as it is`);
} else {
  const built = newest(path.join(web, 'dist/index.html'));
  const changed = Math.max(...SOURCES.map((name) => newest(path.join(web, name))));
  if (built === 0 || built < changed) {
    console.log(built === 0 ? 'Building the web app (first start)…' : 'The web app changed since its last build; rebuilding…');
    const result = spawnSync('npm', ['run', 'build', '--workspace', 'web'], { stdio: 'inherit', cwd: path.join(web, '..') });
    if (result.status !== 0) {
      console.error('The web app did not build; fix the errors above, or start the API alone with `npm run start:api`.');
      process.exit(result.status ?? 1);
    }
  }
}
