import { hasMessage, t } from '../i18n';

/** The API's one error shape. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: { field: string; message: string }[];
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
  const key = `error.${code}`;
  if (hasMessage(key)) return t(key);
  if (error.status >= 500 || !message) return t('error.unexpected');
  return message;
}
