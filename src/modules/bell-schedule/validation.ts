import type { ErrorDetail } from '../../lib/errors.js';
import { type BellSchedule, WEEKDAYS } from './schemas.js';

/**
 * What the schema cannot say about a bell schedule, each problem named by its index: days once
 * each and in week order; periods numbered from 1, each starting before it ends and not before
 * the previous one has ended.
 */
export function bellScheduleProblems({ days, periods }: BellSchedule): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  days.forEach((day, index) => {
    const previous = days[index - 1];
    if (days.indexOf(day) !== index) problems.push({ field: `days.${index}`, message: `repeats ${day}` });
    else if (previous !== undefined && WEEKDAYS.indexOf(day) < WEEKDAYS.indexOf(previous)) {
      problems.push({ field: `days.${index}`, message: `must come after ${previous}: list the days in week order` });
    }
  });
  periods.forEach((period, index) => {
    const previous = periods[index - 1];
    if (period.number !== index + 1) {
      problems.push({ field: `periods.${index}.number`, message: `must be ${index + 1}: periods are numbered from 1 in order` });
    }
    // "HH:MM" strings compare in time order.
    if (period.start >= period.end) problems.push({ field: `periods.${index}.end`, message: `must be after the start (${period.start})` });
    if (previous && period.start < previous.end) {
      problems.push({ field: `periods.${index}.start`, message: `must not be before the previous period ends (${previous.end})` });
    }
  });
  return problems;
}
