import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import { absenceErrorMessage, assignErrorMessage } from './cover-errors';

const lesson = { period: 3, subject: { name: 'Physics' }, class: { name: '7A' } };

describe('cover failures in words', () => {
  it('says why the chosen teacher is not free, for each conflict the server names', () => {
    const error = new ApiError(409, {
      code: 'SCHEDULE_CONFLICT',
      message: 'The cover teacher is not free then (teacher, unavailable)',
      conflicts: [
        { kind: 'teacher', lesson },
        { kind: 'cover', lesson, date: '2026-11-23' },
        { kind: 'absence', absence: { id: 'x', from: '2026-11-23', to: '2026-11-24', periods: null } },
        { kind: 'unavailable', slot: { day: 'monday', period: 3 } },
      ],
    });
    expect(assignErrorMessage(error, 'Ben Busy')).toBe(
      [
        'Ben Busy is not free then: they teach Physics to 7A in period 3.',
        'Ben Busy is not free then: they already cover Physics for 7A in period 3.',
        'Ben Busy is away themselves then (absent from 2026-11-23 to 2026-11-24).',
        'Ben Busy is not available on Mondays in period 3.',
      ].join(' '),
    );
  });

  it('explains a lesson covered meanwhile, and an absence overlapping another', () => {
    expect(assignErrorMessage(new ApiError(409, { code: 'CONFLICT', message: 'x', coverId: 'c' }), 'Ben')).toContain('was given a cover meanwhile');
    const overlap = new ApiError(409, { code: 'CONFLICT', message: 'x', absence: { from: '2026-11-23', to: '2026-11-25' } });
    expect(absenceErrorMessage(overlap, 'Ann Absent')).toBe('Ann Absent already has an absence recorded from 2026-11-23 to 2026-11-25 that shares a day and period with this one.');
  });

  it('says other failures as the app says them everywhere', () => {
    expect(assignErrorMessage(new ApiError(403, { code: 'FORBIDDEN', message: 'no' }), 'Ben')).toBe('You are not allowed to do this.');
  });
});
