import type { ResponseOf } from '../../api/types';

/** A lesson of the weekly timetable as GET /api/schedules answers it (with `pinned`, which the week views leave out). */
export type Lesson = ResponseOf<'/api/schedules', 'get'>['items'][number];
export type Day = Lesson['day'];
export type BellSchedule = ResponseOf<'/api/bell-schedule', 'get'>;
export type Period = BellSchedule['periods'][number];

/** Whose week a grid shows. */
export type TargetKind = 'class' | 'teacher' | 'room';
export const TARGET_KINDS: readonly TargetKind[] = ['class', 'teacher', 'room'];

export function isTargetKind(value: string | null): value is TargetKind {
  return TARGET_KINDS.includes(value as TargetKind);
}

/** The class, teacher or room of a lesson that a grid of `kind` is about. */
export function targetOf(lesson: Pick<Lesson, 'class' | 'teacher' | 'room'>, kind: TargetKind): { id: string; name: string } | null {
  return kind === 'class' ? lesson.class : kind === 'teacher' ? lesson.teacher : lesson.room;
}

/** What a lesson is as far as clashes go: who teaches whom where. A lesson not yet created has no id. */
export type Booking = Pick<Lesson, 'teacher' | 'class' | 'room'> & { id?: string };

export type ConflictKind = 'teacher' | 'class' | 'room';
/** The same shape as a 409 SCHEDULE_CONFLICT's `conflicts`: what is in the way, and why. */
export interface Conflict {
  kind: ConflictKind;
  lesson: Lesson;
}

export const slotKey = (day: Day, period: number) => `${day}:${period}`;

export function parseSlotKey(key: string): { day: Day; period: number } {
  const [day, period] = key.split(':');
  return { day: day as Day, period: Number(period) };
}

/**
 * The lessons of each slot, so that "who is busy then" looks at the few lessons of one slot
 * instead of walking the whole school's week (1,400 lessons) for every cell.
 */
export function lessonsBySlot<T extends Pick<Lesson, 'day' | 'period'>>(lessons: readonly T[]): Map<string, T[]> {
  const slots = new Map<string, T[]>();
  for (const lesson of lessons) {
    const key = slotKey(lesson.day, lesson.period);
    const slot = slots.get(key);
    if (slot) slot.push(lesson);
    else slots.set(key, [lesson]);
  }
  return slots;
}

/**
 * What a lesson put in (day, period) would clash with, as the server would answer it: its teacher,
 * its class or its room already booked then. The lesson itself is not in its own way.
 */
export function clashesAt(booking: Booking, day: Day, period: number, slots: Map<string, Lesson[]>): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const other of slots.get(slotKey(day, period)) ?? []) {
    if (other.id === booking.id) continue;
    if (other.teacher.id === booking.teacher.id) conflicts.push({ kind: 'teacher', lesson: other });
    if (other.class.id === booking.class.id) conflicts.push({ kind: 'class', lesson: other });
    if (booking.room && other.room?.id === booking.room.id) conflicts.push({ kind: 'room', lesson: other });
  }
  return conflicts;
}

/** A lesson with another day, period or pin, as the server will answer once the change is made. */
export function withChange(lesson: Lesson, change: Partial<Pick<Lesson, 'day' | 'period' | 'pinned'>>, bell: BellSchedule | undefined): Lesson {
  const period = bell?.periods.find((entry) => entry.number === (change.period ?? lesson.period));
  return { ...lesson, ...change, ...(period ? { start: period.start, end: period.end } : {}) };
}
