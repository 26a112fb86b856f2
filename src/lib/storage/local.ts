import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ByteRange, type FileStorage, MissingFileError, storageKey } from './storage.js';

/** Every file an institution uploads lives under one folder, so deleting the institution removes them all. */
export function institutionFilesDir(dataDir: string, institutionId: string): string {
  return path.join(dataDir, 'files', storageKey(institutionId));
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Files under `DATA_DIR/files/<institution id>/<file id>`. */
export function localStorage(dataDir: string): FileStorage {
  const root = path.join(dataDir, 'files');
  const filePath = (institutionId: string, fileId: string) => path.join(root, storageKey(institutionId, fileId));

  return {
    driver: 'local',

    async put(institutionId, fileId, body) {
      const target = filePath(institutionId, fileId);
      await mkdir(path.dirname(target), { recursive: true });
      // Written under a temporary name and renamed once flushed to disk: a reader or a crash never
      // sees half a file under the real name. The dot keeps temporary files apart from file ids.
      const temporary = `${path.dirname(target)}/.${fileId}.${randomBytes(6).toString('hex')}.part`;
      try {
        await pipeline(body, createWriteStream(temporary, { flags: 'wx', flush: true }));
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },

    async get(institutionId, fileId, range?: ByteRange): Promise<Readable> {
      const key = filePath(institutionId, fileId);
      // Opened first, so a missing file is a rejection here rather than an error mid-stream.
      const handle = await open(key, 'r').catch((error: unknown) => {
        throw isMissing(error) ? new MissingFileError(storageKey(institutionId, fileId)) : error;
      });
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },

    async remove(institutionId, fileIds) {
      await Promise.all(
        fileIds.map((fileId) =>
          unlink(filePath(institutionId, fileId)).catch((error: unknown) => {
            if (!isMissing(error)) throw error;
          }),
        ),
      );
    },

    async removeInstitution(institutionId) {
      await rm(institutionFilesDir(dataDir, institutionId), { recursive: true, force: true });
    },

    async close() {},
  };
}
