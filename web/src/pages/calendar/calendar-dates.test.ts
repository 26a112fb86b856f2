import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dateIn, daysFrom, isIsoDate, mondayOf, monthWeeks, weekdayOf } from './calendar-dates';

describe('calendar days', () => {
  it('adds days and months across month and year ends, clamping to shorter months', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });

  it('names weekdays Monday first and finds the Monday of a week', () => {
    expect(weekdayOf('2026-12-07')).toBe('monday');
    expect(weekdayOf('2026-12-13')).toBe('sunday');
    expect(mondayOf('2026-12-13')).toBe('2026-12-07');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });

  it('lays a month out in whole weeks from Monday to Sunday', () => {
    const weeks = monthWeeks('2026-12-18');
    expect(weeks[0]![0]).toBe('2026-11-30');
    expect(weeks.at(-1)!.at(-1)).toBe('2027-01-03');
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    expect(weeks.flat()).toEqual(daysFrom('2026-11-30', '2027-01-03'));
  });

  it('tells the date of an instant in the institution’s zone, not the browser’s', () => {
    const lateEvening = new Date('2026-12-07T23:30:00Z');
    expect(dateIn('UTC', lateEvening)).toBe('2026-12-07');
    expect(dateIn('Europe/Berlin', lateEvening)).toBe('2026-12-08');
    expect(dateIn('America/New_York', lateEvening)).toBe('2026-12-07');
  });

  it('accepts only real dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('tomorrow')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});
