/**
 * Postgres sends timestamptz as text like '2026-11-25 18:07:01.435123+00'. The API sends
 * RFC 3339 strings, so the text is turned into one directly instead of into a Date that the
 * serializer would turn back into a string: on a page of users that round trip was a fifth of
 * the request's CPU time. The result is exactly what PostgreSQL itself writes for a timestamptz
 * in JSON ('2026-11-25T18:07:01.435123+00:00'), so answers whose JSON the database builds
 * (db/json-page.ts) and answers built here show the same instant as the same text. Any session
 * time zone gives a valid result ('+05' becomes '+05:00').
 */
export function timestamptzToIso(value: string): string {
  const iso = value.replace(' ', 'T');
  return /[+-]\d\d$/.test(iso) ? `${iso}:00` : iso;
}

export const PG_TIMESTAMPTZ_OID = 1184;
