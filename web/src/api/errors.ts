import { hasMessage, t } from '../i18n';

/** The API's one error shape. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: { field: string; message: string }[];
  /** Context facts some codes carry beside the message (IN_USE's `references`, CLASS_FULL's counts). */
  [fact: string]: unknown;
}

/** A failed API call, carrying the server's answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).code === 'string' && typeof (value as ErrorBody).message === 'string';
}

/** Turns whatever a failed response carried into an ApiError; a body that is no error shape becomes a generic one. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body);
  return new ApiError(status, { code: status >= 500 ? 'INTERNAL_ERROR' : 'UNKNOWN', message: '' });
}

/**
 * What to tell a person about a failure, in plain words: a known code gets the app's own sentence,
 * a validation error names the fields, others get the server's message (itself a sentence), and
 * nothing ever shows raw JSON.
 */
export function plainMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof TypeError ? t('error.network') : t('error.unexpected');
  const { code, message, details } = error.body;
  if (code === 'VALIDATION_ERROR' && details?.length) {
    return `${t('error.VALIDATION_ERROR')} ${details.map((detail) => `${detail.field} ${detail.message}`).join('; ')}.`;
  }
  const withFacts = factSentence(error.body);
  if (withFacts) return withFacts;
  const key = `error.${code}`;
  if (hasMessage(key)) return t(key);
  if (error.status >= 500 || !message) return t('error.unexpected');
  return message;
}

/** Plural-aware "3 lessons" / "1 lesson" for the tables IN_USE counts; unknown tables by their name. */
function referenceCount(table: string, count: number): string {
  const key = `references.${table}.${count === 1 ? 'one' : 'other'}`;
  return hasMessage(key) ? t(key, { count }) : `${count} ${table.replaceAll('_', ' ')}`;
}

/** Codes whose facts make the sentence: what still uses a record, how full a class is, where students already are. */
function factSentence(body: ErrorBody): string | null {
  if (body.code === 'IN_USE' && typeof body.references === 'object' && body.references !== null) {
    const parts = Object.entries(body.references as Record<string, number>).map(([table, count]) => referenceCount(table, count));
    if (parts.length > 0) return t('error.IN_USE.counts', { uses: parts.join(t('references.and')) });
  }
  if (body.code === 'CLASS_FULL' && typeof body.maxStudents === 'number' && typeof body.current === 'number' && typeof body.requested === 'number') {
    return t('error.CLASS_FULL.counts', { max: body.maxStudents, current: body.current, requested: body.requested });
  }
  if (body.code === 'ALREADY_ENROLLED' && Array.isArray(body.studentIds)) {
    const other = body.class as { name?: string } | undefined;
    return t('error.ALREADY_ENROLLED.counts', { count: body.studentIds.length, className: other?.name ?? '?' });
  }
  return null;
}
