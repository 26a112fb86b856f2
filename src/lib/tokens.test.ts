import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenService } from './tokens.js';

const settings = { secret: 'a-secret-that-is-long-enough-for-hs256', issuer: 'crm', audience: 'crm', expiresInSeconds: 60 };
const claims = { sub: 'user-1', iid: 'institution-1', role: 'teacher' as const, ver: 0 };

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
});
