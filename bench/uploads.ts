/**
 * File uploads (`POST /api/files`), for `npm run bench`:
 * - throughput of one 10 MB upload against writing the same bytes to disk with `fs` (opened,
 *   written, fsynced, closed: the local driver makes every upload durable before it answers), in
 *   the same run, median of several rounds (target >= 0.5);
 * - a second baseline, printed on a line of its own and not the target: a bare HTTP server in this
 *   process that receives the same request over loopback and writes its body to a file with fsync,
 *   without parsing, hashing, type check or database. The fs baseline never receives 10 MB over
 *   TCP, which an upload must; this one shows what is left to the upload's own work;
 * - how much 20 concurrent 10 MB uploads raise the server's RSS (target < 100 MB).
 * The uploads come from one long-lived uploader process (bench/upload-client.ts), so neither the
 * client's buffers nor its CPU time are counted against the server, which is the process measured
 * here, and no process start is timed with an upload.
 *
 * Where a 10 MB upload's server time went before (--cpu-prof, local driver, PGlite, 2 CPUs):
 * SHA-256 ~5-6 ms, GC ~4 ms, the database transaction (row + activity log) ~3 ms, busboy ~2 ms
 * (mostly Buffer.indexOf already), fs writes ~2 ms. Since then the hash is computed on a thread of
 * its own (files/sha256-thread.ts), the local driver queues up to 1 MB of writes instead of
 * stopping the stream after every 64 KB read (so libuv's pool writes them in fewer writev calls),
 * and the transaction's statements run while the file is fsynced (it commits after). Measured with
 * the previous code as a second server in the same run, uploads alternating, CPU time per upload
 * read from /proc/<pid>/task/<tid>/schedstat, the shared machine at load 17-21: event-loop thread
 * 14-16 ms against 22-27 ms before; libuv's pool 10-14 ms against 21-29 ms; the hashing thread
 * 6 ms. Wall time at that load is mostly waiting for a CPU: medians 64-74 against 91-114 ms in
 * most runs, with single runs either way. The bare server below spends 9-11 ms of event-loop
 * CPU on receiving and writing 10 MB at all; busboy (~1.6 ms), the database (PGlite runs on the
 * event loop) and copying into hash batches make most of the rest.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { UploadOrder, UploadReport } from './upload-client.js';

const FILE_BYTES = 10 * 1024 * 1024;
const ROUNDS = 11;
const CONCURRENT_UPLOADS = 20;

/** A 10 MB file the server accepts as a PDF: its kind is read from the first bytes. */
function pdfBytes(): Buffer {
  const bytes = randomBytes(FILE_BYTES);
  bytes.write('%PDF-1.4\n', 0, 'latin1');
  return bytes;
}

/** Starts the uploader; `upload(count, url)` sends the file `count` times at once and resolves with each one's ms. */
function startUploader(apiUrl: string, token: string, file: string) {
  // fork keeps tsx's loader flags (execArgv), so the client runs from its TypeScript source.
  const child: ChildProcess = fork(new URL('./upload-client.ts', import.meta.url), { stdio: 'inherit' });
  return {
    upload(count: number, url = apiUrl): Promise<number[]> {
      return new Promise((resolve, reject) => {
        child.once('message', (report: UploadReport) => ('ms' in report ? resolve(report.ms) : reject(new Error(report.error))));
        child.send({ url, token, file, count } satisfies UploadOrder);
      });
    },
    stop: () => child.kill(),
  };
}

/**
 * The second baseline: answers 201 once the request's body is in a file of `dir`, fsynced; it
 * ignores the path and the token, so the uploader's requests fit it unchanged.
 */
async function startBareReceiver(dir: string) {
  let count = 0;
  const server = createServer((request, response) => {
    // Queuing writes as the local driver does (1 MB), so the baseline is not slowed by 16 KB stalls.
    pipeline(request, createWriteStream(path.join(dir, `received-${count++}`), { flush: true, highWaterMark: 1024 * 1024 })).then(
      () => response.writeHead(201, { 'content-type': 'application/json' }).end('{}'),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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
  const bare = await startBareReceiver(dir);
  try {
    // Unmeasured uploads warm up both servers (JIT, the institution's folder, the hashing thread).
    for (let i = 0; i < 3; i++) {
      await uploader.upload(1);
      await uploader.upload(1, bare.url);
    }
    const uploads: number[] = [];
    const writes: number[] = [];
    const received: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      uploads.push(...(await uploader.upload(1)));
      writes.push(await durableWrite(path.join(dir, `copy-${round}.pdf`), bytes));
      received.push(...(await uploader.upload(1, bare.url)));
    }
    const upload = megabytesPerSecond(median(uploads));
    const write = megabytesPerSecond(median(writes));
    const receive = megabytesPerSecond(median(received));
    console.log(
      `\nupload of a 10 MB file: ${upload.toFixed(0)} MB/s (median of ${ROUNDS}, uploader process -> POST /api/files), ` +
        `fs write + fsync of the same bytes: ${write.toFixed(0)} MB/s; ratio ${(upload / write).toFixed(2)} (target >= 0.5)`,
    );
    console.log(
      `  second baseline, not the target: a bare HTTP server receiving the same request over loopback and writing its body ` +
        `with fsync (no parsing, hashing, type check or database): ${receive.toFixed(0)} MB/s; the upload reaches ${(upload / receive).toFixed(2)} of it`,
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
    await bare.close();
    await rm(dir, { recursive: true, force: true });
  }
}
