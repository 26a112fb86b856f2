import type { Readable } from 'node:stream';

/** Bytes `start` to `end` of a file, both included (as HTTP ranges count). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where uploaded bytes live. Keys are `<institution id>/<file id>`, both UUIDs: a name a client
 * chose never reaches a path or an object key.
 */
export interface FileStorage {
  readonly driver: 'local' | 's3';
  /**
   * Stores the stream's bytes; resolves once they are durable. When the stream fails (the client
   * aborted, a size or type check threw) or the store fails, nothing is left behind.
   */
  put(institutionId: string, fileId: string, body: Readable): Promise<void>;
  /** The file's bytes, or `range` of them; rejects with MissingFileError when nothing is stored. */
  get(institutionId: string, fileId: string, range?: ByteRange): Promise<Readable>;
  /** Removes the files' bytes; ids with nothing stored are skipped. */
  remove(institutionId: string, fileIds: readonly string[]): Promise<void>;
  /** Removes every file of the institution (it is being deleted). */
  removeInstitution(institutionId: string): Promise<void>;
  /**
   * For the orphan sweep: pages of the ids of the institution's stored files last written before
   * `before`, whatever the database says of them (bytes stored by a process that crashed before
   * writing the row are found this way).
   */
  listStored(institutionId: string, before: Date): AsyncIterable<string[]>;
  /**
   * For the orphan sweep: removes what writes interrupted by a crash left behind, when last
   * written before `before` (local: temporary files; s3: nothing, see its driver).
   */
  removeStaleTemporaries(institutionId: string, before: Date): Promise<void>;
  close(): Promise<void>;
}

export class MissingFileError extends Error {
  constructor(key: string) {
    super(`no bytes are stored under ${key}`);
    this.name = 'MissingFileError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a stored name is a file id (anything else in a listing is not a stored file). */
export function isStorageId(name: string): boolean {
  return UUID.test(name);
}

/** The one way a key is made; anything but two UUIDs is a bug, never a path. */
export function storageKey(institutionId: string, fileId?: string): string {
  for (const id of fileId === undefined ? [institutionId] : [institutionId, fileId]) {
    if (!UUID.test(id)) throw new Error(`not a storage id: ${JSON.stringify(id)}`);
  }
  return fileId === undefined ? institutionId : `${institutionId}/${fileId}`;
}
