import type { BodyOf } from '../../api/types';
import { t } from '../../i18n';
import type { SchoolClass } from './class-form';
import type { NamedRecord } from './record-select';

export type CurriculumRow = SchoolClass['curriculum'][number];
type CurriculumBody = BodyOf<'/api/classes/{id}/subjects', 'put'>;

/** One row as the editor holds it; `saved` is the row it started from, if any. */
export interface DraftRow {
  key: number;
  subject: NamedRecord | null;
  teacher: NamedRecord | null;
  room: NamedRecord | null;
  periodsPerWeek: number | string;
  saved?: CurriculumRow;
}

let nextKey = 0;

/** A row added by the admin: nothing chosen yet, one period a week. */
export function newRow(): DraftRow {
  return { key: nextKey++, subject: null, teacher: null, room: null, periodsPerWeek: 1 };
}

/** A saved row, to edit. */
export function draftOf(row: CurriculumRow): DraftRow {
  return { key: nextKey++, subject: row.subject, teacher: row.teacher, room: row.room, periodsPerWeek: row.periodsPerWeek, saved: row };
}

/**
 * The row as the API takes it. The editor does not show double periods and the most periods a day,
 * so a row keeps them as they were: double periods (never more than half its periods), and the
 * most a day while its periods a week stay the same (a new count gets the server's default).
 */
export function bodyOf(row: DraftRow): CurriculumBody[number] {
  const periodsPerWeek = Number(row.periodsPerWeek);
  const { saved } = row;
  return {
    subjectId: row.subject?.id ?? '',
    teacherId: row.teacher?.id ?? '',
    periodsPerWeek,
    ...(row.room ? { roomId: row.room.id } : {}),
    ...(saved ? { doublePeriods: Math.min(saved.doublePeriods, Math.floor(periodsPerWeek / 2)) } : {}),
    ...(saved && saved.periodsPerWeek === periodsPerWeek ? { maxPerDay: saved.maxPerDay } : {}),
  };
}

/** A row's problems in words, by the field they belong to. */
export type RowProblem = Partial<Record<'subject' | 'teacher' | 'periods', string>>;

/** What is wrong with each row before saving, by row key: a subject and a teacher, a subject once, 1-20 periods. */
export function rowProblems(rows: DraftRow[]): Map<number, RowProblem> {
  const problems = new Map<number, RowProblem>();
  rows.forEach((row, index) => {
    const problem: RowProblem = {};
    if (!row.subject) problem.subject = t('curriculum.problem.subject');
    else if (rows.findIndex((other) => other.subject?.id === row.subject?.id) !== index) problem.subject = t('curriculum.problem.twice', { subject: row.subject.name });
    if (!row.teacher) problem.teacher = t('curriculum.problem.teacher');
    const periods = Number(row.periodsPerWeek);
    if (!Number.isInteger(periods) || periods < 1 || periods > 20) problem.periods = t('curriculum.problem.periods');
    if (Object.keys(problem).length > 0) problems.set(row.key, problem);
  });
  return problems;
}
