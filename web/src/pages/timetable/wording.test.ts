import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import type { Lesson } from './lessons';
import { timetableErrorMessage, unsolvableReasons } from './wording';

const busy: Lesson = {
  id: 'l1',
  day: 'monday',
  period: 3,
  start: '09:40',
  end: '10:25',
  pinned: false,
  subject: { id: 's', name: 'Maths', color: null },
  class: { id: 'c', name: '7B' },
  teacher: { id: 't', name: 'Mr X' },
  room: { id: 'r', name: 'Lab 1' },
};

describe('timetable errors in plain words', () => {
  it('explains a 409 SCHEDULE_CONFLICT from the lessons in the way', () => {
    const error = new ApiError(409, {
      code: 'SCHEDULE_CONFLICT',
      message: 'This slot is already taken for the teacher, room',
      conflicts: [
        { kind: 'teacher', lesson: busy },
        { kind: 'room', lesson: busy },
      ],
    });
    expect(timetableErrorMessage(error)).toBe('The lesson could not be put there: Mr X already teaches Maths to 7B then. Room Lab 1 is already taken by 7B (Maths) then.');
  });

  it('says STALE in the generator’s terms, not the assignments’', () => {
    expect(timetableErrorMessage(new ApiError(409, { code: 'STALE', message: 'changed' }))).toMatch(/^The school changed since this timetable was generated/);
  });

  it('lists every reason a timetable cannot be made', () => {
    const error = new ApiError(422, { code: 'UNSOLVABLE', message: '…', reasons: ['Class 7A needs 42 periods a week; its week has 40'] });
    expect(timetableErrorMessage(error)).toBe('No timetable can meet these requirements:');
    expect(unsolvableReasons(error)).toEqual(['Class 7A needs 42 periods a week; its week has 40']);
  });
});
