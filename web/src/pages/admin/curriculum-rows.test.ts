import { describe, expect, it } from 'vitest';
import { bodyOf, type CurriculumRow, draftOf, newRow, rowProblems } from './curriculum-rows';

const maths = { id: 'subject-maths', name: 'Mathematics', color: null };
const teacher = { id: 'teacher-1', name: 'Theo Teacher' };
const saved: CurriculumRow = { subject: maths, teacher, room: null, periodsPerWeek: 4, scheduled: 2, doublePeriods: 2, maxPerDay: 3 };

describe('a curriculum row sent to the API', () => {
  it('keeps the double periods and daily maximum the editor does not show while its periods stay the same', () => {
    expect(bodyOf(draftOf(saved))).toEqual({ subjectId: maths.id, teacherId: teacher.id, periodsPerWeek: 4, doublePeriods: 2, maxPerDay: 3 });
  });

  it('leaves the daily maximum to the server once the periods change, and never asks for more doubles than fit', () => {
    expect(bodyOf({ ...draftOf(saved), periodsPerWeek: 3 })).toEqual({ subjectId: maths.id, teacherId: teacher.id, periodsPerWeek: 3, doublePeriods: 1 });
  });

  it('sends a new row with its room and nothing else', () => {
    const room = { id: 'room-1', name: 'Lab 2' };
    expect(bodyOf({ ...newRow(), subject: maths, teacher, room, periodsPerWeek: '2' })).toEqual({ subjectId: maths.id, teacherId: teacher.id, periodsPerWeek: 2, roomId: room.id });
  });
});

describe('curriculum rows checked before saving', () => {
  it('asks for a subject and a teacher and refuses a period count out of range', () => {
    const row = { ...newRow(), periodsPerWeek: 21 };
    expect(rowProblems([row]).get(row.key)).toEqual({
      subject: 'Choose a subject.',
      teacher: 'Choose a teacher.',
      periods: 'Between 1 and 20 periods a week.',
    });
  });

  it('names a subject chosen twice on the second row only', () => {
    const first = draftOf(saved);
    const second = { ...newRow(), subject: maths, teacher };
    const problems = rowProblems([first, second]);
    expect(problems.has(first.key)).toBe(false);
    expect(problems.get(second.key)).toEqual({ subject: 'Mathematics is already in the curriculum.' });
  });
});
