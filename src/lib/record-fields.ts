import { AppError, badRequest, type ErrorDetail, isUniqueViolation } from './errors.js';

/**
 * Helpers for records an admin keeps by name (subjects, rooms): names trimmed and unique ignoring
 * case, changes logged field by field.
 */

/** `q` as an ILIKE pattern that matches it anywhere, its own % and _ taken literally. */
export function containsPattern(q: string | undefined): string | undefined {
  return q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
}

/** The input with the named text fields trimmed; any left blank is a 400 naming each. */
export function trimmedText<T extends Record<string, unknown>>(input: T, fields: readonly (keyof T & string)[]): T {
  const trimmed: Record<string, unknown> = { ...input };
  const blank: ErrorDetail[] = [];
  for (const field of fields) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    trimmed[field] = value.trim();
    if (!trimmed[field]) blank.push({ field, message: 'must not be blank' });
  }
  if (blank.length > 0) throw badRequest(`Invalid request: ${blank.map((d) => `${d.field} ${d.message}`).join('; ')}`, blank);
  return trimmed as T;
}

/**
 * Runs `work`, answering a violation of one of the `unique` indexes (index name -> field) as 409
 * CONFLICT that names the field and the value from `values`. The indexes decide, so two requests
 * racing for one name cannot both win.
 */
export async function keepingUnique<T>(
  what: string,
  unique: Readonly<Record<string, string>>,
  values: Readonly<Record<string, unknown>>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const field = isUniqueViolation(error) ? unique[(error as { constraint?: string }).constraint ?? ''] : undefined;
    if (!field) throw error;
    throw new AppError(409, 'CONFLICT', `Another ${what} already has the ${field} "${String(values[field])}"`, [
      { field, message: `is already used by another ${what}` },
    ]);
  }
}

/** Each of `fields` whose value differs between the two versions of a record: `{ field: { from, to } }`. */
export function changesBetween<R extends object>(before: R, after: R, fields: object): Record<string, { from: unknown; to: unknown }> {
  const changed = (Object.keys(fields) as (keyof R & string)[]).filter((field) => before[field] !== after[field]);
  return Object.fromEntries(changed.map((field) => [field, { from: before[field], to: after[field] }]));
}
