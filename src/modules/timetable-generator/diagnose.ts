import type { School } from './queries.js';
import type { SchoolProblem } from './problem-from-school.js';

const periods = (n: number) => `${n} ${n === 1 ? 'period' : 'periods'}`;

/**
 * Every reason, found by counting before any search, why no timetable can exist, in words a
 * school admin acts on. Empty when counting finds none (the search may still leave lessons out).
 */
export function diagnose(school: School, built: SchoolProblem): string[] {
  const { problem, rows } = built;
  const week = problem.days * problem.hours;
  const reasons: string[] = [];
  if (rows.length === 0) reasons.push('The chosen classes have no curriculum: there is nothing to timetable');

  const classLoad = new Array<number>(built.classIds.length).fill(0);
  const teacherLoad = new Array<number>(built.teacherIds.length).fill(0);
  const roomLoad = new Array<number>(built.roomIds.length).fill(0);
  for (const activity of problem.activities) {
    for (const g of activity.subgroups) classLoad[g]! += activity.duration;
    for (const t of activity.teachers) teacherLoad[t]! += activity.duration;
    if (activity.rooms?.length === 1) roomLoad[activity.rooms[0]!]! += activity.duration;
  }

  built.classIds.forEach((_, g) => {
    if (classLoad[g]! > week) reasons.push(`Class ${problem.subgroups[g]} needs ${periods(classLoad[g]!)} a week; its week has ${week}`);
  });

  for (const row of rows) {
    const what = `${row.subjectName} in class ${row.className}`;
    if (row.pinned > row.periodsPerWeek) {
      reasons.push(`${what} has ${row.pinned} pinned lessons but its curriculum gives it ${periods(row.periodsPerWeek)} a week`);
    }
    if (row.maxPerDay * problem.days < row.periodsPerWeek) {
      reasons.push(`${what} needs ${periods(row.periodsPerWeek)} a week but may have at most ${row.maxPerDay} a day over ${problem.days} days`);
    }
    if (row.doublePeriods > 0 && problem.hours < 2) reasons.push(`${what} has double periods, but the day has a single period`);
  }

  const availability = new Map(school.availability.map((a) => [a.teacherId, a]));
  built.teacherIds.forEach((id, t) => {
    const name = problem.teachers[t]!;
    const load = teacherLoad[t]!;
    const a = availability.get(id);
    const blocked = new Set(
      (a?.unavailable ?? []).filter((u) => built.days.includes(u.day) && u.period <= problem.hours).map((u) => `${u.day} ${u.period}`),
    );
    const free = week - blocked.size;
    if (load > free) reasons.push(`${name} teaches ${periods(load)} but is available for ${free}`);
    if (a?.maxPeriodsPerWeek != null && load > a.maxPeriodsPerWeek) {
      reasons.push(`${name} teaches ${periods(load)} a week but may teach at most ${a.maxPeriodsPerWeek}`);
    }
    if (a?.maxPeriodsPerDay != null) {
      const perDay = built.days.map((day) => Math.min(a.maxPeriodsPerDay!, problem.hours - [...blocked].filter((key) => key.startsWith(`${day} `)).length));
      const cap = perDay.reduce((sum, n) => sum + n, 0);
      if (load > cap && cap < free) reasons.push(`${name} teaches ${periods(load)} but at most ${a.maxPeriodsPerDay} a day on the days available allows ${cap}`);
    }
  });

  built.roomIds.forEach((_, r) => {
    if (roomLoad[r]! > week) reasons.push(`Room ${problem.rooms[r]} is needed ${roomLoad[r]} times a week; it has ${periods(week)}`);
  });
  return reasons;
}
