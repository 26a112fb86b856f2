import { describe, expect, it } from 'vitest';
import { timestamptzToIso } from './timestamps.js';

describe('timestamptzToIso', () => {
  it('turns Postgres timestamptz text into RFC 3339, whatever the session time zone', () => {
    expect(timestamptzToIso('2026-11-25 18:07:01.435123+00')).toBe('2026-11-25T18:07:01.435123+00:00');
    expect(timestamptzToIso('2026-11-25 18:07:01+00')).toBe('2026-11-25T18:07:01+00:00');
    expect(timestamptzToIso('2026-11-25 23:37:01.5+05:30')).toBe('2026-11-25T23:37:01.5+05:30');
    expect(timestamptzToIso('2026-11-25 13:07:01-05')).toBe('2026-11-25T13:07:01-05:00');
    for (const value of ['2026-11-25 18:07:01.435123+00', '2026-11-25 13:07:01-05', '2026-11-25 23:37:01.5+05:30']) {
      expect(Number.isNaN(Date.parse(timestamptzToIso(value)))).toBe(false);
    }
    expect(Date.parse(timestamptzToIso('2026-11-25 13:07:01-05'))).toBe(Date.parse('2026-11-25T18:07:01Z'));
  });
});
