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
    cache: 1000,
  });
  return {
    sign: (claims) => signer({ ...claims }),
    verify(token) {
      try {
        const claims = verifier(token) as TokenClaims;
        const validRole = claims.role === 'admin' || claims.role === 'teacher' || claims.role === 'student';
        return validRole && typeof claims.ver === 'number' ? claims : null;
      } catch {
        return null;
      }
    },
  };
}
