import { emptyProblem, type Activity, type LimitKind, type Problem } from '../solver/problem.js';
import { child, childrenNamed, parseXml, textOf, type XmlElement } from './xml.js';

export interface FetInput {
  problem: Problem;
  dayNames: string[];
  hourNames: string[];
  /** FET constraint tag → how many active constraints of it this reader does not model. */
  ignoredConstraints: Record<string, number>;
}

/** Tags modelled by the solver (the basic compulsory ones are built in: clashes, rooms). */
const TIME_LIMITS: Record<string, { kind: LimitKind; who: 'teacher' | 'teachers' | 'set' | 'students'; value: string }> = {
  ConstraintTeacherMaxHoursDaily: { kind: 'maxHoursDaily', who: 'teacher', value: 'Maximum_Hours_Daily' },
  ConstraintTeachersMaxHoursDaily: { kind: 'maxHoursDaily', who: 'teachers', value: 'Maximum_Hours_Daily' },
  ConstraintStudentsSetMaxHoursDaily: { kind: 'maxHoursDaily', who: 'set', value: 'Maximum_Hours_Daily' },
  ConstraintStudentsMaxHoursDaily: { kind: 'maxHoursDaily', who: 'students', value: 'Maximum_Hours_Daily' },
  ConstraintTeacherMaxGapsPerWeek: { kind: 'maxGapsPerWeek', who: 'teacher', value: 'Max_Gaps' },
  ConstraintTeachersMaxGapsPerWeek: { kind: 'maxGapsPerWeek', who: 'teachers', value: 'Max_Gaps' },
  ConstraintStudentsSetMaxGapsPerWeek: { kind: 'maxGapsPerWeek', who: 'set', value: 'Max_Gaps' },
  ConstraintStudentsMaxGapsPerWeek: { kind: 'maxGapsPerWeek', who: 'students', value: 'Max_Gaps' },
  ConstraintTeacherMaxGapsPerDay: { kind: 'maxGapsPerDay', who: 'teacher', value: 'Max_Gaps' },
  ConstraintTeachersMaxGapsPerDay: { kind: 'maxGapsPerDay', who: 'teachers', value: 'Max_Gaps' },
  ConstraintStudentsSetMaxGapsPerDay: { kind: 'maxGapsPerDay', who: 'set', value: 'Max_Gaps' },
  ConstraintStudentsMaxGapsPerDay: { kind: 'maxGapsPerDay', who: 'students', value: 'Max_Gaps' },
  ConstraintTeacherMaxDaysPerWeek: { kind: 'maxDaysPerWeek', who: 'teacher', value: 'Max_Days_Per_Week' },
  ConstraintTeachersMaxDaysPerWeek: { kind: 'maxDaysPerWeek', who: 'teachers', value: 'Max_Days_Per_Week' },
  ConstraintStudentsEarlyMaxBeginningsAtSecondHour: { kind: 'maxBeginningsAtSecondHour', who: 'students', value: 'Max_Beginnings_At_Second_Hour' },
  ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour: { kind: 'maxBeginningsAtSecondHour', who: 'set', value: 'Max_Beginnings_At_Second_Hour' },
};

interface FetActivity {
  teachers: string[];
  subject: string;
  tags: string[];
  students: string[];
  duration: number;
}

export function readFet(source: string): FetInput {
  const fet = child(parseXml(source), 'fet');
  if (!fet) throw new Error('not a FET file: no <fet> element');
  const names = (list: string, item: string) => childrenNamed(child(fet, list) ?? { name: '', children: [], text: '' }, item).map((e) => textOf(e, 'Name') ?? '');
  const dayNames = names('Days_List', 'Day');
  const hourNames = names('Hours_List', 'Hour');
  const problem = emptyProblem(dayNames.length, hourNames.length);
  const H = hourNames.length;
  const dayIndex = new Map(dayNames.map((n, i) => [n, i]));
  const hourIndex = new Map(hourNames.map((n, i) => [n, i]));
  const slotOf = (day: string | undefined, hour: string | undefined): number | undefined => {
    const d = dayIndex.get(day ?? '');
    const h = hourIndex.get(hour ?? '');
    return d === undefined || h === undefined ? undefined : d * H + h;
  };

  problem.teachers = names('Teachers_List', 'Teacher');
  const teacherIndex = new Map(problem.teachers.map((n, i) => [n, i]));
  problem.rooms = names('Rooms_List', 'Room');
  const roomIndex = new Map(problem.rooms.map((n, i) => [n, i]));

  // Every students set maps to the atomic subgroups it covers; a set with no parts is atomic.
  const sets = new Map<string, Set<string>>();
  const cover = (name: string, parts: string[]) => {
    const set = sets.get(name) ?? new Set<string>();
    for (const p of parts) set.add(p);
    sets.set(name, set);
  };
  for (const year of childrenNamed(child(fet, 'Students_List') ?? fet, 'Year')) {
    const yearAtoms: string[] = [];
    const groups = childrenNamed(year, 'Group');
    for (const group of groups) {
      const subgroups = childrenNamed(group, 'Subgroup').map((s) => textOf(s, 'Name') ?? '');
      for (const s of subgroups) cover(s, [s]);
      const atoms = subgroups.length > 0 ? subgroups : [textOf(group, 'Name') ?? ''];
      cover(textOf(group, 'Name') ?? '', atoms);
      yearAtoms.push(...atoms);
    }
    const yearName = textOf(year, 'Name') ?? '';
    cover(yearName, groups.length > 0 ? yearAtoms : [yearName]);
  }
  const atomIndex = new Map<string, number>();
  for (const atoms of sets.values()) for (const a of atoms) if (!atomIndex.has(a)) atomIndex.set(a, atomIndex.size);
  problem.subgroups = [...atomIndex.keys()];
  const subgroupsOf = (name: string): number[] => [...(sets.get(name) ?? [])].map((a) => atomIndex.get(a)!);

  const info: FetActivity[] = [];
  const indexOfId = new Map<number, number>();
  for (const e of childrenNamed(child(fet, 'Activities_List') ?? fet, 'Activity')) {
    if (textOf(e, 'Active') === 'false') continue;
    const id = Number(textOf(e, 'Id'));
    const a: FetActivity = {
      teachers: childrenNamed(e, 'Teacher').map((t) => t.text.trim()),
      subject: textOf(e, 'Subject') ?? '',
      tags: childrenNamed(e, 'Activity_Tag').map((t) => t.text.trim()),
      students: childrenNamed(e, 'Students').map((t) => t.text.trim()),
      duration: Number(textOf(e, 'Duration') ?? 1),
    };
    const activity: Activity = {
      id,
      duration: a.duration,
      teachers: a.teachers.map((t) => teacherIndex.get(t)).filter((t) => t !== undefined),
      subgroups: [...new Set(a.students.flatMap(subgroupsOf))],
      rooms: null,
      roomWeight: 0,
    };
    indexOfId.set(id, problem.activities.length);
    problem.activities.push(activity);
    info.push(a);
  }

  const ignoredConstraints: Record<string, number> = {};
  const ignore = (tag: string) => (ignoredConstraints[tag] = (ignoredConstraints[tag] ?? 0) + 1);
  const weightOf = (e: XmlElement) => Number(textOf(e, 'Weight_Percentage') ?? 100);
  const activityOf = (e: XmlElement) => indexOfId.get(Number(textOf(e, 'Activity_Id')));
  const times = (e: XmlElement, item: string, day: string, hour: string) =>
    childrenNamed(e, item).flatMap((t) => slotOf(textOf(t, day), textOf(t, hour)) ?? []);
  const matching = (e: XmlElement): number[] => {
    const teacher = textOf(e, 'Teacher_Name') ?? '';
    const students = textOf(e, 'Students_Name') ?? '';
    const subject = textOf(e, 'Subject_Name') ?? '';
    const tag = textOf(e, 'Activity_Tag_Name') ?? '';
    const duration = textOf(e, 'Duration') ?? '';
    return info.flatMap((a, i) =>
      (teacher === '' || a.teachers.includes(teacher)) &&
      (students === '' || a.students.includes(students)) &&
      (subject === '' || a.subject === subject) &&
      (tag === '' || a.tags.includes(tag)) &&
      (duration === '' || a.duration === Number(duration))
        ? [i]
        : [],
    );
  };
  // Starting slots of `a` whose every hour is one of `slots` (FET's preferred time slots).
  const startsWithin = (a: number, slots: number[]) => {
    const ok = new Set(slots);
    const d = problem.activities[a]!.duration;
    return slots.filter((s) => (s % H) + d <= H && Array.from({ length: d }, (_, k) => s + k).every((x) => ok.has(x)));
  };
  const roomRule = (acts: number[], rooms: string[], weight: number) => {
    const allowed = rooms.flatMap((r) => roomIndex.get(r) ?? []);
    for (const a of acts) {
      const activity = problem.activities[a]!;
      activity.rooms = activity.rooms ? activity.rooms.filter((r) => allowed.includes(r)) : allowed;
      activity.roomWeight = Math.max(activity.roomWeight, weight);
    }
  };
  const people = (who: 'teacher' | 'teachers' | 'set' | 'students', e: XmlElement): number[] => {
    const nt = problem.teachers.length;
    if (who === 'teachers') return problem.teachers.map((_, i) => i);
    if (who === 'students') return problem.subgroups.map((_, i) => nt + i);
    if (who === 'teacher') return [teacherIndex.get(textOf(e, 'Teacher_Name') ?? textOf(e, 'Teacher') ?? '')].flatMap((t) => (t === undefined ? [] : [t]));
    return subgroupsOf(textOf(e, 'Students') ?? '').map((g) => nt + g);
  };

  const constraints = [...(child(fet, 'Time_Constraints_List')?.children ?? []), ...(child(fet, 'Space_Constraints_List')?.children ?? [])];
  for (const e of constraints) {
    if (textOf(e, 'Active') === 'false') continue;
    const weight = weightOf(e);
    const tag = e.name;
    const limit = TIME_LIMITS[tag];
    if (limit) {
      for (const person of people(limit.who, e)) problem.limits.push({ kind: limit.kind, person, value: Number(textOf(e, limit.value)), weight });
      continue;
    }
    switch (tag) {
      case 'ConstraintBasicCompulsoryTime':
      case 'ConstraintBasicCompulsorySpace':
        break;
      case 'ConstraintBreakTimes':
        problem.unavailable.push({ kind: 'all', index: 0, slots: times(e, 'Break_Time', 'Day', 'Hour'), weight });
        break;
      case 'ConstraintTeacherNotAvailableTimes': {
        const t = teacherIndex.get(textOf(e, 'Teacher') ?? '');
        if (t !== undefined) problem.unavailable.push({ kind: 'teacher', index: t, slots: times(e, 'Not_Available_Time', 'Day', 'Hour'), weight });
        break;
      }
      case 'ConstraintStudentsSetNotAvailableTimes': {
        const slots = times(e, 'Not_Available_Time', 'Day', 'Hour');
        for (const g of subgroupsOf(textOf(e, 'Students') ?? '')) problem.unavailable.push({ kind: 'subgroup', index: g, slots, weight });
        break;
      }
      case 'ConstraintRoomNotAvailableTimes': {
        const r = roomIndex.get(textOf(e, 'Room') ?? '');
        if (r !== undefined) problem.unavailable.push({ kind: 'room', index: r, slots: times(e, 'Not_Available_Time', 'Day', 'Hour'), weight });
        break;
      }
      case 'ConstraintActivityPreferredStartingTime': {
        const a = activityOf(e);
        if (a === undefined) break;
        const day = dayIndex.get(textOf(e, 'Preferred_Day') ?? '');
        const hour = hourIndex.get(textOf(e, 'Preferred_Hour') ?? '');
        const slots = Array.from({ length: problem.days * H }, (_, s) => s).filter(
          (s) => (day === undefined || Math.floor(s / H) === day) && (hour === undefined || s % H === hour),
        );
        if (weight >= 100 && textOf(e, 'Permanently_Locked') === 'true' && day !== undefined && hour !== undefined) {
          problem.activities[a]!.fixed = { slot: day * H + hour };
        }
        problem.preferredStarts.push({ activity: a, slots, weight });
        break;
      }
      case 'ConstraintActivityPreferredStartingTimes': {
        const a = activityOf(e);
        if (a !== undefined) problem.preferredStarts.push({ activity: a, slots: times(e, 'Preferred_Starting_Time', 'Preferred_Starting_Day', 'Preferred_Starting_Hour'), weight });
        break;
      }
      case 'ConstraintActivitiesPreferredStartingTimes': {
        const slots = times(e, 'Preferred_Starting_Time', 'Preferred_Starting_Day', 'Preferred_Starting_Hour');
        for (const a of matching(e)) problem.preferredStarts.push({ activity: a, slots, weight });
        break;
      }
      case 'ConstraintActivityPreferredTimeSlots': {
        const a = activityOf(e);
        if (a !== undefined) problem.preferredStarts.push({ activity: a, slots: startsWithin(a, times(e, 'Preferred_Time_Slot', 'Preferred_Day', 'Preferred_Hour')), weight });
        break;
      }
      case 'ConstraintActivitiesPreferredTimeSlots': {
        const slots = times(e, 'Preferred_Time_Slot', 'Preferred_Day', 'Preferred_Hour');
        for (const a of matching(e)) problem.preferredStarts.push({ activity: a, slots: startsWithin(a, slots), weight });
        break;
      }
      case 'ConstraintMinDaysBetweenActivities': {
        const acts = childrenNamed(e, 'Activity_Id').flatMap((x) => indexOfId.get(Number(x.text.trim())) ?? []);
        problem.minDays.push({ activities: acts, minDays: Number(textOf(e, 'MinDays')), weight });
        break;
      }
      case 'ConstraintActivityPreferredRoom': {
        const a = activityOf(e);
        if (a === undefined) break;
        roomRule([a], [textOf(e, 'Room') ?? ''], weight);
        const activity = problem.activities[a]!;
        const room = roomIndex.get(textOf(e, 'Room') ?? '');
        if (activity.fixed && textOf(e, 'Permanently_Locked') === 'true' && room !== undefined) activity.fixed.room = room;
        break;
      }
      case 'ConstraintActivityPreferredRooms': {
        const a = activityOf(e);
        if (a !== undefined) roomRule([a], childrenNamed(e, 'Preferred_Room').map((r) => r.text.trim()), weight);
        break;
      }
      case 'ConstraintSubjectPreferredRoom':
      case 'ConstraintSubjectPreferredRooms': {
        const subject = textOf(e, 'Subject') ?? '';
        const rooms = tag.endsWith('Room') ? [textOf(e, 'Room') ?? ''] : childrenNamed(e, 'Preferred_Room').map((r) => r.text.trim());
        roomRule(info.flatMap((a, i) => (a.subject === subject ? [i] : [])), rooms, weight);
        break;
      }
      case 'ConstraintActivityTagPreferredRoom':
      case 'ConstraintActivityTagPreferredRooms': {
        const activityTag = textOf(e, 'Activity_Tag') ?? '';
        const rooms = tag.endsWith('Room') ? [textOf(e, 'Room') ?? ''] : childrenNamed(e, 'Preferred_Room').map((r) => r.text.trim());
        roomRule(info.flatMap((a, i) => (a.tags.includes(activityTag) ? [i] : [])), rooms, weight);
        break;
      }
      default:
        ignore(tag);
    }
  }
  return { problem, dayNames, hourNames, ignoredConstraints };
}
