import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256Upload } from './sha256-thread.js';

const BATCH = 256 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Feeds `bytes` in chunks of the given sizes (the rest as one last chunk), waiting when told to. */
async function hashInChunks(bytes: Buffer, sizes: number[]): Promise<string> {
  const hash = new Sha256Upload();
  let offset = 0;
  for (const size of [...sizes, bytes.length]) {
    if (offset >= bytes.length) break;
    const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + size));
    offset += chunk.length;
    await hash.update(chunk);
  }
  return hash.digest();
}

describe('SHA-256 on the hashing thread', () => {
  it('equals the digest of the whole, however the bytes are cut, around and across batch boundaries', async () => {
    const source = randomBytes(3 * BATCH + 1000);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(0, 1, BATCH - 1, BATCH, BATCH + 1, 2 * BATCH, 3 * BATCH + 1000), fc.integer({ min: 0, max: 3 * BATCH + 1000 })),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 70_000 }), fc.constantFrom(BATCH, BATCH + 1, 2 * BATCH)), { maxLength: 40 }),
        async (length, sizes) => {
          const bytes = source.subarray(0, length);
          expect(await hashInChunks(bytes, sizes)).toBe(sha256(bytes));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps concurrent uploads apart, and a discarded upload spoils none of them', async () => {
    const files = Array.from({ length: 8 }, (_, i) => randomBytes(BATCH * (i % 3) + 5000 * i + 1));
    const discarded = new Sha256Upload();
    discarded.update(randomBytes(BATCH + 10));
    const digests = Promise.all(files.map((bytes, i) => hashInChunks(bytes, Array<number>(200).fill(4096 * (i + 1)))));
    discarded.discard();
    expect(await digests).toEqual(files.map(sha256));
    await expect(discarded.digest()).rejects.toThrow();
  });

  it('waits, rather than queueing without bound, when far more is handed over than hashed', async () => {
    const bytes = randomBytes(BATCH);
    const uploads = Array.from({ length: 100 }, () => new Sha256Upload());
    // 100 batches of 256 KB at once are more than the 8 MB the thread may be behind.
    const waits = uploads.map((upload) => upload.update(bytes));
    expect(waits.some((wait) => wait !== undefined)).toBe(true);
    await Promise.all(waits);
    expect(new Set(await Promise.all(uploads.map((upload) => upload.digest())))).toEqual(new Set([sha256(bytes)]));
  });
});
