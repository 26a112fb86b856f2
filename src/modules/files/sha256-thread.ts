import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of uploads, computed on a thread of its own while the event loop receives the next
 * bytes. Hashing on the event loop took 5-7 ms of its ~30 ms per 10 MB upload (`npm run bench`);
 * here the event loop only copies the bytes into batches, which it hands over without a further
 * copy (transferred, not cloned). One thread serves every upload of the process.
 */

/** Bytes copied into one batch before it is handed over; a smaller file is hashed right here. */
const BATCH_BYTES = 256 * 1024;
/** Bytes handed over and not hashed yet, across all uploads; past it, uploads wait for the thread. */
const MAX_IN_FLIGHT = 8 * 1024 * 1024;

/**
 * The thread: a hash per upload id. Every batch goes back with the reply (transferred again), to
 * be filled anew, so uploads allocate no memory for hashing; the last reply carries the digest.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', ({ id, bytes, last, discard }) => {
  if (discard) {
    hashes.delete(id);
    return;
  }
  let hash = hashes.get(id);
  if (!hash) hashes.set(id, (hash = createHash('sha256')));
  hash.update(bytes);
  const reply = { id, batch: bytes.buffer };
  if (last) {
    hashes.delete(id);
    reply.digest = hash.digest('hex');
  }
  parentPort.postMessage(reply, [bytes.buffer]);
});`;

interface Reply {
  id: number;
  batch: ArrayBuffer;
  digest?: string;
}

class HashThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Batches back from the thread, to be filled again. */
  private readonly spare: Buffer[] = [];
  /** Uploads that have handed over a batch and not received their digest yet. */
  private readonly open = new Map<number, Sha256Upload>();

  /** An id for a new upload's hash on the thread. */
  newId(): number {
    return this.nextId++;
  }

  /** An empty batch of BATCH_BYTES. */
  batch(): Buffer {
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
  }

  /** Hands a batch over; resolves at once unless the thread is too far behind. */
  send(upload: Sha256Upload, id: number, bytes: Buffer, last: boolean): Promise<void> | undefined {
    const worker = this.thread();
    if (!this.open.has(id)) {
      this.open.set(id, upload);
      // Kept alive while it owes a digest: a seed script on PGlite has no other handle open.
      if (this.open.size === 1) worker.ref();
    }
    // Counted whole: the batch is BATCH_BYTES of memory however much of it is filled.
    this.inFlight += BATCH_BYTES;
    worker.postMessage({ id, bytes, last }, [bytes.buffer as ArrayBuffer]);
    if (this.inFlight <= MAX_IN_FLIGHT) return undefined;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * An upload that failed: it sends nothing more and wants no digest. Its hash on the thread is
   * dropped once the batches already handed over are hashed (messages keep their order), so a
   * failed upload leaves nothing behind there.
   */
  discard(id: number): void {
    if (this.open.has(id)) this.worker?.postMessage({ id, discard: true });
    this.forget(id);
  }

  private forget(id: number): void {
    if (this.open.delete(id) && this.open.size === 0) this.worker?.unref();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (reply: Reply) => this.received(reply));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the hashing thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Keeps an empty batch for the next upload (up to what MAX_IN_FLIGHT holds). */
  recycle(batch: Buffer): void {
    if (batch.length === BATCH_BYTES && this.spare.length < MAX_IN_FLIGHT / BATCH_BYTES) this.spare.push(batch);
  }

  private received({ id, batch, digest }: Reply): void {
    this.inFlight -= BATCH_BYTES;
    this.recycle(Buffer.from(batch));
    while (this.inFlight <= MAX_IN_FLIGHT && this.waiting.length) this.waiting.shift()!();
    if (digest === undefined) return;
    const upload = this.open.get(id);
    this.forget(id);
    upload?.hashed(digest);
  }

  /** Every upload hashing there fails; the next upload starts a new thread. */
  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.inFlight = 0;
    for (const resolve of this.waiting.splice(0)) resolve();
    const uploads = [...this.open.values()];
    this.open.clear();
    for (const upload of uploads) upload.failed(error);
  }
}

const thread = new HashThread();

/**
 * The SHA-256 of one upload's bytes, fed in order with `update` and read once with `digest`. An
 * upload that fails calls `discard`.
 */
export class Sha256Upload {
  private readonly id = thread.newId();
  private batch = thread.batch();
  private filled = 0;
  private handedOver = false;
  /** The digest was asked for, or the upload discarded: no more bytes. */
  private finished = false;
  private error: Error | undefined;
  private result: { resolve(digest: string): void; reject(error: Error): void } | undefined;

  /** Takes a chunk; when the thread is behind, the promise says when to send the next one. */
  update(chunk: Buffer): Promise<void> | undefined {
    // After a failure of the thread with earlier bytes on it the digest fails, so nothing more is sent.
    if (this.error || this.finished) return undefined;
    let wait: Promise<void> | undefined;
    for (let offset = 0; offset < chunk.length; ) {
      const copied = chunk.copy(this.batch, this.filled, offset);
      this.filled += copied;
      offset += copied;
      if (this.filled === BATCH_BYTES) wait = this.handOver(false) ?? wait;
    }
    return wait;
  }

  /** The hex digest of every byte given to `update`. */
  digest(): Promise<string> {
    if (this.error) return Promise.reject(this.error);
    if (this.finished) return Promise.reject(new Error('the digest was asked for twice, or after discard'));
    this.finished = true;
    if (!this.handedOver) {
      const digest = createHash('sha256').update(this.batch.subarray(0, this.filled)).digest('hex');
      this.release();
      return Promise.resolve(digest);
    }
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject };
      this.handOver(true);
    });
  }

  discard(): void {
    this.finished = true;
    this.release();
    thread.discard(this.id);
  }

  /** Gives the batch back for another upload; this one sends nothing more. */
  private release(): void {
    thread.recycle(this.batch);
    this.batch = Buffer.alloc(0);
    this.filled = 0;
  }

  /** Called by the thread's owner. */
  hashed(digest: string): void {
    this.result?.resolve(digest);
  }

  /** Called by the thread's owner when the thread died with this upload's hash on it. */
  failed(error: Error): void {
    this.error = error;
    this.result?.reject(error);
  }

  private handOver(last: boolean): Promise<void> | undefined {
    const bytes = this.batch.subarray(0, this.filled);
    this.handedOver = true;
    this.batch = last ? Buffer.alloc(0) : thread.batch();
    this.filled = 0;
    return thread.send(this, this.id, bytes, last);
  }
}
