import { parse } from 'csv-parse/sync';
import { Compile } from 'typebox/compile';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, type ErrorDetail, badRequest, conflict, isUniqueViolation } from '../../lib/errors.js';
import { mapWithConcurrency } from '../../lib/concurrency.js';
import { findTakenUsernames, insertUsers } from './queries.js';
import { CreateUserBody } from './schemas.js';
import type { ChangeRunner } from '../../plugins/activity-log.js';
import { toNewUser } from './service.js';

export const MAX_IMPORT_ROWS = 2000;
const REQUIRED_COLUMNS = ['username', 'password', 'role', 'name'] as const;
const OPTIONAL_COLUMNS = ['email', 'phone', 'address', 'dateOfBirth', 'joiningDate'] as const;
const KNOWN_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];
// Argon2 runs on libuv's small thread pool; two at a time leaves room for sign-ins meanwhile.
const HASHING_CONCURRENCY = 2;
const INSERT_BATCH = 500;

const validRow = Compile(CreateUserBody);

/** 'Date of Birth', 'date_of_birth' and 'dateOfBirth' all name the same column. */
function canonicalColumn(header: string): string | undefined {
  const squashed = header.toLowerCase().replace(/[^a-z]/g, '');
  return KNOWN_COLUMNS.find((column) => column.toLowerCase() === squashed);
}

function parseCsv(text: string): string[][] {
  try {
    // Column counts are checked per row below, so a short row is reported with its number.
    return parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    throw new AppError(400, 'INVALID_CSV', `The file is not valid CSV: ${(error as Error).message}`);
  }
}

function readHeader(header: string[]): string[] {
  const columns = header.map((name) => canonicalColumn(name) ?? '');
  const details: ErrorDetail[] = [];
  header.forEach((name, index) => {
    if (!columns[index]) details.push({ row: 1, field: name, message: `is not a known column (${KNOWN_COLUMNS.join(', ')})` });
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required)) details.push({ row: 1, field: required, message: 'column is missing' });
  }
  if (details.length) throw badRequest('The CSV header is not valid; nothing was imported', details);
  return columns;
}

function fieldOf(instancePath: string, params: Record<string, unknown>): string {
  const missing = params.requiredProperties;
  if (Array.isArray(missing)) return missing.join(', ');
  return instancePath.replace(/^\//, '') || 'row';
}

/**
 * Validates every row (the same rules as POST /api/users, plus usernames unique within the file
 * and the institution) and creates all users in one transaction, or none. Rows are numbered as a
 * spreadsheet shows them: the header is row 1.
 */
export async function importUsersCsv(context: ChangeRunner, db: TenantDb, text: string): Promise<number> {
  const [header, ...records] = parseCsv(text);
  if (!header || records.length === 0) throw badRequest('The CSV has no data rows; nothing was imported');
  if (records.length > MAX_IMPORT_ROWS) {
    throw badRequest(`At most ${MAX_IMPORT_ROWS} rows can be imported at once; this file has ${records.length}`);
  }
  const columns = readHeader(header);
  const details: ErrorDetail[] = [];
  const rows: CreateUserBody[] = [];
  const firstRowOfUsername = new Map<string, number>();

  records.forEach((cells, index) => {
    const row = index + 2;
    if (cells.length !== columns.length) {
      details.push({ row, field: 'row', message: `has ${cells.length} cells; the header has ${columns.length}` });
      return;
    }
    const candidate: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (cells[i]) candidate[column] = cells[i];
    });
    // PostgreSQL text cannot hold NUL; said here, the row and column are named.
    for (const column of columns.filter((name) => candidate[name]?.includes('\u0000'))) {
      details.push({ row, field: column, message: 'contains a NUL character, which cannot be stored' });
    }
    if (!validRow.Check(candidate)) {
      for (const issue of validRow.Errors(candidate)) {
        details.push({ row, field: fieldOf(issue.instancePath, issue.params), message: issue.message });
      }
      return;
    }
    const key = candidate.username!.toLowerCase();
    const earlier = firstRowOfUsername.get(key);
    if (earlier) details.push({ row, field: 'username', message: `appears more than once in the file (also row ${earlier})` });
    else firstRowOfUsername.set(key, row);
    rows.push(candidate as CreateUserBody);
  });

  const taken = await findTakenUsernames(db, [...firstRowOfUsername.keys()]);
  for (const [username, row] of firstRowOfUsername) {
    if (taken.has(username)) details.push({ row, field: 'username', message: 'is already taken' });
  }
  if (details.length) {
    details.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const badRows = new Set(details.map((detail) => detail.row)).size;
    throw badRequest(`${badRows} of ${records.length} rows have errors; nothing was imported`, details);
  }

  const newUsers = await mapWithConcurrency(rows, HASHING_CONCURRENCY, toNewUser);
  try {
    await context.change(async ({ db: trx, log }) => {
      for (let start = 0; start < newUsers.length; start += INSERT_BATCH) {
        await insertUsers(trx, newUsers.slice(start, start + INSERT_BATCH));
      }
      await log({ action: 'import', targetType: 'user', details: { created: newUsers.length } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A username in the file was taken while importing; nothing was imported');
    throw error;
  }
  return newUsers.length;
}
