/**
 * Postgres sends timestamptz as text like '2026-11-25 18:07:01.435123+00'. The API sends
 * RFC 3339 strings, so the text is turned into one directly instead of into a Date that the
 * serializer would turn back into a string: on a page of users that round trip was a fifth of
 * the request's CPU time. Any session time zone gives a valid result ('+05' becomes '+05:00').
 */
export function timestamptzToIso(value: string): string {
  const iso = value.replace(' ', 'T');
  if (iso.endsWith('+00')) return `${iso.slice(0, -3)}Z`;
  return /[+-]\d\d$/.test(iso) ? `${iso}:00` : iso;
}

export const PG_TIMESTAMPTZ_OID = 1184;
