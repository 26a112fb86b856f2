import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPath } from './next-path';

describe('safeNextPath', () => {
  it('keeps a path of the app with its query', () => {
    expect(safeNextPath('/admin/users?role=teacher')).toBe('/admin/users?role=teacher');
  });

  it('refuses other sites, protocol-relative and backslash tricks, and the sign-in pages themselves', () => {
    for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example', 'admin', '', null, undefined, '/sign-in', '/sign-in?next=/x', '/sign-up']) {
      expect(safeNextPath(next), String(next)).toBeNull();
    }
  });
});

describe('signInPath', () => {
  it('names the page to come back to, and whether the session ended', () => {
    expect(signInPath('/admin/users?q=ann', true)).toBe('/sign-in?next=%2Fadmin%2Fusers%3Fq%3Dann&expired=1');
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath('//evil.example')).toBe('/sign-in');
  });
});
