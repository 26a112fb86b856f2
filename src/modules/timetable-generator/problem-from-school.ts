import type { Weekday } from '../bell-schedule/tables.js';
import type { Activity, Limit, MinDays, PreferredStarts, Problem, Unavailable } from './solver/problem.js';
import { HARD } from './solver/problem.js';
import type { School } from './queries.js';

/**
 * Penalties of the soft constraints (the solver's weights: 100 and over is hard). Documented in
 * docs/timetable-solver.md, "In the CRM".
 */
export const SOFT_WEIGHTS = {
  /** Per free period between a teacher's first and last lesson of a day. */
  teacherGap: 30,
  /** Per pair of one subject's lessons (of one class) on the same day. */
  sameDay: 20,
  /** Per lesson of a subject in the last period beyond the first such lesson of its week. */
  lastPeriod: 10,
  /** Per change of room between a teacher's consecutive lessons of a day (a lesson with no room is in its class's room). */
  roomChange: 5,
} as const;

/** A curriculum row of a class in the job, with the names the diagnoses and reasons use. */
export interface RowInfo {
  classId: string;
  className: string;
  subjectId: string;
  subjectName: string;
  teacherId: string;
  roomId: string | null;
  periodsPerWeek: number;
  doublePeriods: number;
  maxPerDay: number;
  pinned: number;
}

export interface SchoolProblem {
  problem: Problem;
  days: Weekday[];
  /** Per activity: the index of its row in `rows`, or -1 for a lesson kept where it is. */
  activityRow: number[];
  rows: RowInfo[];
  /** Per problem teacher, room and subgroup: its id. */
  teacherIds: string[];
  roomIds: string[];
  classIds: string[];
  /** Per activity: a lesson kept where it is (pinned, or another class's). */
  kept: boolean[];
}

function indexer(list: string[]) {
  const index = new Map<string, number>();
  return (id: string) => {
    let i = index.get(id);
    if (i === undefined) {
      i = list.length;
      list.push(id);
      index.set(id, i);
    }
    return i;
  };
}

/**
 * The institution's data as the solver's problem for the classes `classIds`:
 * - each curriculum row becomes `doublePeriods` activities of two periods and the rest of one,
 *   less the lessons of it that are pinned;
 * - pinned lessons of these classes, and every lesson of other classes that shares a teacher or a
 *   room with them, are fixed activities (the latter with no students);
 * - `maxPerDay` (hard): the row's activities are dealt into `maxPerDay` groups, a double period
 *   into two, and each group's activities are at least a day apart (min days 1 at weight 100).
 *   The row's activities are interchangeable, so any week with at most `maxPerDay` periods a day
 *   can be dealt this way: nothing feasible is excluded;
 * - `compactDays` (hard): the class may have no gaps and no late beginning (limits at weight 100);
 * - teacher availability as hard not-available times, `maxPeriodsPerDay` and `maxGapsPerDay` as
 *   hard limits (`maxPeriodsPerWeek` is fixed by the curriculum: a diagnosis, not a constraint);
 * - soft: teacher gaps, a teacher's room changes, a subject's lessons on one day, and its lessons
 *   in the last period.
 */
export function schoolProblem(school: School, classIds: string[]): SchoolProblem {
  const days = school.bell.days;
  const hours = school.bell.periods.length;
  const inJob = new Set(classIds);
  const className = new Map(school.classes.map((c) => [c.id, c.name]));
  const slotOf = (day: Weekday, period: number) => {
    const d = days.indexOf(day);
    return d < 0 || period > hours ? -1 : d * hours + period - 1;
  };

  const teacherIds: string[] = [];
  const roomIds: string[] = [];
  const subgroupIds: string[] = [];
  const teacher = indexer(teacherIds);
  const room = indexer(roomIds);
  const subgroup = indexer(subgroupIds);
  for (const id of classIds) subgroup(id);

  const jobRows = school.curriculum.filter((row) => inJob.has(row.classId));
  const jobLessons = school.lessons.filter((lesson) => inJob.has(lesson.classId) && lesson.pinned && slotOf(lesson.day, lesson.period) >= 0);
  for (const row of jobRows) {
    teacher(row.teacherId);
    if (row.roomId) room(row.roomId);
  }
  for (const lesson of jobLessons) {
    teacher(lesson.teacherId);
    if (lesson.roomId) room(lesson.roomId);
  }
  const involvedTeachers = new Set(teacherIds);
  const involvedRooms = new Set(roomIds);

  const rowKey = (classId: string, subjectId: string) => `${classId} ${subjectId}`;
  const rowIndex = new Map(jobRows.map((row, index) => [rowKey(row.classId, row.subjectId), index]));
  const rows: RowInfo[] = jobRows.map((row) => ({
    classId: row.classId,
    className: className.get(row.classId) ?? row.classId,
    subjectId: row.subjectId,
    subjectName: row.subjectName,
    teacherId: row.teacherId,
    roomId: row.roomId,
    periodsPerWeek: row.periodsPerWeek,
    doublePeriods: row.doublePeriods,
    maxPerDay: row.maxPerDay,
    pinned: 0,
  }));

  const activities: Activity[] = [];
  const activityRow: number[] = [];
  const kept: boolean[] = [];
  const add = (activity: Omit<Activity, 'id'>, row: number, isKept: boolean) => {
    activities.push({ id: activities.length, ...activity });
    activityRow.push(row);
    kept.push(isKept);
    return activities.length - 1;
  };

  /** Per row: its pinned activities with their day, for dealing into maxPerDay groups. */
  const pinnedOfRow = new Map<number, { activity: number; day: number }[]>();
  for (const lesson of school.lessons) {
    const slot = slotOf(lesson.day, lesson.period);
    if (slot < 0) continue;
    const ours = inJob.has(lesson.classId);
    if (ours && !lesson.pinned) continue;
    const teaches = involvedTeachers.has(lesson.teacherId);
    const roomUsed = lesson.roomId !== null && involvedRooms.has(lesson.roomId);
    if (!ours && !teaches && !roomUsed) continue;
    const r = lesson.roomId !== null && (ours || roomUsed) ? room(lesson.roomId) : undefined;
    const row = ours ? (rowIndex.get(rowKey(lesson.classId, lesson.subjectId)) ?? -1) : -1;
    const activity = add(
      {
        duration: 1,
        teachers: ours || teaches ? [teacher(lesson.teacherId)] : [],
        subgroups: ours ? [subgroup(lesson.classId)] : [],
        rooms: r === undefined ? null : [r],
        roomWeight: HARD,
        fixed: r === undefined ? { slot } : { slot, room: r },
      },
      row,
      true,
    );
    if (row >= 0) {
      rows[row]!.pinned += 1;
      pinnedOfRow.set(row, [...(pinnedOfRow.get(row) ?? []), { activity, day: Math.floor(slot / hours) }]);
    }
  }

  const minDays: MinDays[] = [];
  const preferredStarts: PreferredStarts[] = [];
  const lastPeriodFree = Array.from({ length: days.length * hours }, (_, s) => s).filter((s) => s % hours !== hours - 1);
  const doubleNotLast = lastPeriodFree.filter((s) => s % hours !== hours - 2);
  rows.forEach((row, index) => {
    const remaining = Math.max(0, row.periodsPerWeek - row.pinned);
    const doubles = Math.min(row.doublePeriods, Math.floor(remaining / 2), hours >= 2 ? remaining : 0);
    const placed: { activity: number; duration: number }[] = [];
    const base = { teachers: [teacher(row.teacherId)], subgroups: [subgroup(row.classId)], rooms: row.roomId ? [room(row.roomId)] : null, roomWeight: HARD };
    for (let i = 0; i < doubles; i++) placed.push({ activity: add({ ...base, duration: 2 }, index, false), duration: 2 });
    for (let i = 0; i < remaining - doubles * 2; i++) placed.push({ activity: add({ ...base, duration: 1 }, index, false), duration: 1 });
    placed.forEach(({ activity, duration }, i) => {
      if (i > 0 || row.pinned > 0) preferredStarts.push({ activity, slots: duration === 2 ? doubleNotLast : lastPeriodFree, weight: SOFT_WEIGHTS.lastPeriod });
    });

    const pinned = pinnedOfRow.get(index) ?? [];
    const all = [...pinned.map((p) => p.activity), ...placed.map((p) => p.activity)];
    if (all.length > 1) minDays.push({ activities: all, minDays: 1, weight: SOFT_WEIGHTS.sameDay });
    const k = row.maxPerDay;
    if (k >= row.periodsPerWeek) return;
    const groups: number[][] = Array.from({ length: k }, () => []);
    const usedOnDay = new Map<number, number>();
    for (const p of pinned) {
      const g = usedOnDay.get(p.day) ?? 0;
      usedOnDay.set(p.day, g + 1);
      groups[g % k]!.push(p.activity);
    }
    const bySize = () => groups.map((_, g) => g).sort((a, b) => groups[a]!.length - groups[b]!.length || a - b);
    for (const { activity, duration } of placed) for (const g of bySize().slice(0, duration)) groups[g]!.push(activity);
    for (const group of groups) if (group.length > 1) minDays.push({ activities: group, minDays: 1, weight: HARD });
  });

  const unavailable: Unavailable[] = [];
  const limits: Limit[] = [];
  const availability = new Map(school.availability.map((a) => [a.teacherId, a]));
  teacherIds.forEach((id, t) => {
    limits.push(
      { kind: 'maxGapsPerDay', person: t, value: 0, weight: SOFT_WEIGHTS.teacherGap },
      { kind: 'maxRoomChangesPerDay', person: t, value: 0, weight: SOFT_WEIGHTS.roomChange },
    );
    const a = availability.get(id);
    if (!a) return;
    const slots = a.unavailable.map((u) => slotOf(u.day, u.period)).filter((s) => s >= 0);
    if (slots.length > 0) unavailable.push({ kind: 'teacher', index: t, slots, weight: HARD });
    if (a.maxPeriodsPerDay !== null) limits.push({ kind: 'maxHoursDaily', person: t, value: a.maxPeriodsPerDay, weight: HARD });
    if (a.maxGapsPerDay !== null) limits.push({ kind: 'maxGapsPerDay', person: t, value: a.maxGapsPerDay, weight: HARD });
  });
  const compact = new Set(school.classes.filter((c) => c.compactDays).map((c) => c.id));
  subgroupIds.forEach((id, g) => {
    if (!compact.has(id)) return;
    const person = teacherIds.length + g;
    limits.push({ kind: 'maxGapsPerDay', person, value: 0, weight: HARD }, { kind: 'maxBeginningsAtSecondHour', person, value: 0, weight: HARD });
  });

  const problem: Problem = {
    days: days.length,
    hours,
    teachers: teacherIds.map((id) => school.teacherNames.get(id) ?? id),
    subgroups: subgroupIds.map((id) => className.get(id) ?? id),
    rooms: roomIds.map((id) => school.roomNames.get(id) ?? id),
    activities,
    unavailable,
    preferredStarts,
    minDays,
    limits,
  };
  return { problem, days, activityRow, rows, teacherIds, roomIds, classIds: subgroupIds, kept };
}
