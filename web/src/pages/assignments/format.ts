import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';

export type MyAssignments = ResponseOf<'/api/assignments/my-assignments', 'get'>;
export type StudentAssignment = Extract<MyAssignments[number], { status: string }>;
export type TeacherAssignment = Extract<MyAssignments[number], { counts: unknown }>;
export type StudentStatus = StudentAssignment['status'];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** Past due and nothing handed in that counts: what a student sees in red. */
export function isOverdue(assignment: Pick<StudentAssignment, 'dueAt' | 'status'>, now = Date.now()): boolean {
  return (assignment.status === 'pending' || assignment.status === 'missing' || assignment.status === 'reassigned') && Date.parse(assignment.dueAt) < now;
}

export const STATUS_COLOR: Record<StudentStatus, string> = {
  pending: 'gray',
  missing: 'red',
  submitted: 'blue',
  graded: 'green',
  reassigned: 'orange',
};

export function statusText(status: StudentStatus): string {
  return t(`assignments.status.${status}`);
}
