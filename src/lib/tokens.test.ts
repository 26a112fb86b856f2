import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSigner } from 'fast-jwt';
import { createTokenService } from './tokens.js';

const settings = { secret: 'a-secret-that-is-long-enough-for-hs256', issuer: 'crm', audience: 'crm', expiresInSeconds: 60 };
const claims = { sub: '6f1c2a9e-3b4d-4c5e-8f70-123456789abc', iid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', role: 'teacher' as const, ver: 0 };
/** Signs anything with the service's own key, as a bug or a second service sharing the key could. */
const signRaw = (payload: Record<string, unknown>) =>
  createSigner({ key: settings.secret, algorithm: 'HS256', iss: settings.issuer, aud: settings.audience, expiresIn: 60_000 })(payload);

describe('token service', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps answering for a token it verified before, until the token expires', () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') });
    const tokens = createTokenService(settings);
    const token = tokens.sign(claims);
    expect(tokens.verify(token)).toMatchObject(claims);
    // Answered from the remembered verification this time.
    expect(tokens.verify(token)).toMatchObject(claims);
    vi.setSystemTime(new Date('2026-11-25T12:01:01Z'));
    expect(tokens.verify(token)).toBeNull();
    expect(tokens.verify(token)).toBeNull();
  });

  it('does not let a token that differs in one character share a verified token\'s answer', () => {
    const tokens = createTokenService(settings);
    const token = tokens.sign(claims);
    expect(tokens.verify(token)).not.toBeNull();
    const at = token.length - 10;
    const altered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    expect(tokens.verify(altered)).toBeNull();
    expect(createTokenService({ ...settings, secret: 'another-secret-that-is-long-enough-x' }).verify(token)).toBeNull();
  });

  it('refuses a correctly signed token whose ids are not UUIDs, whose role or version is malformed, or that was issued in the future', () => {
    const tokens = createTokenService(settings);
    expect(tokens.verify(signRaw({ ...claims }))).toMatchObject(claims);
    expect(tokens.verify(signRaw({ ...claims, sub: 'not-a-uuid' }))).toBeNull();
    expect(tokens.verify(signRaw({ ...claims, iid: "1' or 1=1" }))).toBeNull();
    expect(tokens.verify(signRaw({ ...claims, role: 'superuser' }))).toBeNull();
    expect(tokens.verify(signRaw({ ...claims, ver: 1.5 }))).toBeNull();
    const aYearAhead = Math.floor(Date.now() / 1000) + 365 * 24 * 3600;
    expect(tokens.verify(signRaw({ ...claims, iat: aYearAhead }))).toBeNull();
    // A clock a few seconds ahead on another instance is tolerated.
    expect(tokens.verify(signRaw({ ...claims, iat: Math.floor(Date.now() / 1000) + 5 }))).toMatchObject(claims);
  });
});
