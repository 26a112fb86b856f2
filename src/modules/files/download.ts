import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { attachmentDisposition } from '../../lib/file-names.js';
import type { ByteRange, FileStorage } from '../../lib/storage/index.js';

interface Downloadable {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

/**
 * The one range of a `bytes=` Range header, clamped to the file; undefined to send the whole file
 * (no header, another unit, several ranges or a malformed one: RFC 9110 lets a server ignore
 * those); 'unsatisfiable' when it starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1] ? Number(match[1]) : undefined, match[2] ? Number(match[2]) : undefined];
  if (first === undefined) {
    // A suffix: the last N bytes.
    if (last === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - (last ?? 0)), end: size - 1 };
  }
  if (last !== undefined && last < first) return undefined;
  if (first >= size) return 'unsatisfiable';
  return { start: first, end: Math.min(last ?? size - 1, size - 1) };
}

/** Whether an If-None-Match or If-Range list names this strong tag (or `*`). */
function matchesTag(header: string | undefined, etag: string, weakAllowed: boolean): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || (weakAllowed && tag === `W/${etag}`);
  });
}

/**
 * Sends the file as an attachment with its ETag (304 when the client has it), and serves one
 * byte range as a ranged read from storage (206, or 416 past the end).
 */
export async function sendFile(request: FastifyRequest, reply: FastifyReply, storage: FileStorage, institutionId: string, file: Downloadable) {
  const etag = `"${file.sha256}"`;
  reply
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('cache-control', 'private, no-cache')
    .header('x-content-type-options', 'nosniff');
  if (matchesTag(request.headers['if-none-match'], etag, true)) return reply.code(304).send();

  const ifRange = request.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseRange(request.headers.range, file.size) : undefined;
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${file.size}`);
    throw new AppError(416, 'RANGE_NOT_SATISFIABLE', `The file has ${file.size} bytes; the range asked for starts past its end`);
  }
  const body = await storage.get(institutionId, file.id, range);
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${file.size}`);
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachmentDisposition(file.name))
    .header('content-length', String(range ? range.end - range.start + 1 : file.size))
    .send(body);
}
