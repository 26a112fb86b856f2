import { Temporal } from 'temporal-polyfill';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { Viewer } from './policy.js';
import { occurrencesFor } from './service.js';

export interface HolidayOnDate {
  id: string;
  title: string;
  audience: 'all' | 'classes';
  classIds: string[];
}

/**
 * The holidays the viewer sees on each of `days` local days from `first`, by date ('YYYY-MM-DD'):
 * a multi-day holiday is on each of its days. A lesson is off on a date when one of them is for
 * everyone or for the lesson's class.
 */
export async function holidaysByDate(db: TenantDb, viewer: Viewer, timeZone: string, first: Temporal.PlainDate, days: number) {
  const last = first.add({ days: days - 1 });
  const occurrences = await occurrencesFor(db, viewer, timeZone, { from: first.toString(), to: last.toString() }, ['holiday']);
  const byDate = new Map<string, HolidayOnDate[]>();
  for (const occurrence of occurrences) {
    const holiday: HolidayOnDate = {
      id: occurrence.eventId,
      title: occurrence.title,
      audience: occurrence.classIds.length > 0 ? 'classes' : 'all',
      classIds: occurrence.classIds,
    };
    const start = occurrence.start.toPlainDate();
    const end = occurrence.endDate ? Temporal.PlainDate.from(occurrence.endDate) : occurrence.start.add({ nanoseconds: 1 }).toPlainDate();
    for (let day = start; Temporal.PlainDate.compare(day, end) <= 0; day = day.add({ days: 1 })) {
      if (Temporal.PlainDate.compare(day, first) < 0 || Temporal.PlainDate.compare(day, last) > 0) continue;
      const key = day.toString();
      byDate.set(key, [...(byDate.get(key) ?? []), holiday]);
    }
  }
  return byDate;
}

/** A lesson of this class is off on a date with these holidays. */
export function isOff(holidays: readonly HolidayOnDate[] | undefined, classId: string): boolean {
  return holidays?.some((holiday) => holiday.audience === 'all' || holiday.classIds.includes(classId)) ?? false;
}
