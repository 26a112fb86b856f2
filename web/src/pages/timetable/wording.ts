import { ApiError, plainMessage } from '../../api/errors';
import { t } from '../../i18n';
import type { Conflict, Day } from './lessons';

/** Why a slot is taken, as a person would say it: "Theo Teacher already teaches Maths to 7B then." */
export function conflictSentence({ kind, lesson }: Conflict): string {
  const names = { teacher: lesson.teacher.name, class: lesson.class.name, subject: lesson.subject.name, room: lesson.room?.name ?? '' };
  return t(`timetable.conflict.${kind}`, names);
}

export function slotName(day: Day, period: number): string {
  return t('timetable.slot', { day: t(`day.${day}`), period });
}

/** The conflicts a 409 SCHEDULE_CONFLICT carries, when it carries them. */
function conflictsOf(error: unknown): Conflict[] | null {
  if (!(error instanceof ApiError) || error.body.code !== 'SCHEDULE_CONFLICT' || !Array.isArray(error.body.conflicts)) return null;
  return error.body.conflicts as Conflict[];
}

/**
 * A failed timetable action in plain words. The codes whose meaning here differs from elsewhere
 * (STALE is also a newer hand-in for assignments) or that carry facts get their own sentence.
 */
export function timetableErrorMessage(error: unknown): string {
  const conflicts = conflictsOf(error);
  if (conflicts && conflicts.length > 0) return [t('timetable.conflict.intro'), ...conflicts.map(conflictSentence)].join(' ');
  if (error instanceof ApiError) {
    const code = error.body.code;
    if (code === 'STALE') return t('timetable.generate.stale');
    if (code === 'JOB_RUNNING') return t('timetable.generate.jobRunning');
    if (code === 'JOB_FINISHED') return t('timetable.generate.jobFinished');
    if (code === 'UNSOLVABLE') return t('timetable.generate.unsolvable');
  }
  return plainMessage(error);
}

/** Every reason a 422 UNSOLVABLE gives (each a sentence from the server, such as "Class 7A needs 42 periods a week; its week has 40"). */
export function unsolvableReasons(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.body.code !== 'UNSOLVABLE' || !Array.isArray(error.body.reasons)) return [];
  return error.body.reasons.filter((reason): reason is string => typeof reason === 'string');
}
