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

/**
 * What reading the request body failed with: the project's own errors and the multipart plugin's
 * limits as they are, the parser's complaints about a malformed or cut-off body as 400.
 */
function requestError(error: unknown): unknown {
  if (error instanceof AppError || typeof (error as { statusCode?: unknown }).statusCode === 'number') return error;
  return new AppError(400, 'BAD_REQUEST', `The multipart body is malformed or incomplete: ${(error as Error).message}`);
}

/**
 * Streams one part to storage through the inspector. Both ends are awaited before answering, so
 * the stored bytes are gone (put cleans up after itself) by the time a failure is reported. The
 * demo seed stores its files through it too, so they are checked and described as uploads are.
 */
export async function storePart(storage: FileStorage, institutionId: string, id: string, source: NodeJS.ReadableStream, inspector: UploadInspector) {
  const [read, stored] = await Promise.allSettled([pipeline(source, inspector), storage.put(institutionId, id, inspector)]);
  // The inspector's verdict (too large, wrong kind) explains a failed store better than the store's own error.
  if (read.status === 'rejected') throw requestError(read.reason);
  if (stored.status === 'rejected') throw stored.reason;
}

/**
 * POST /api/files: every file part of the request is checked and streamed to storage, then all
 * rows are written with their activity-log entries in one transaction. All or nothing: on any
 * failure, the files already stored for this request are removed again.
 */
export async function uploadFiles(request: FastifyRequest, storage: FileStorage, limits: UploadLimits) {
  if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data');
  const { principal } = request;
  const institutionId = principal.institution.id;
  const files: NewFile[] = [];
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
      await storePart(storage, institutionId, id, part.file, inspector);
      files.push({ id, ...inspector.result(), uploadedBy: principal.id });
    }
    if (files.length === 0) throw badRequest('Send at least one file', [{ field: 'files', message: 'no file in the request' }]);
    return await request.change(async ({ db, log }) => {
      const rows = await queries.insertFiles(db, files);
      for (const file of rows) {
        await log({ action: 'upload', targetType: 'file', targetId: file.id, targetName: file.name, details: { size: file.size, contentType: file.contentType } });
      }
      return rows;
    });
  } catch (error) {
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
