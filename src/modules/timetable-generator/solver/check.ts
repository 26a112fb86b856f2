import { isHard, type Assignment, type Problem } from './problem.js';

export interface Violations {
  /** Per constraint kind: hard violations counted, and soft penalty (weight × units). */
  byKind: Record<string, { hard: number; soft: number }>;
  hard: number;
  soft: number;
}

/**
 * Recomputes every supported constraint from scratch, straight from the problem (no compiled
 * arrays, no incremental state): the independent judge of a timetable.
 */
export function checkAssignment(problem: Problem, assignment: Assignment): Violations {
  const { days, hours } = problem;
  const byKind: Record<string, { hard: number; soft: number }> = {};
  const count = (kind: string, weight: number, units: number) => {
    if (units <= 0) return;
    const entry = (byKind[kind] ??= { hard: 0, soft: 0 });
    if (isHard(weight)) entry.hard += units;
    else entry.soft += units * weight;
  };
  const nt = problem.teachers.length;
  const placed = problem.activities.map((a, i) => {
    const start = assignment.start[i] ?? -1;
    const cells: { day: number; hour: number }[] = [];
    if (start >= 0) for (let k = 0; k < a.duration; k++) cells.push({ day: Math.floor(start / hours), hour: (start % hours) + k });
    return { activity: a, start, room: assignment.room[i] ?? -1, cells, people: [...new Set([...a.teachers, ...a.subgroups.map((g) => nt + g)])] };
  });

  const busy = new Map<string, number>();
  for (const { cells, people, room, activity, start } of placed) {
    if (start < 0) continue;
    if (start % hours + activity.duration > hours) count('activity crosses the end of a day', 100, 1);
    for (const { day, hour } of cells) {
      for (const p of people) busy.set(`p${p}:${day}:${hour}`, (busy.get(`p${p}:${day}:${hour}`) ?? 0) + 1);
      if (room >= 0) busy.set(`r${room}:${day}:${hour}`, (busy.get(`r${room}:${day}:${hour}`) ?? 0) + 1);
    }
  }
  for (const [key, n] of busy) {
    const kind = key.startsWith('r') ? 'room clash' : Number(key.slice(1, key.indexOf(':'))) < nt ? 'teacher clash' : 'students clash';
    count(kind, 100, n - 1);
  }

  for (const u of problem.unavailable) {
    const set = new Set(u.slots);
    for (const { cells, people, room } of placed) {
      const concerned =
        u.kind === 'all' ? 1
        : u.kind === 'room' ? Number(room === u.index)
        : Number(people.includes(u.kind === 'teacher' ? u.index : nt + u.index));
      if (!concerned) continue;
      const hits = cells.filter(({ day, hour }) => set.has(day * hours + hour)).length;
      count(u.kind === 'all' ? 'break time' : `${u.kind} not available`, u.weight, hits);
    }
  }

  placed.forEach(({ activity, room, start }) => {
    if (start >= 0 && activity.rooms && room < 0) count('activity without a room', activity.roomWeight, 1);
    if (start >= 0 && room >= 0 && activity.rooms && !activity.rooms.includes(room)) count('room not allowed', 100, 1);
  });

  for (const pref of problem.preferredStarts) {
    const start = placed[pref.activity]!.start;
    if (start >= 0 && !pref.slots.includes(start)) count('preferred starting times', pref.weight, 1);
  }

  for (const md of problem.minDays) {
    for (let i = 0; i < md.activities.length; i++) {
      for (let j = i + 1; j < md.activities.length; j++) {
        const a = placed[md.activities[i]!]!;
        const b = placed[md.activities[j]!]!;
        if (md.activities[i] === md.activities[j] || a.start < 0 || b.start < 0) continue;
        if (Math.abs(Math.floor(a.start / hours) - Math.floor(b.start / hours)) < md.minDays) count('min days between activities', md.weight, 1);
      }
    }
  }

  const blocked = (person: number, day: number, hour: number) =>
    problem.unavailable.some(
      (u) =>
        isHard(u.weight) &&
        (u.kind === 'all' || (u.kind === 'teacher' && u.index === person) || (u.kind === 'subgroup' && nt + u.index === person)) &&
        u.slots.includes(day * hours + hour),
    );
  /** Where an activity takes place: its room, else its first students subgroup's own room, else nowhere known. */
  const placeOf = ({ room, activity }: (typeof placed)[number]) => (room >= 0 ? `r${room}` : activity.subgroups.length > 0 ? `g${activity.subgroups[0]}` : null);
  const dayStats = (person: number) =>
    Array.from({ length: days }, (_, day) => {
      const on = Array.from({ length: hours }, (_, hour) => busy.has(`p${person}:${day}:${hour}`));
      let roomChanges = 0;
      let previous: string | null = null;
      for (let hour = 0; hour < hours; hour++) {
        const here = placed.filter((x) => x.people.includes(person) && x.cells.some((cell) => cell.day === day && cell.hour === hour));
        const place = here.length === 1 ? placeOf(here[0]!) : null;
        if (place === null) continue;
        if (previous !== null && place !== previous) roomChanges++;
        previous = place;
      }
      const first = on.indexOf(true);
      const last = on.lastIndexOf(true);
      let gaps = 0;
      let late = first < 0 ? -1 : 0;
      for (let h = 0; h < hours; h++) {
        if (first >= 0 && h > first && h < last && !on[h] && !blocked(person, day, h)) gaps++;
        if (first >= 0 && h < first && !blocked(person, day, h)) late++;
      }
      return { lessons: on.filter(Boolean).length, gaps, late, roomChanges };
    });
  for (const limit of problem.limits) {
    const stats = dayStats(limit.person);
    const sum = (f: (d: (typeof stats)[number]) => number) => stats.reduce((total, d) => total + f(d), 0);
    const who = limit.person < nt ? 'teacher' : 'students';
    let units = 0;
    switch (limit.kind) {
      case 'maxHoursDaily':
        units = sum((d) => Math.max(0, d.lessons - limit.value));
        break;
      case 'maxGapsPerDay':
        units = sum((d) => Math.max(0, d.gaps - limit.value));
        break;
      case 'maxGapsPerWeek':
        units = Math.max(0, sum((d) => d.gaps) - limit.value);
        break;
      case 'maxDaysPerWeek':
        units = Math.max(0, sum((d) => Number(d.lessons > 0)) - limit.value);
        break;
      case 'maxBeginningsAtSecondHour':
        units = sum((d) => Number(d.late >= 2)) + Math.max(0, sum((d) => Number(d.late === 1)) - limit.value);
        break;
      case 'maxRoomChangesPerDay':
        units = sum((d) => Math.max(0, d.roomChanges - limit.value));
        break;
    }
    count(`${who} ${limit.kind}`, limit.weight, units);
  }

  let hard = 0;
  let soft = 0;
  for (const v of Object.values(byKind)) {
    hard += v.hard;
    soft += v.soft;
  }
  return { byKind, hard, soft };
}
