/**
 * The solver's own problem format. FET files and (later) the CRM's curricula both convert into it.
 * Time is a grid of `days × hours`; a slot is `day * hours + hour`. Teachers and atomic student
 * subgroups are both "people": index `p < teachers.length` is a teacher, the rest are subgroups
 * (`teachers.length + subgroupIndex`). Every weight is FET's percentage: 100 (or more) is hard,
 * anything lower is a soft penalty of `weight` per unit of violation.
 */
export interface Problem {
  days: number;
  hours: number;
  teachers: string[];
  subgroups: string[];
  rooms: string[];
  activities: Activity[];
  /** Times a teacher, subgroup or room may not be used, and break times (`kind: 'all'`). */
  unavailable: Unavailable[];
  /** The activity starts in one of `slots`. */
  preferredStarts: PreferredStarts[];
  /** Every pair of these activities is at least `minDays` days apart. */
  minDays: MinDays[];
  limits: Limit[];
}

export interface Activity {
  /** The caller's id (FET's activity Id); the solver works on array indices. */
  id: number;
  duration: number;
  teachers: number[];
  subgroups: number[];
  /** Allowed rooms, or null when the activity needs no room. */
  rooms: number[] | null;
  /** Below 100, the activity may go without a room at this penalty when no allowed room suits. */
  roomWeight: number;
  /** A pinned placement: the activity never moves. */
  fixed?: { slot: number; room?: number };
}

export interface Unavailable {
  kind: 'teacher' | 'subgroup' | 'room' | 'all';
  index: number;
  slots: number[];
  weight: number;
}

export interface PreferredStarts {
  activity: number;
  slots: number[];
  weight: number;
}

export interface MinDays {
  activities: number[];
  minDays: number;
  weight: number;
}

export type LimitKind = 'maxHoursDaily' | 'maxGapsPerDay' | 'maxGapsPerWeek' | 'maxDaysPerWeek' | 'maxBeginningsAtSecondHour' | 'maxRoomChangesPerDay';

/**
 * A limit on one person (teacher or subgroup, in the shared people index). For
 * `maxRoomChangesPerDay`, an activity takes place in its room or, without one, in the room of its
 * first students subgroup (a class's own room); walking through a person's day hour by hour, each
 * hour whose place differs from the place of the last hour before it counts one change. Hours
 * with no activity, with two (a clash) or with no place (no room and no students) are passed over.
 */
export interface Limit {
  kind: LimitKind;
  person: number;
  value: number;
  weight: number;
}

/** A timetable: per activity index, its start slot (-1 unplaced) and room (-1 none). */
export interface Assignment {
  start: Int32Array;
  room: Int32Array;
}

export const HARD = 100;

export function isHard(weight: number): boolean {
  return weight >= HARD;
}

export function emptyProblem(days: number, hours: number): Problem {
  return { days, hours, teachers: [], subgroups: [], rooms: [], activities: [], unavailable: [], preferredStarts: [], minDays: [], limits: [] };
}
