/**
 * File uploads (`POST /api/files`), for `npm run bench`:
 * - throughput of one 10 MB upload against writing the same bytes to disk with `fs` (opened,
 *   written, fsynced, closed: the local driver makes every upload durable before it answers), in
 *   the same run, median of several rounds (target >= 0.5);
 * - how much 20 concurrent 10 MB uploads raise the server's RSS (target < 100 MB).
 * The uploads come from one long-lived uploader process (bench/upload-client.ts), so neither the
 * client's buffers nor its CPU time are counted against the server, which is the process measured
 * here, and no process start is timed with an upload.
 *
 * Where a 10 MB upload's server time goes (--cpu-prof of POST /api/files, local driver, PGlite, on
 * the shared 2-CPU machine): SHA-256 ~5-6 ms, GC ~4 ms, the database transaction (row + activity
 * log) ~3 ms, busboy's boundary search ~2 ms (Buffer.indexOf is already most of it, so a parser of
 * our own would save little), fs writes ~2 ms; the rest of the wall time is waiting for the CPU
 * and the disk shared with the client. Batching the writes into 1 MB writev calls, with or without
 * a background fdatasync every 2 MB, cost 13-17 ms more server CPU per upload in randomly ordered
 * A/B rounds, so the local driver keeps fs.createWriteStream.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { UploadOrder, UploadReport } from './upload-client.js';

const FILE_BYTES = 10 * 1024 * 1024;
const ROUNDS = 7;
const CONCURRENT_UPLOADS = 20;

/** A 10 MB file the server accepts as a PDF: its kind is read from the first bytes. */
function pdfBytes(): Buffer {
  const bytes = randomBytes(FILE_BYTES);
  bytes.write('%PDF-1.4\n', 0, 'latin1');
  return bytes;
}

/** Starts the uploader; `upload(count)` sends the file `count` times at once and resolves with each one's ms. */
function startUploader(apiUrl: string, token: string, file: string) {
  // fork keeps tsx's loader flags (execArgv), so the client runs from its TypeScript source.
  const child: ChildProcess = fork(new URL('./upload-client.ts', import.meta.url), { stdio: 'inherit' });
  return {
    upload(count: number): Promise<number[]> {
      return new Promise((resolve, reject) => {
        child.once('message', (report: UploadReport) => ('ms' in report ? resolve(report.ms) : reject(new Error(report.error))));
        child.send({ url: apiUrl, token, file, count } satisfies UploadOrder);
      });
    },
    stop: () => child.kill(),
  };
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
  const source = path.join(dir, 'upload.pdf');
  const bytes = pdfBytes();
  await writeFile(source, bytes);
  const uploader = startUploader(apiUrl, token, source);
  try {
    // One unmeasured upload warms up the route (JIT, the institution's folder).
    await uploader.upload(1);
    const uploads: number[] = [];
    const writes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      uploads.push(...(await uploader.upload(1)));
      writes.push(await durableWrite(path.join(dir, `copy-${round}.pdf`), bytes));
    }
    const upload = megabytesPerSecond(median(uploads));
    const write = megabytesPerSecond(median(writes));
    console.log(
      `\nupload of a 10 MB file: ${upload.toFixed(0)} MB/s (median of ${ROUNDS}, uploader process -> POST /api/files), ` +
        `fs write + fsync of the same bytes: ${write.toFixed(0)} MB/s; ratio ${(upload / write).toFixed(2)} (target >= 0.5)`,
    );

    global.gc?.();
    await sleep(200);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await uploader.upload(CONCURRENT_UPLOADS);
    } finally {
      clearInterval(sampler);
    }
    const mb = (value: number) => (value / 1024 / 1024).toFixed(0);
    console.log(
      `${CONCURRENT_UPLOADS} concurrent 10 MB uploads: server RSS ${mb(before)} MB before, ${mb(peak)} MB at most, ` +
        `+${mb(peak - before)} MB (target < 100 MB)`,
    );
  } finally {
    uploader.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
