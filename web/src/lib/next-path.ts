/** Where sign-in sends you afterwards: only a path of this app, never another site (`//evil.example`). */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next === '/sign-in' || next.startsWith('/sign-in?') || next.startsWith('/sign-up')) return null;
  return next;
}

/** The sign-in address that brings you back to `path` (with its query) afterwards. */
export function signInPath(path: string, expired = false): string {
  const params = new URLSearchParams();
  const next = safeNextPath(path);
  if (next && next !== '/') params.set('next', next);
  if (expired) params.set('expired', '1');
  const query = params.toString();
  return query ? `/sign-in?${query}` : '/sign-in';
}
