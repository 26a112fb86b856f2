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

export type VerifiedClaims = TokenClaims & { exp: number };

export interface TokenService {
  sign(claims: TokenClaims): string;
  /** Returns the claims and the expiry (seconds since the epoch), or null for a token that is malformed, expired, forged or foreign. */
  verify(token: string): VerifiedClaims | null;
}

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  expiresInSeconds: number;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Clocks of several API instances may disagree a little; a token from further ahead is forged or broken. */
const ISSUED_AT_TOLERANCE_SECONDS = 60;

/**
 * Claims the signature vouches for can still be malformed if the key ever signed something else
 * (another service sharing it, a bug): such a token is an authentication failure, not bad input.
 */
function wellFormed(claims: TokenClaims & { iat: unknown }): boolean {
  return (
    UUID_PATTERN.test(String(claims.sub)) &&
    UUID_PATTERN.test(String(claims.iid)) &&
    (claims.role === 'admin' || claims.role === 'teacher' || claims.role === 'student' || claims.role === 'guardian') &&
    Number.isInteger(claims.ver) &&
    typeof claims.iat === 'number' &&
    claims.iat <= Date.now() / 1000 + ISSUED_AT_TOLERANCE_SECONDS
  );
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
    requiredClaims: ['exp', 'iat', 'sub', 'iid', 'role', 'ver'],
  });
  // Keyed by the token text itself: everything verified about a token except its expiry holds for
  // as long as the text is the same, and expiry is checked on every use. fast-jwt's own cache
  // hashes each token with SHA-256 first, a measurable share of a cached /me request.
  const verified = new Map<string, TokenClaims & { exp: number; iat: number }>();
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
        const claims = verifier(token) as TokenClaims & { exp: number; iat: number };
        if (!wellFormed(claims)) return null;
        if (verified.size >= VERIFIED_CACHE_MAX_ENTRIES) verified.clear();
        verified.set(token, claims);
        return claims;
      } catch {
        return null;
      }
    },
  };
}
