import { describe, expect, it } from 'vitest';
import { endOfDayUntil, wallClock, zonedTimestamp } from './zoned-time';

describe('times in the institution’s zone', () => {
  it('reads the wall clock a timestamp is written in', () => {
    expect(wallClock('2026-12-07T09:00:00+01:00')).toEqual({ date: '2026-12-07', time: '09:00' });
  });

  it('writes a local date and time with the offset the zone has then, across daylight saving', () => {
    expect(zonedTimestamp('2026-12-07', '09:00', 'Europe/Berlin')).toBe('2026-12-07T09:00:00+01:00');
    expect(zonedTimestamp('2026-07-06', '09:00', 'Europe/Berlin')).toBe('2026-07-06T09:00:00+02:00');
    expect(zonedTimestamp('2026-12-07', '09:00', 'America/New_York')).toBe('2026-12-07T09:00:00-05:00');
    expect(zonedTimestamp('2026-12-07', '09:00', 'Asia/Kolkata')).toBe('2026-12-07T09:00:00+05:30');
    expect(zonedTimestamp('2026-12-07', '09:00', 'UTC')).toBe('2026-12-07T09:00:00+00:00');
  });

  it('moves a time that does not exist (the spring gap) past the gap', () => {
    expect(zonedTimestamp('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
  });

  it('ends a repetition at the last second of the local day, in UTC', () => {
    expect(endOfDayUntil('2026-12-18', 'Europe/Berlin')).toBe('20261218T225959Z');
    expect(endOfDayUntil('2026-12-18', 'UTC')).toBe('20261218T235959Z');
    expect(endOfDayUntil('2026-12-18', 'America/Los_Angeles')).toBe('20261219T075959Z');
  });
});
