import { ApiError, plainMessage } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';

type Weekday = ResponseOf<'/api/bell-schedule', 'get'>['days'][number];

/** What a 409 SCHEDULE_CONFLICT of POST /api/cover says stands in the cover teacher's way (fields as the server sends them). */
interface CoverConflict {
  kind: 'teacher' | 'cover' | 'absence' | 'unavailable';
  lesson?: { period: number; subject: { name: string }; class: { name: string } };
  absence?: { from: string; to: string };
  slot?: { day: Weekday; period: number };
}

function conflictSentence(conflict: CoverConflict, teacher: string): string {
  const { lesson, absence, slot } = conflict;
  if ((conflict.kind === 'teacher' || conflict.kind === 'cover') && lesson) {
    return t(`register.conflict.${conflict.kind}`, { name: teacher, subject: lesson.subject.name, class: lesson.class.name, period: lesson.period });
  }
  if (conflict.kind === 'absence' && absence) return t('register.conflict.absence', { name: teacher, from: absence.from, to: absence.to });
  if (conflict.kind === 'unavailable' && slot) return t('register.conflict.unavailable', { name: teacher, day: t(`day.${slot.day}`), period: slot.period });
  return t('register.conflict.other', { name: teacher });
}

/**
 * A failed cover assignment in words: why `teacher` is not free (each conflict the server names), or
 * that the lesson was covered meanwhile; anything else as every other failure is said.
 */
export function assignErrorMessage(error: unknown, teacher: string): string {
  if (error instanceof ApiError && error.body.code === 'SCHEDULE_CONFLICT' && Array.isArray(error.body.conflicts) && error.body.conflicts.length > 0) {
    return (error.body.conflicts as CoverConflict[]).map((conflict) => conflictSentence(conflict, teacher)).join(' ');
  }
  if (error instanceof ApiError && error.body.code === 'CONFLICT') return t('register.conflict.covered');
  return plainMessage(error);
}

/** A refused new absence: 409 CONFLICT names the absence of the same teacher it overlaps. */
export function absenceErrorMessage(error: unknown, teacher: string): string {
  if (error instanceof ApiError && error.body.code === 'CONFLICT') {
    const absence = error.body.absence as { from?: string; to?: string } | undefined;
    if (absence?.from && absence.to) return t('register.conflict.absenceOverlap', { name: teacher, from: absence.from, to: absence.to });
  }
  return plainMessage(error);
}
