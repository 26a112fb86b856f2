import { describe, expect, it } from 'vitest';
import { countStatuses, draftOf, hasUnsavedChanges, marksBody, nextStatus, type RegisterEntry, takenRegister } from './marks';
import { registerEntry, testRegister } from './test-registers';

const entry = (id: string, saved: Partial<RegisterEntry> = {}) => registerEntry(id, `Student ${id}`, saved);
const register = testRegister;

describe('a register being taken', () => {
  it('starts with everyone present, known absences excused and saved marks as saved', () => {
    const draft = draftOf(
      register([
        entry('a'),
        entry('b', { status: 'excused', knownAbsence: { id: 'k', reason: 'Dentist' } }),
        entry('c', { status: 'late', minutesLate: 7, note: 'bus', marked: true }),
      ]),
    );
    expect(draft).toEqual({
      a: { status: 'present', minutesLate: '', note: '' },
      b: { status: 'excused', minutesLate: '', note: '' },
      c: { status: 'late', minutesLate: 7, note: 'bus' },
    });
    expect(countStatuses(draft)).toEqual({ present: 1, absent: 0, late: 1, excused: 1 });
  });

  it('moves a mark on with each tap: present, absent, late and back; excused only in the round of a known absence', () => {
    expect(nextStatus('present', false)).toBe('absent');
    expect(nextStatus('absent', false)).toBe('late');
    expect(nextStatus('late', false)).toBe('present');
    expect(nextStatus('excused', true)).toBe('present');
    expect(nextStatus('late', true)).toBe('excused');
    // A mark saved as excused without a known absence joins the ordinary round.
    expect(nextStatus('excused', false)).toBe('present');
  });

  it('sends every student, minutes only when late, notes only when written', () => {
    expect(
      marksBody({
        a: { status: 'present', minutesLate: 5, note: '  ' },
        b: { status: 'late', minutesLate: 5, note: ' bus ' },
        c: { status: 'late', minutesLate: '', note: '' },
      }),
    ).toEqual([
      { studentId: 'a', status: 'present' },
      { studentId: 'b', status: 'late', minutesLate: 5, note: 'bus' },
      { studentId: 'c', status: 'late' },
    ]);
  });

  it('needs saving until taken, then only when a mark differs from the saved one', () => {
    const fresh = register([entry('a')]);
    expect(hasUnsavedChanges(fresh, draftOf(fresh))).toBe(true);
    const saved = register([entry('a', { status: 'absent', marked: true })], true);
    expect(hasUnsavedChanges(saved, draftOf(saved))).toBe(false);
    expect(hasUnsavedChanges(saved, { a: { status: 'absent', minutesLate: 3, note: ' ' } })).toBe(false);
    expect(hasUnsavedChanges(saved, { a: { status: 'late', minutesLate: 3, note: '' } })).toBe(true);
  });

  it('reads as taken by the first taker while a save is on its way', () => {
    const fresh = takenRegister(register([entry('a')]), { id: 'me', name: 'Me' }, '2026-11-23T09:00:00Z');
    expect(fresh).toMatchObject({ taken: true, takenBy: { name: 'Me' }, takenAt: '2026-11-23T09:00:00Z', updatedAt: '2026-11-23T09:00:00Z' });
    const again = takenRegister(register([entry('a')], true), { id: 'me', name: 'Me' }, '2026-11-23T09:00:00Z');
    expect(again).toMatchObject({ takenBy: { name: 'Tess Teacher' }, takenAt: '2026-11-23T08:05:00Z', updatedAt: '2026-11-23T09:00:00Z' });
  });
});
