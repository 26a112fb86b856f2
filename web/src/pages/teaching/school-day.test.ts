import { describe, expect, it } from 'vitest';
import type { Lesson } from '../week/week';
import { nowAndNext, schoolNow } from './school-day';

const lesson = (id: string, period: number, start: string, end: string, cancelled = false) =>
  ({ id, period, start, end, day: 'monday', ...(cancelled ? { cancelled: true } : {}) }) as Lesson;

describe('schoolNow', () => {
  it("gives the date, weekday and time in the institution's zone, not the device's", () => {
    // 23:30 UTC on Sunday 29 November 2026 is already Monday in Berlin (UTC+1 in winter).
    const moment = new Date('2026-11-29T23:30:00Z');
    expect(schoolNow(moment, 'UTC')).toEqual({ date: '2026-11-29', day: 'sunday', time: '23:30' });
    expect(schoolNow(moment, 'Europe/Berlin')).toEqual({ date: '2026-11-30', day: 'monday', time: '00:30' });
  });

  it('writes midnight as 00, not 24', () => {
    expect(schoolNow(new Date('2026-06-01T00:05:00Z'), 'UTC').time).toBe('00:05');
  });
});

describe('nowAndNext', () => {
  const day = [lesson('a', 1, '08:00', '08:45'), lesson('b', 2, '08:50', '09:35', true), lesson('c', 3, '09:40', '10:25')];

  it('finds the lesson going on, its end excluded, and the next to start', () => {
    expect(nowAndNext(day, '08:00')).toEqual({ now: day[0], next: day[2] });
    expect(nowAndNext(day, '08:45').now).toBeUndefined();
  });

  it('passes over a lesson the teacher is away from', () => {
    expect(nowAndNext(day, '09:00')).toEqual({ now: undefined, next: day[2] });
  });

  it('has nothing after the last lesson', () => {
    expect(nowAndNext(day, '12:00')).toEqual({ now: undefined, next: undefined });
  });
});
