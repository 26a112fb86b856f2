import type { FastifyReply, FastifyRequest } from 'fastify';

/** Cells a spreadsheet would run as a formula start with one of these (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: quoted when needed, and a leading ' before what a spreadsheet would take for a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows of cells as CSV text (RFC 4180: CRLF after every row). */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Whether the caller asked for CSV (`Accept: text/csv`) rather than JSON. */
export function wantsCsv(request: FastifyRequest): boolean {
  return request.headers.accept?.includes('text/csv') ?? false;
}

/**
 * Sends CSV as a download. A text/csv string passes Fastify's JSON serializer by; the route's
 * response schema types its JSON answer only.
 */
export function sendCsv(reply: FastifyReply, filename: string, text: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(text);
}
