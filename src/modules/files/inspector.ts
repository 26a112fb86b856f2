import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError, badRequest } from '../../lib/errors.js';
import { ACCEPTED_EXTENSIONS, acceptedKind, SNIFF_BYTES } from './kinds.js';

export interface Inspected {
  /** The cleaned name, with the kind's extension added when it had none. */
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

/**
 * Passes an upload's bytes on to storage while counting and hashing them. The first SNIFF_BYTES
 * are held back until the kind is decided from them, so a refused file's bytes never reach
 * storage; past the size limit, or empty, the stream fails and storage keeps nothing.
 */
export class UploadInspector extends Transform {
  // Not `size`: lib-storage reads a body's `size` as its length before a byte has arrived.
  private received = 0;
  private readonly hash = createHash('sha256');
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
    this.hash.update(chunk);
    if (this.kind) return done(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return done();
    this.release(false, done);
  }

  override _flush(done: TransformCallback): void {
    if (this.received === 0) return done(badRequest(`The file "${this.name}" is empty`, [{ field: this.field, message: 'is empty' }]));
    if (this.kind) return done();
    this.release(true, done);
  }

  /** Decides the kind from the bytes held back, then lets them through. */
  private release(complete: boolean, done: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    acceptedKind(this.name, head, complete).then((kind) => {
      if (!kind) {
        return done(
          new AppError(
            415,
            'UNSUPPORTED_FILE_TYPE',
            `The file "${this.name}" is not an accepted kind, or its content does not match its extension; accepted: ${ACCEPTED_EXTENSIONS.join(', ')}`,
          ),
        );
      }
      this.kind = kind;
      done(null, head);
    }, done);
  }

  /** What was learned of the file; call once the stream has ended. */
  result(): Inspected {
    return { name: this.kind?.name ?? this.name, size: this.received, sha256: this.hash.digest('hex'), contentType: this.kind?.contentType ?? '' };
  }
}
