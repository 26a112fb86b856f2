/**
 * File uploads (`POST /api/files`), for `npm run bench`:
 * - throughput of one 10 MB upload against writing the same bytes to disk with `fs` (opened,
 *   written, fsynced, closed: the local driver makes every upload durable before it answers), in
 *   the same run, median of several rounds (target >= 0.5);
 * - how much 20 concurrent 10 MB uploads raise the server's RSS (target < 100 MB).
 * The uploads come from curl processes, so neither the client's buffers nor its CPU time are
 * counted against the server, which is the process measured here.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const FILE_BYTES = 10 * 1024 * 1024;
const ROUNDS = 7;
const CONCURRENT_UPLOADS = 20;

/** A 10 MB file the server accepts as a PDF: its kind is read from the first bytes. */
function pdfBytes(): Buffer {
  const bytes = randomBytes(FILE_BYTES);
  bytes.write('%PDF-1.4\n', 0, 'latin1');
  return bytes;
}

async function curlUpload(apiUrl: string, token: string, file: string): Promise<number> {
  const started = performance.now();
  const { stdout } = await execFileAsync('curl', [
    '--silent', '--show-error', '--output', '/dev/null', '--write-out', '%{http_code}',
    '--header', `authorization: Bearer ${token}`,
    '--form', `file=@${file};type=application/pdf`,
    `${apiUrl}/api/files`,
  ]);
  if (stdout !== '201') throw new Error(`upload answered ${stdout}`);
  return performance.now() - started;
}

async function durableWrite(file: string, bytes: Buffer): Promise<number> {
  const started = performance.now();
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const megabytesPerSecond = (ms: number) => FILE_BYTES / 1024 / 1024 / (ms / 1000);

export async function benchUploads(apiUrl: string, token: string): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'crm-bench-upload-'));
  try {
    const source = path.join(dir, 'upload.pdf');
    const bytes = pdfBytes();
    await writeFile(source, bytes);
    const uploads: number[] = [];
    const writes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      uploads.push(await curlUpload(apiUrl, token, source));
      writes.push(await durableWrite(path.join(dir, `copy-${round}.pdf`), bytes));
    }
    const upload = megabytesPerSecond(median(uploads));
    const write = megabytesPerSecond(median(writes));
    console.log(
      `\nupload of a 10 MB file: ${upload.toFixed(0)} MB/s (median of ${ROUNDS}, curl -> POST /api/files), ` +
        `fs write + fsync of the same bytes: ${write.toFixed(0)} MB/s; ratio ${(upload / write).toFixed(2)} (target >= 0.5)`,
    );

    global.gc?.();
    await sleep(200);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await Promise.all(Array.from({ length: CONCURRENT_UPLOADS }, () => curlUpload(apiUrl, token, source)));
    } finally {
      clearInterval(sampler);
    }
    const mb = (value: number) => (value / 1024 / 1024).toFixed(0);
    console.log(
      `${CONCURRENT_UPLOADS} concurrent 10 MB uploads: server RSS ${mb(before)} MB before, ${mb(peak)} MB at most, ` +
        `+${mb(peak - before)} MB (target < 100 MB)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
