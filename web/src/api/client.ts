import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { toApiError } from './errors';

/** Called with every 401 outside sign-in: the session is over (expired, revoked, deactivated). */
type SessionEndedListener = () => void;

let token: string | null = null;
let onSessionEnded: SessionEndedListener = () => {};

export function setToken(value: string | null): void {
  token = value;
}

export function onUnauthorized(listener: SessionEndedListener): void {
  onSessionEnded = listener;
}

/** For calls openapi-fetch cannot make (uploads with progress, downloads): the bearer header and the 401 rule. */
export function authorizationHeader(): string | null {
  return token ? `Bearer ${token}` : null;
}

export function reportUnauthorized(): void {
  onSessionEnded();
}

/** Paths where a 401 is the answer to typed credentials, not a lost session. */
const CREDENTIAL_PATHS = ['/api/auth/login', '/api/setup/admin'];

const session: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !CREDENTIAL_PATHS.includes(new URL(request.url).pathname)) onSessionEnded();
    return response;
  },
};

/** The typed API client: paths, parameters and answers come from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(session);

/**
 * The data of a call, or its failure thrown as an ApiError, for TanStack Query's queryFn and
 * mutationFn: `unwrap(api.GET('/api/users', { params }))`.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, error);
  return data as T;
}
