import { describe, expect, it } from 'vitest';
import { isIsoWeek, isoWeekOf, shiftWeek } from './iso-week';

describe('ISO weeks', () => {
  it('names the week a date falls in, across year ends', () => {
    expect(isoWeekOf(new Date(2026, 10, 26))).toBe('2026-W48');
    expect(isoWeekOf(new Date(2026, 0, 1))).toBe('2026-W01');
    // 1 January 2027 is a Friday: it belongs to the last week of 2026.
    expect(isoWeekOf(new Date(2027, 0, 1))).toBe('2026-W53');
    // 29 December 2025 is a Monday in the first week of 2026.
    expect(isoWeekOf(new Date(2025, 11, 29))).toBe('2026-W01');
  });

  it('moves a week forward and back across years', () => {
    expect(shiftWeek('2026-W48', 1)).toBe('2026-W49');
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2026-W01', -1)).toBe('2025-W52');
  });

  it('accepts only well-formed weeks', () => {
    expect(isIsoWeek('2026-W48')).toBe(true);
    for (const value of ['2026-W00', '2026-W54', '2026-48', 'W48', null]) expect(isIsoWeek(value), String(value)).toBe(false);
  });
});
