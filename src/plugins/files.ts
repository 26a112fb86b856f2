import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createFileStorage, type FileStorage } from '../lib/storage/index.js';
import { createFileAccess, type FileAccess } from '../modules/files/access.js';
import { sweepOrphanFiles } from '../modules/files/sweep.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where uploaded bytes live (STORAGE_DRIVER: local or s3). */
    fileStorage: FileStorage;
    /** Who may download a file: modules that attach files register their rules here. */
    fileAccess: FileAccess;
  }
}

/**
 * The file storage and the download rules, shared by every module that attaches files, and the
 * periodic sweep of uploads nothing refers to.
 */
async function filesPlugin(app: FastifyInstance) {
  const storage = createFileStorage(app.config);
  app.decorate('fileStorage', storage);
  app.decorate('fileAccess', createFileAccess());

  const { orphanTtlMs, sweepIntervalMs } = app.config.files;
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer =
    sweepIntervalMs > 0
      ? setInterval(() => {
          sweeping = sweepOrphanFiles(app.db, storage, { ttlMs: orphanTtlMs, log: app.log }).catch((error: unknown) =>
            app.log.warn({ err: error }, 'the sweep of orphaned files failed'),
          );
        }, sweepIntervalMs).unref()
      : undefined;
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await sweeping;
    await storage.close();
  });
}

export default fp(filesPlugin, { name: 'files' });
