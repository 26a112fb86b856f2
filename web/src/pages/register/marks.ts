import type { BodyOf, ResponseOf } from '../../api/types';

export type Register = ResponseOf<'/api/schedules/{lessonId}/attendance', 'get'>;
export type RegisterEntry = Register['students'][number];
export type Status = NonNullable<RegisterEntry['status']>;
export type MarksBody = BodyOf<'/api/schedules/{lessonId}/attendance', 'put'>;

/** A student's mark as the teacher is setting it, before it is saved. */
export interface DraftMark {
  status: Status;
  /** Kept as typed (empty: not said); sent only with `late`. */
  minutesLate: number | '';
  note: string;
}

export type Draft = Record<string, DraftMark>;

/**
 * The register as the teacher starts from: what was saved, else `excused` for a known absence (the
 * server pre-marks those), else present – everyone is present until marked otherwise.
 */
export function draftOf(register: Register): Draft {
  return Object.fromEntries(
    register.students.map((entry) => [
      entry.student.id,
      { status: entry.status ?? 'present', minutesLate: entry.minutesLate ?? '', note: entry.note ?? '' } satisfies DraftMark,
    ]),
  );
}

/**
 * The next status a tap gives: present, absent, late, and back. Excused is in the round only for a
 * student with a known absence, where it is where the round starts.
 */
export function nextStatus(status: Status, knownAbsence: boolean): Status {
  const round: Status[] = knownAbsence ? ['excused', 'present', 'absent', 'late'] : ['present', 'absent', 'late'];
  const at = round.indexOf(status);
  return round[(at + 1) % round.length] ?? 'present';
}

/** The PUT body: every student of the register, minutes only with late, notes only when written. */
export function marksBody(draft: Draft): MarksBody {
  return Object.entries(draft).map(([studentId, mark]) => ({
    studentId,
    status: mark.status,
    ...(mark.status === 'late' && mark.minutesLate !== '' ? { minutesLate: mark.minutesLate } : {}),
    ...(mark.note.trim() ? { note: mark.note.trim() } : {}),
  }));
}

/** Whether two drafts mark every student alike (notes compared as they will be sent, minutes only where late). */
export function sameMarks(a: Draft, b: Draft): boolean {
  const ids = Object.keys(a);
  return (
    ids.length === Object.keys(b).length &&
    ids.every((id) => {
      const x = a[id];
      const y = b[id];
      return !!x && !!y && x.status === y.status && x.note.trim() === y.note.trim() && (x.status !== 'late' || x.minutesLate === y.minutesLate);
    })
  );
}

/** Whether the draft says something other than what is saved (an untaken register always needs saving). */
export function hasUnsavedChanges(register: Register, draft: Draft): boolean {
  return !register.taken || !sameMarks(draftOf(register), draft);
}

export function countStatuses(draft: Draft): Record<Status, number> {
  const counts: Record<Status, number> = { present: 0, absent: 0, late: 0, excused: 0 };
  for (const mark of Object.values(draft)) counts[mark.status] += 1;
  return counts;
}

/**
 * The register marked as taken by `taker`, as it will read once the save goes through: what the
 * teacher's list of today shows meanwhile. The marks themselves stay as saved; the page shows the draft.
 */
export function takenRegister(register: Register, taker: { id: string; name: string }, now: string): Register {
  return { ...register, taken: true, takenBy: register.takenBy ?? taker, takenAt: register.takenAt ?? now, updatedAt: now };
}
