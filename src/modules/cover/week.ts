import type { TenantDb } from '../../db/tenant-schema.js';
import type { Principal } from '../auth/queries.js';
import { WEEKDAYS } from '../bell-schedule/schemas.js';
import * as queries from './queries.js';

interface WeekLesson {
  id: string;
  day: string;
  period: number;
}

const position = (lesson: WeekLesson) => WEEKDAYS.indexOf(lesson.day as (typeof WEEKDAYS)[number]) * 100 + lesson.period;

/**
 * Cover in one dated week of a timetable (`dates`: its working days in order, with their dates):
 * a covered lesson carries `cover: {teacher}`, whoever looks; in a teacher's own week their lessons
 * during an absence are `cancelled` (struck through), and the lessons they cover that week are
 * added, with themselves as `cover.teacher`. The base timetable stays as it is.
 */
export async function coverInWeek<L extends WeekLesson>(db: TenantDb, principal: Pick<Principal, 'id' | 'role'>, dates: { day: string; date: string }[], lessons: L[]) {
  if (dates.length === 0) return lessons;
  const from = dates[0]!.date;
  const to = dates.at(-1)!.date;
  const dateOf = new Map(dates.map(({ day, date }) => [day, date]));
  const teacherId = principal.role === 'teacher' ? principal.id : undefined;
  const [covers, absences] = await Promise.all([
    queries.coversBetween(
      db,
      from,
      to,
      lessons.map((lesson) => lesson.id),
      teacherId,
    ),
    teacherId ? queries.absencesBetween(db, teacherId, from, to) : [],
  ]);
  const onItsDay = covers.filter((cover) => cover.date === dateOf.get(cover.lesson.day));
  const coverOf = new Map(onItsDay.map((cover) => [cover.lesson.id, cover.teacher]));
  const away = (lesson: WeekLesson) => {
    const date = dateOf.get(lesson.day)!;
    return absences.some((absence) => absence.from <= date && date <= absence.to && (absence.periods?.includes(lesson.period) ?? true));
  };
  const own = lessons.map((lesson) => {
    const teacher = coverOf.get(lesson.id);
    return { ...lesson, ...(teacher ? { cover: { teacher } } : {}), ...(away(lesson) ? { cancelled: true } : {}) };
  });
  const taken = onItsDay.filter((cover) => cover.coverTeacherId === teacherId).map((cover) => ({ ...cover.lesson, cover: { teacher: cover.teacher } }));
  return [...own, ...taken].sort((a, b) => position(a) - position(b));
}
