import type { Register, RegisterEntry } from './marks';

/** For tests: a student's line of a register, unmarked unless `saved` says otherwise. */
export function registerEntry(id: string, name: string, saved: Partial<RegisterEntry> = {}): RegisterEntry {
  return { student: { id, name }, status: null, minutesLate: null, note: null, marked: false, knownAbsence: null, ...saved };
}

export const TEST_TEACHER = { id: 'teacher-1', name: 'Tess Teacher' };

/** For tests: 7A's Maths register on Monday 2026-11-23, taken by Tess at 08:05 when `taken`. */
export function testRegister(students: RegisterEntry[], taken = false): Register {
  return {
    lesson: {
      id: 'lesson-1',
      day: 'monday',
      period: 1,
      start: '08:00',
      end: '08:45',
      pinned: false,
      subject: { id: 'maths', name: 'Maths', color: null },
      class: { id: '7a', name: '7A' },
      teacher: TEST_TEACHER,
      room: null,
    },
    date: '2026-11-23',
    taken,
    takenBy: taken ? TEST_TEACHER : null,
    takenAt: taken ? '2026-11-23T08:05:00Z' : null,
    updatedAt: taken ? '2026-11-23T08:05:00Z' : null,
    students,
  };
}
