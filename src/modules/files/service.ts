import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { cleanFileName } from '../../lib/file-names.js';
import type { FileStorage } from '../../lib/storage/index.js';
import type { Principal } from '../auth/queries.js';
import type { FileAccess } from './access.js';
import { UploadInspector } from './inspector.js';
import * as queries from './queries.js';

export interface UploadLimits {
  maxBytes: number;
  maxCount: number;
}

type NewFile = Parameters<typeof queries.insertFiles>[1][number] & { id: string };

/** An answer decided about the request: the project's own errors and the multipart plugin's limits. */
function isVerdict(error: unknown): boolean {
  return error instanceof AppError || typeof (error as { statusCode?: unknown }).statusCode === 'number';
}

/**
 * What reading the request body failed with: verdicts as they are, the parser's complaints about a
 * malformed or cut-off body as 400.
 */
function requestError(error: unknown): unknown {
  if (isVerdict(error)) return error;
  return new AppError(400, 'BAD_REQUEST', `The multipart body is malformed or incomplete: ${(error as Error).message}`);
}

/**
 * Starts streaming one part to storage through the inspector. `read` resolves once every byte has
 * passed the inspector (its result is known); `durable` once storage holds them all durably, which
 * may be later (the local driver's fsync). On a failure of the part both are settled before `read`
 * rejects, so the stored bytes are gone (put cleans up after itself) by the time it is reported.
 */
function startPart(storage: FileStorage, institutionId: string, id: string, source: NodeJS.ReadableStream, inspector: UploadInspector) {
  const durable = storage.put(institutionId, id, inspector);
  // Awaited later (uploadFiles, storePart); this keeps a failure meanwhile from being unhandled.
  durable.catch(() => undefined);
  const read = pipeline(source, inspector).catch(async (error: unknown) => {
    const storeError = await durable.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    // The inspector's verdict (too large, wrong kind) explains a failed store better than the store's
    // own error; a store that failed first explains the stream it cut off better than a 400.
    throw storeError === undefined || isVerdict(error) ? requestError(error) : storeError;
  });
  return { read, durable };
}

/**
 * Streams one part to storage through the inspector, resolving once it is stored durably. The demo
 * seed stores its files through it, so they are checked and described as uploads are.
 */
export async function storePart(storage: FileStorage, institutionId: string, id: string, source: NodeJS.ReadableStream, inspector: UploadInspector) {
  const { read, durable } = startPart(storage, institutionId, id, source, inspector);
  await read;
  await durable;
}

/**
 * POST /api/files: every file part of the request is checked and streamed to storage, then all
 * rows are written with their activity-log entries in one transaction. That transaction commits
 * only once every file is stored durably, but its statements run while the last file is still
 * being flushed to disk (an fsync and the inserts take a few ms each), and an earlier file's flush
 * overlaps reading the next part. All or nothing: on any failure, the files already stored for
 * this request are removed again.
 */
export async function uploadFiles(request: FastifyRequest, storage: FileStorage, limits: UploadLimits) {
  if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data');
  const { principal } = request;
  const institutionId = principal.institution.id;
  const files: NewFile[] = [];
  const stores: Promise<void>[] = [];
  try {
    // Busboy stops a file one byte past the limit and refuses one file past the count, so the
    // inspector and the count below see the excess and answer with their own messages.
    const parts = request.parts({ preservePath: true, limits: { fileSize: limits.maxBytes + 1, files: limits.maxCount + 1 } });
    for (;;) {
      const next = await parts.next().catch((error: unknown) => {
        throw requestError(error);
      });
      if (next.done) break;
      const part = next.value;
      if (part.type !== 'file') continue;
      if (files.length === limits.maxCount) {
        part.file.resume();
        throw badRequest(`At most ${limits.maxCount} files can be uploaded at once`, [{ field: part.fieldname, message: `is file ${limits.maxCount + 1}` }]);
      }
      const name = cleanFileName(part.filename);
      const id = randomUUID();
      const inspector = new UploadInspector(name, part.fieldname, limits.maxBytes);
      const { read, durable } = startPart(storage, institutionId, id, part.file, inspector);
      stores.push(durable);
      await read;
      files.push({ id, ...inspector.result(), uploadedBy: principal.id });
    }
    if (files.length === 0) throw badRequest('Send at least one file', [{ field: 'files', message: 'no file in the request' }]);
    return await request.change(async ({ db, log }) => {
      const rows = await queries.insertFiles(db, files);
      for (const file of rows) {
        await log({ action: 'upload', targetType: 'file', targetId: file.id, targetName: file.name, details: { size: file.size, contentType: file.contentType } });
      }
      await Promise.all(stores);
      return rows;
    });
  } catch (error) {
    // Every store has ended (and cleaned up after itself if it failed) before the bytes are removed.
    await Promise.allSettled(stores);
    await storage.remove(
      institutionId,
      files.map((file) => file.id),
    );
    throw error;
  }
}

/** The file, when the principal may read it; otherwise 404 NOT_FOUND, as for an unknown id. */
export async function readableFile(db: TenantDb, access: FileAccess, principal: Principal, id: string) {
  const file = await queries.findFile(db, id);
  if (!file || !(await access.canRead(db, principal, file))) throw notFound('File');
  return file;
}
