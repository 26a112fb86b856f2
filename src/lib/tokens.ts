import { createSigner, createVerifier } from 'fast-jwt';
import type { PrincipalRole } from '../db/types.js';

/** What a token asserts; every claim is re-checked against the database on each request. */
export interface TokenClaims {
  sub: string;
  /** Institution id: it names the tenant schema, so no lookup is needed to find it. */
  iid: string;
  role: PrincipalRole;
  /** The account's token version when the token was issued; bumping it revokes the token. */
  ver: number;
}

export interface TokenService {
  sign(claims: TokenClaims): string;
  /** Returns the claims, or null for a token that is malformed, expired, forged or foreign. */
  verify(token: string): TokenClaims | null;
}

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  expiresInSeconds: number;
}

/** Verified tokens kept by this instance; a full cache is emptied and refilled. */
const VERIFIED_CACHE_MAX_ENTRIES = 10_000;

export function createTokenService(settings: TokenSettings): TokenService {
  const signer = createSigner({
    key: settings.secret,
    algorithm: 'HS256',
    iss: settings.issuer,
    aud: settings.audience,
    expiresIn: settings.expiresInSeconds * 1000,
  });
  const verifier = createVerifier({
    key: settings.secret,
    // Pinned: a token that names another algorithm (including "none") is rejected.
    algorithms: ['HS256'],
    allowedIss: settings.issuer,
    allowedAud: settings.audience,
    requiredClaims: ['exp', 'sub', 'iid', 'role', 'ver'],
  });
  // Keyed by the token text itself: everything verified about a token except its expiry holds for
  // as long as the text is the same, and expiry is checked on every use. fast-jwt's own cache
  // hashes each token with SHA-256 first, a measurable share of a cached /me request.
  const verified = new Map<string, TokenClaims & { exp: number }>();
  return {
    sign: (claims) => signer({ ...claims }),
    verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.exp * 1000 > Date.now()) return known;
        verified.delete(token);
        return null;
      }
      try {
        const claims = verifier(token) as TokenClaims & { exp: number };
        const validRole = claims.role === 'admin' || claims.role === 'teacher' || claims.role === 'student';
        if (!validRole || typeof claims.ver !== 'number') return null;
        if (verified.size >= VERIFIED_CACHE_MAX_ENTRIES) verified.clear();
        verified.set(token, claims);
        return claims;
      } catch {
        return null;
      }
    },
  };
}
