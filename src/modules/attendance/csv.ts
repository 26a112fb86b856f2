import { csvText } from '../../lib/csv.js';
import type { ClassReport, StudentReport } from './schemas.js';

/** "3 of 4" lessons attended (present or late) of those marked; empty without marks. Not "3/4", which a spreadsheet reads as a date. */
function attended(counts: { present: number; absent: number; late: number; excused: number }): string | null {
  const marked = counts.present + counts.absent + counts.late + counts.excused;
  return marked === 0 ? null : `${counts.present + counts.late} of ${marked}`;
}

/** A class's report: one row per student, a column per date (lessons attended of those marked), then the totals. */
export function classReportCsv(report: ClassReport): string {
  return csvText([
    ['Student', ...report.dates, 'Present', 'Absent', 'Late', 'Excused', 'Rate'],
    ...report.students.map(({ student, days, counts, rate }) => [
      student.name,
      ...days.map(attended),
      counts.present,
      counts.absent,
      counts.late,
      counts.excused,
      rate,
    ]),
  ]);
}

/** A student's report: one row per marked lesson. */
export function studentReportCsv(report: StudentReport): string {
  return csvText([
    ['Date', 'Period', 'Class', 'Subject', 'Status', 'Minutes late', 'Note'],
    ...report.marks.map((mark) => [mark.date, mark.period, mark.class.name, mark.subject.name, mark.status, mark.minutesLate, mark.note]),
  ]);
}
