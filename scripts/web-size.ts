/**
 * The web build's JavaScript, gzipped: what the first page load downloads (the entry and every
 * chunk it imports statically) and what each lazily loaded page adds to that. Run after
 * `npm run build:web`: `npm run size --workspace web`. The README reports its figures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const dist = fileURLToPath(new URL('../web/dist', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;

const gzipped = new Map<string, number>();
function size(file: string): number {
  let bytes = gzipped.get(file);
  if (bytes === undefined) {
    bytes = gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
    gzipped.set(file, bytes);
  }
  return bytes;
}

/** The files of a chunk and of everything it imports statically. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(imported, seen);
  return seen;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const sum = (files: Iterable<string>) => [...files].reduce((total, file) => total + size(file), 0);

/** Pages outside the signed-in shell; every other page loads with the shell (src/shell/shell.tsx). */
const PUBLIC_PAGES = ['src/pages/sign-in.tsx', 'src/pages/sign-up.tsx', 'src/shell/not-found.tsx'];
const SHELL = 'src/shell/shell.tsx';

const [entryKey] = Object.entries(manifest).find(([, chunk]) => chunk.isEntry) ?? [];
if (!entryKey) throw new Error('no entry chunk in the manifest; build with `npm run build:web` first');
const initial = closure(entryKey);
const css = manifest[entryKey]?.css ?? [];
console.log(`initial JavaScript: ${kb(sum(initial))} gzipped (${initial.size} files); CSS ${kb(sum(css))} gzipped`);
console.log('first load of each page (initial, the shell for signed-in pages, the page; shared chunks counted once):');
for (const [key, chunk] of Object.entries(manifest)) {
  if (!chunk.isDynamicEntry || key === SHELL) continue;
  const files = new Set([...initial, ...closure(key), ...(PUBLIC_PAGES.includes(key) ? [] : closure(SHELL))]);
  console.log(`  ${key}: ${kb(sum(files))}`);
}
