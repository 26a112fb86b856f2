import { Transform, type TransformCallback } from 'node:stream';
import { AppError, badRequest } from '../../lib/errors.js';
import { ACCEPTED_EXTENSIONS, acceptedKind, SNIFF_BYTES } from './kinds.js';
import { Sha256Upload } from './sha256-thread.js';

export interface Inspected {
  /** The cleaned name, with the kind's extension added when it had none. */
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

/**
 * Passes an upload's bytes on to storage while counting and hashing them (on the hashing thread,
 * see sha256-thread.ts). The first SNIFF_BYTES are held back until the kind is decided from them,
 * so a refused file's bytes never reach storage; past the size limit, or empty, the stream fails
 * and storage keeps nothing. It finishes once the hash is known.
 */
export class UploadInspector extends Transform {
  // Not `size`: lib-storage reads a body's `size` as its length before a byte has arrived.
  private received = 0;
  private readonly hash = new Sha256Upload();
  private sha256 = '';
  private head: Buffer[] = [];
  private headBytes = 0;
  private kind: { contentType: string; name: string } | undefined;

  constructor(
    private readonly name: string,
    private readonly field: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      return done(new AppError(413, 'PAYLOAD_TOO_LARGE', `The file "${this.name}" is larger than ${this.maxBytes} bytes`));
    }
    const hashing = this.hash.update(chunk);
    if (hashing) hashing.then(() => this.pass(chunk, done));
    else this.pass(chunk, done);
  }

  override _flush(done: TransformCallback): void {
    if (this.received === 0) return done(badRequest(`The file "${this.name}" is empty`, [{ field: this.field, message: 'is empty' }]));
    const head = this.kind ? Promise.resolve(undefined) : this.release(true);
    head
      .then((bytes) => {
        if (bytes) this.push(bytes);
        return this.hash.digest();
      })
      .then((sha256) => {
        this.sha256 = sha256;
        done();
      }, done);
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.hash.discard();
    done(error);
  }

  /** Lets a chunk through once the kind is known; until then holds it back with the head. */
  private pass(chunk: Buffer, done: TransformCallback): void {
    if (this.kind) return done(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return done();
    this.release(false).then((head) => done(null, head), done);
  }

  /** Decides the kind from the bytes held back and returns them, or rejects with 415. */
  private async release(complete: boolean): Promise<Buffer> {
    const head = Buffer.concat(this.head);
    this.head = [];
    const kind = await acceptedKind(this.name, head, complete);
    if (!kind) {
      throw new AppError(
        415,
        'UNSUPPORTED_FILE_TYPE',
        `The file "${this.name}" is not an accepted kind, or its content does not match its extension; accepted: ${ACCEPTED_EXTENSIONS.join(', ')}`,
      );
    }
    this.kind = kind;
    return head;
  }

  /** What was learned of the file; call once the stream has ended. */
  result(): Inspected {
    return { name: this.kind?.name ?? this.name, size: this.received, sha256: this.sha256, contentType: this.kind?.contentType ?? '' };
  }
}
