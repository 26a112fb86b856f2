import type { Config } from '../../config.js';
import { localStorage } from './local.js';
import { s3Storage } from './s3.js';
import type { FileStorage } from './storage.js';

export { type ByteRange, type FileStorage, isStorageId, MissingFileError, storageKey } from './storage.js';

/** The driver STORAGE_DRIVER names: `local` (the default) or `s3`. */
export function createFileStorage(config: Config): FileStorage {
  return config.storage.driver === 's3' ? s3Storage(config.storage.s3) : localStorage(config.dataDir);
}
