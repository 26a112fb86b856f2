import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ByteRange, type FileStorage, isStorageId, MissingFileError, storageKey } from './storage.js';

/** Every file an institution uploads lives under one folder, so deleting the institution removes them all. */
export function institutionFilesDir(dataDir: string, institutionId: string): string {
  return path.join(dataDir, 'files', storageKey(institutionId));
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** How many ids listStored yields at a time (the sweep looks their rows up in one query). */
const LIST_PAGE = 500;

/**
 * How many bytes a file being written may queue while an earlier write is still in the kernel.
 * The default 16 KB stops the upload's stream after every 64 KB socket read until the write has
 * come back from libuv's pool; with room for several reads they continue meanwhile and wait in
 * one writev. Measured A/B in one process (10 MB uploads, 2 shared CPUs): event-loop CPU per
 * upload 15 against 18.6 ms, the whole process's 31 against 40 ms; see bench/uploads.ts.
 */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/** The temporary name a file is written under until it is complete; the dot keeps it apart from file ids. */
function temporaryName(fileId: string): string {
  return `.${fileId}.${randomBytes(6).toString('hex')}.part`;
}
const isTemporaryName = (name: string) => name.startsWith('.') && name.endsWith('.part');

/**
 * The names in the institution's folder that `keep` accepts and that were last written before
 * `before`; a name removed meanwhile (another instance's sweep, a delete) is skipped.
 */
async function* namesWrittenBefore(dir: string, before: Date, keep: (name: string) => boolean): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if (isMissing(error)) return [];
    throw error;
  });
  for (const entry of entries) {
    if (!entry.isFile() || !keep(entry.name)) continue;
    const stats = await stat(path.join(dir, entry.name)).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (stats && stats.mtimeMs < before.getTime()) yield entry.name;
  }
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
      // sees half a file under the real name; what a crash leaves there, removeStaleTemporaries removes.
      const temporary = path.join(path.dirname(target), temporaryName(fileId));
      try {
        await pipeline(body, createWriteStream(temporary, { flags: 'wx', flush: true, highWaterMark: WRITE_BUFFER_BYTES }));
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

    async *listStored(institutionId, before) {
      let page: string[] = [];
      for await (const name of namesWrittenBefore(institutionFilesDir(dataDir, institutionId), before, isStorageId)) {
        page.push(name);
        if (page.length === LIST_PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length) yield page;
    },

    async removeStaleTemporaries(institutionId, before) {
      const dir = institutionFilesDir(dataDir, institutionId);
      // A write in progress keeps moving its file's mtime, so it is never older than a sweep's TTL.
      for await (const name of namesWrittenBefore(dir, before, isTemporaryName)) await rm(path.join(dir, name), { force: true });
    },

    async close() {},
  };
}
