import { parse } from 'csv-parse/sync';
import { Compile } from 'typebox/compile';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, type ErrorDetail, badRequest, conflict, isForeignKeyViolation, isUniqueViolation } from '../../lib/errors.js';
import { mapWithConcurrency } from '../../lib/concurrency.js';
import type { ChangeRunner } from '../../plugins/activity-log.js';
import { insertLinks } from '../guardians/queries.js';
import { Relationship } from '../guardians/schemas.js';
import type { GuardianRelationship } from '../guardians/tables.js';
import { findUsersByUsername, insertUsers } from './queries.js';
import { CreateUserBody } from './schemas.js';
import { toNewUser } from './service.js';

export const MAX_IMPORT_ROWS = 2000;
const REQUIRED_COLUMNS = ['username', 'password', 'role', 'name'] as const;
const PROFILE_COLUMNS = ['email', 'phone', 'address', 'dateOfBirth', 'joiningDate'] as const;
/** Guardian rows only: the children's usernames separated by `;`, and how the guardian is related to them. */
const GUARDIAN_COLUMNS = ['guardianOf', 'relationship'] as const;
const KNOWN_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...PROFILE_COLUMNS, ...GUARDIAN_COLUMNS];
const RELATIONSHIPS = Relationship.enum as readonly GuardianRelationship[];
// Argon2 runs on libuv's small thread pool; two at a time leaves room for sign-ins meanwhile.
const HASHING_CONCURRENCY = 2;
const INSERT_BATCH = 500;

const validRow = Compile(CreateUserBody);

/** A guardian row's children, by lower-cased username, and the relationship of its links. */
interface GuardianRow {
  row: number;
  username: string;
  children: string[];
  relationship: GuardianRelationship;
}

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
 * The guardian columns of one row: `guardianOf` split at `;` (blanks dropped, a name given twice
 * counted once) and `relationship` (`guardian` when empty). Both are refused on other roles' rows.
 */
function readGuardianColumns(row: number, cells: Record<string, string>, details: ErrorDetail[]): GuardianRow | undefined {
  const { username = '', role, guardianOf, relationship } = cells;
  if (role !== 'guardian') {
    for (const column of GUARDIAN_COLUMNS.filter((name) => cells[name])) {
      details.push({ row, field: column, message: `is only for guardian rows; this row is a ${role ?? 'user without a role'}` });
    }
    return undefined;
  }
  if (relationship !== undefined && !RELATIONSHIPS.includes(relationship as GuardianRelationship)) {
    details.push({ row, field: 'relationship', message: `must be one of ${RELATIONSHIPS.join(', ')}` });
    return undefined;
  }
  const children = [...new Set((guardianOf ?? '').split(';').map((name) => name.trim().toLowerCase()).filter(Boolean))];
  return { row, username: username.toLowerCase(), children, relationship: (relationship as GuardianRelationship | undefined) ?? 'guardian' };
}

/**
 * Validates every row (the same rules as POST /api/users, plus usernames unique within the file
 * and the institution, plus the children of guardian rows) and creates all users and their
 * guardian links in one transaction, or none. Rows are numbered as a spreadsheet shows them: the
 * header is row 1.
 *
 * A guardian row's `guardianOf` names students of the institution or student rows of the same
 * file (wherever in the file), so one file can enrol a family: an unknown username, or one that is
 * not a student's, is reported on the guardian's row. Links made here are not primary.
 */
export async function importUsersCsv(context: ChangeRunner, db: TenantDb, text: string): Promise<{ created: number; linked: number }> {
  const [header, ...records] = parseCsv(text);
  if (!header || records.length === 0) throw badRequest('The CSV has no data rows; nothing was imported');
  if (records.length > MAX_IMPORT_ROWS) {
    throw badRequest(`At most ${MAX_IMPORT_ROWS} rows can be imported at once; this file has ${records.length}`);
  }
  const columns = readHeader(header);
  const details: ErrorDetail[] = [];
  const rows: CreateUserBody[] = [];
  const guardianRows: GuardianRow[] = [];
  const firstRowOfUsername = new Map<string, number>();
  /** The role of each valid row, by lower-cased username: guardianOf may name the file's students. */
  const roleInFile = new Map<string, string>();

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
    const guardian = readGuardianColumns(row, candidate, details);
    const { guardianOf: _children, relationship: _relationship, ...user } = candidate;
    if (!validRow.Check(user)) {
      for (const issue of validRow.Errors(user)) {
        details.push({ row, field: fieldOf(issue.instancePath, issue.params), message: issue.message });
      }
      return;
    }
    const key = user.username!.toLowerCase();
    const earlier = firstRowOfUsername.get(key);
    if (earlier) details.push({ row, field: 'username', message: `appears more than once in the file (also row ${earlier})` });
    else {
      firstRowOfUsername.set(key, row);
      roleInFile.set(key, user.role!);
    }
    rows.push(user as CreateUserBody);
    if (guardian) guardianRows.push(guardian);
  });

  const children = guardianRows.flatMap((guardian) => guardian.children).filter((username) => !roleInFile.has(username));
  const existing = await findUsersByUsername(db, [...firstRowOfUsername.keys(), ...children]);
  for (const [username, row] of firstRowOfUsername) {
    if (existing.has(username)) details.push({ row, field: 'username', message: 'is already taken' });
  }
  for (const { row, children: names } of guardianRows) {
    for (const name of names) {
      const role = roleInFile.get(name) ?? existing.get(name)?.role;
      if (role === undefined) details.push({ row, field: 'guardianOf', message: `"${name}" is no student of the institution or of this file` });
      else if (role !== 'student') details.push({ row, field: 'guardianOf', message: `"${name}" is a ${role}, not a student` });
    }
  }
  if (details.length) {
    details.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const badRows = new Set(details.map((detail) => detail.row)).size;
    throw badRequest(`${badRows} of ${records.length} rows have errors; nothing was imported`, details);
  }

  const newUsers = await mapWithConcurrency(rows, HASHING_CONCURRENCY, toNewUser);
  try {
    return await context.change(async ({ db: trx, log }) => {
      const ids = new Map([...existing].map(([username, user]) => [username, user.id]));
      for (let start = 0; start < newUsers.length; start += INSERT_BATCH) {
        for (const user of await insertUsers(trx, newUsers.slice(start, start + INSERT_BATCH))) ids.set(user.username.toLowerCase(), user.id);
      }
      const links = guardianRows.flatMap(({ username, children: names, relationship }) =>
        names.map((name) => ({ studentId: ids.get(name)!, guardianId: ids.get(username)!, relationship })),
      );
      for (let start = 0; start < links.length; start += INSERT_BATCH) await insertLinks(trx, links.slice(start, start + INSERT_BATCH));
      await log({ action: 'import', targetType: 'user', details: { created: newUsers.length, linked: links.length } });
      return { created: newUsers.length, linked: links.length };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A username in the file was taken while importing; nothing was imported');
    if (isForeignKeyViolation(error)) throw conflict('A student named in guardianOf was deleted while importing; nothing was imported');
    throw error;
  }
}
