/**
 * The uploader for bench/uploads.ts, run as a child process of its own so that neither its CPU
 * time nor its buffers count against the server it measures; started once, so a process start is
 * not timed with every upload either (curl per upload added ~20-30 ms of its own start and file
 * read to each 10 MB upload on the 2-CPU bench machine). On each IPC message it uploads `file`
 * `count` times at once as multipart/form-data, streaming it from disk, and answers with how long
 * each upload took from the first byte sent to the last byte of the answer.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface UploadOrder {
  url: string;
  token: string;
  file: string;
  count: number;
}

export type UploadReport = { ms: number[] } | { error: string };

function uploadOnce({ url, token, file }: UploadOrder): Promise<number> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + statSync(file).size + tail.length;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      `${url}/api/files`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length },
      },
      (res) => {
        const body: Buffer[] = [];
        res.on('data', (chunk: Buffer) => body.push(chunk));
        res.on('end', () => {
          if (res.statusCode === 201) resolve(performance.now() - started);
          else reject(new Error(`upload answered ${res.statusCode}: ${Buffer.concat(body).toString()}`));
        });
      },
    );
    req.on('error', reject);
    req.write(head);
    // 1 MB reads: fewer, larger socket writes than the default 64 KB.
    createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('error', reject)
      .on('end', () => req.end(tail))
      .pipe(req, { end: false });
  });
}

process.on('message', (order: UploadOrder) => {
  Promise.all(Array.from({ length: order.count }, () => uploadOnce(order))).then(
    (ms) => process.send!({ ms } satisfies UploadReport),
    (error: Error) => process.send!({ error: error.message } satisfies UploadReport),
  );
});
