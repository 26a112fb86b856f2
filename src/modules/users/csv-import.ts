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
import { CreateUserBody, type ImportPreview, type ImportResult } from './schemas.js';
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

/** The properties' schemas: a described one says in words what its cell must hold. */
const propertySchemas = CreateUserBody.properties as Record<string, { description?: string } | undefined>;

/**
 * TypeBox's findings in words a person filling in a spreadsheet understands ("must be 3-50 letters,
 * digits, ..." rather than a regular expression), one per field: a missing property is an empty cell.
 */
function rowIssues(row: number, user: Record<string, string>): ErrorDetail[] {
  const issues = [...validRow.Errors(user)].flatMap(({ instancePath, keyword, params, message }): ErrorDetail[] => {
    const { requiredProperties, allowedValues } = params as { requiredProperties?: string[]; allowedValues?: string[] };
    if (requiredProperties) return requiredProperties.map((field) => ({ row, field, message: 'is empty' }));
    const field = instancePath.replace(/^\//, '') || 'row';
    const description = propertySchemas[field]?.description;
    if (allowedValues) return [{ row, field, message: `must be one of ${allowedValues.join(', ')}` }];
    if (keyword === 'format' && field === 'email') return [{ row, field, message: 'must be an email address' }];
    // "At least 8 characters" reads on as "must be at least 8 characters"; "YYYY-MM-DD" stays as it is.
    if (description) return [{ row, field, message: `must be ${description.replace(/^[A-Z](?=[a-z])/, (first) => first.toLowerCase())}` }];
    return [{ row, field, message }];
  });
  // A described field breaking two of its rules (too short and a space) is said once.
  return issues.filter((issue, index) => issues.findIndex((other) => other.field === issue.field && other.message === issue.message) === index);
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

/** One data row as the file gives it: its cells by column, and the students a guardian row names. */
interface ReadRow {
  row: number;
  cells: Record<string, string>;
  children: string[];
}

/** What a file would import, and everything wrong with it; nothing is written to make it. */
interface ImportPlan {
  rows: ReadRow[];
  users: CreateUserBody[];
  guardianRows: GuardianRow[];
  /** The institution's users the file names (its usernames, guardians' children), by lower-cased username. */
  existing: Awaited<ReturnType<typeof findUsersByUsername>>;
  /** Sorted by row; the import goes ahead only when there is none. */
  details: ErrorDetail[];
}

/**
 * Reads and checks every row (the same rules as POST /api/users, plus usernames unique within the
 * file and the institution, plus the children of guardian rows) without writing. Rows are numbered
 * as a spreadsheet shows them: the header is row 1. A file that cannot be read as a whole (not CSV,
 * a bad header, no rows, too many) is refused with a 400.
 *
 * A guardian row's `guardianOf` names students of the institution or student rows of the same
 * file (wherever in the file), so one file can enrol a family: an unknown username, or one that is
 * not a student's, is reported on the guardian's row.
 */
async function planImport(db: TenantDb, text: string): Promise<ImportPlan> {
  const [header, ...records] = parseCsv(text);
  if (!header || records.length === 0) throw badRequest('The CSV has no data rows; nothing was imported');
  if (records.length > MAX_IMPORT_ROWS) {
    throw badRequest(`At most ${MAX_IMPORT_ROWS} rows can be imported at once; this file has ${records.length}`);
  }
  const columns = readHeader(header);
  const details: ErrorDetail[] = [];
  const rows: ReadRow[] = [];
  const users: CreateUserBody[] = [];
  const guardianRows: GuardianRow[] = [];
  const firstRowOfUsername = new Map<string, number>();
  /** The role of each valid row, by lower-cased username: guardianOf may name the file's students. */
  const roleInFile = new Map<string, string>();

  records.forEach((cells, index) => {
    const row = index + 2;
    const candidate: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (cells[i]) candidate[column] = cells[i];
    });
    const read: ReadRow = { row, cells: candidate, children: [] };
    rows.push(read);
    if (cells.length !== columns.length) {
      details.push({ row, field: 'row', message: `has ${cells.length} cells; the header has ${columns.length}` });
      return;
    }
    // PostgreSQL text cannot hold NUL; said here, the row and column are named.
    for (const column of columns.filter((name) => candidate[name]?.includes('\u0000'))) {
      details.push({ row, field: column, message: 'contains a NUL character, which cannot be stored' });
    }
    const guardian = readGuardianColumns(row, candidate, details);
    if (guardian) read.children = guardian.children;
    const { guardianOf: _children, relationship: _relationship, ...user } = candidate;
    if (!validRow.Check(user)) {
      details.push(...rowIssues(row, user));
      return;
    }
    const key = user.username!.toLowerCase();
    const earlier = firstRowOfUsername.get(key);
    if (earlier) details.push({ row, field: 'username', message: `appears more than once in the file (also row ${earlier})` });
    else {
      firstRowOfUsername.set(key, row);
      roleInFile.set(key, user.role!);
    }
    users.push(user as CreateUserBody);
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
  details.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { rows, users, guardianRows, existing, details };
}

const rowsWithErrors = (details: ErrorDetail[]) => new Set(details.map((detail) => detail.row)).size;
const linkCount = (guardianRows: GuardianRow[]) => guardianRows.reduce((sum, guardian) => sum + guardian.children.length, 0);

/**
 * What importing the file would do, row by row, and every error on its row, without writing
 * anything (POST /api/users/import?dryRun=true): a preview checked by the very code the import runs.
 */
export async function previewUsersCsv(db: TenantDb, text: string): Promise<ImportPreview> {
  const { rows, users, guardianRows, details } = await planImport(db, text);
  const invalid = rowsWithErrors(details);
  const errorsOfRow = new Map<number, { field: string; message: string }[]>();
  for (const { row, field, message } of details) errorsOfRow.set(row!, [...(errorsOfRow.get(row!) ?? []), { field, message }]);
  return {
    total: rows.length,
    invalid,
    // All rows or none: a file with errors would create nothing.
    created: invalid ? 0 : users.length,
    linked: invalid ? 0 : linkCount(guardianRows),
    rows: rows.map(({ row, cells, children }) => ({
      row,
      username: cells.username ?? null,
      name: cells.name ?? null,
      role: cells.role ?? null,
      email: cells.email ?? null,
      guardianOf: children,
      errors: errorsOfRow.get(row) ?? [],
    })),
  };
}

/**
 * Creates all users of the file and their guardian links in one transaction, or none: any error
 * found by `planImport` answers 400 with every row's details. Links made here are not primary.
 */
export async function importUsersCsv(context: ChangeRunner, db: TenantDb, text: string): Promise<ImportResult> {
  const { rows, users, guardianRows, existing, details } = await planImport(db, text);
  if (details.length) throw badRequest(`${rowsWithErrors(details)} of ${rows.length} rows have errors; nothing was imported`, details);

  const newUsers = await mapWithConcurrency(users, HASHING_CONCURRENCY, toNewUser);
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
