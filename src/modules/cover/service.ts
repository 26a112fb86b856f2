import type { FastifyRequest } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, isUniqueViolation, notFound } from '../../lib/errors.js';
import type { ChangeContext } from '../../plugins/activity-log.js';
import type { Principal } from '../auth/queries.js';
import { weekdayOf } from '../bell-schedule/schemas.js';
import { type HolidayOnDate, holidaysByDate, isOff } from '../calendar/holidays.js';
import { institutionTimeZone } from '../calendar/service.js';
import { sendNotice } from '../messages/service.js';
import { publishEvent } from '../realtime/publish.js';
import * as queries from './queries.js';
import type { AbsenceListItem, AffectedLesson, CoverConflict, CreateAbsenceBody, CreateCoverBody, LessonEntry } from './schemas.js';

type Caller = Pick<FastifyRequest, 'change' | 'principal' | 'tenantDb'>;

/** The longest absence one request records: a school year. */
const MAX_ABSENCE_DAYS = 366;


function datesFrom(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = Temporal.PlainDate.from(from); Temporal.PlainDate.compare(day, Temporal.PlainDate.from(to)) <= 0; day = day.add({ days: 1 })) {
    dates.push(day.toString());
  }
  return dates;
}

/** Every holiday of the school on each date from `from` (admins see all of them), in its time zone. */
async function holidaysFrom(db: TenantDb, principal: Principal, from: string, days: number) {
  const timeZone = await institutionTimeZone(db, principal.institution.id);
  return holidaysByDate(db, principal, timeZone, Temporal.PlainDate.from(from), days);
}

function invalid(field: string, message: string): AppError {
  return badRequest(`Invalid request: ${field} ${message}`, [{ field, message }]);
}

const lessonName = (lesson: LessonEntry) => `${lesson.class.name} ${lesson.subject.name}`;

// ---- absences ----

/** The lessons an absence takes out, one per date they take place on (not on holidays), and their covers. */
async function affectedLessons(db: TenantDb, principal: Principal, absence: AbsenceListItem): Promise<AffectedLesson[]> {
  const dates = datesFrom(absence.from, absence.to);
  const [lessons, holidays, covers] = await Promise.all([
    queries.teacherLessons(db, absence.teacher.id),
    holidaysFrom(db, principal, absence.from, dates.length),
    queries.coversOfAbsence(db, absence.id),
  ]);
  const coverOf = new Map(covers.map((cover) => [`${cover.lessonId} ${cover.date}`, { id: cover.id, teacher: cover.teacher }]));
  lessons.sort((a, b) => a.period - b.period);
  return dates.flatMap((date) => {
    const day = weekdayOf(Temporal.PlainDate.from(date));
    return lessons
      .filter((lesson) => lesson.day === day && (absence.periods?.includes(lesson.period) ?? true) && !isOff(holidays.get(date), lesson.class.id))
      .map((lesson) => {
        const cover = coverOf.get(`${lesson.id} ${date}`) ?? null;
        return { date, lesson, coverStatus: cover ? ('covered' as const) : ('needed' as const), cover };
      });
  });
}

export async function getAbsence(db: TenantDb, principal: Principal, id: string) {
  const absence = await queries.findAbsence(db, id);
  if (!absence) throw notFound('Teacher absence');
  return { ...absence, lessons: await affectedLessons(db, principal, absence) };
}

/**
 * Records a teacher's absence: 400 for dates the wrong way round or more than a year, an unknown or
 * inactive teacher, or periods outside the bell schedule; 409 CONFLICT when it overlaps another
 * absence of theirs (a day and a period in common). Answers with the lessons it takes out.
 */
export async function createAbsence(caller: Caller, body: CreateAbsenceBody) {
  if (body.to < body.from) throw invalid('to', 'is before from');
  if (datesFrom(body.from, body.to).length > MAX_ABSENCE_DAYS) throw invalid('to', `is more than ${MAX_ABSENCE_DAYS} days after from`);
  const periods = body.periods ? [...body.periods].sort((a, b) => a - b) : null;
  return caller.change(async ({ db, log }) => {
    const teacher = await queries.lockTeacher(db, body.teacherId);
    if (!teacher) throw invalid('teacherId', 'is not an active teacher of this institution');
    const { periodCount } = await db.selectFrom('bellSchedule').select((eb) => eb.fn<number>('jsonb_array_length', ['periods']).as('periodCount')).executeTakeFirstOrThrow();
    if (periods && periods.some((period) => period > periodCount)) throw invalid('periods', `are not all periods of the bell schedule (1-${periodCount})`);
    const span = { from: body.from, to: body.to, periods };
    const overlap = await queries.overlappingAbsence(db, teacher.id, span);
    if (overlap) {
      throw new AppError(409, 'CONFLICT', `${teacher.name} is already absent then (${overlap.from} to ${overlap.to})`, undefined, { absence: overlap });
    }
    const { id } = await db
      .insertInto('teacherAbsences')
      .values({ teacherId: teacher.id, ...span, reason: body.reason ?? null, createdBy: caller.principal.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await publishEvent(db, { type: 'timetable.changed', recipients: [teacher.id], data: { absenceId: id } });
    const absence = await getAbsence(db, caller.principal, id);
    await log({
      action: 'create',
      targetType: 'teacher-absence',
      targetId: id,
      targetName: `${teacher.name}, ${body.from} to ${body.to}`,
      details: { teacherId: teacher.id, ...span, reason: body.reason ?? null, lessons: absence.lessons.length },
    });
    return absence;
  });
}

/** Deletes an absence with its covers; each cover teacher is told. */
export async function deleteAbsence(caller: Caller, id: string) {
  return caller.change(async (context) => {
    const { db, log } = context;
    const absence = await queries.findAbsence(db, id);
    if (!absence) throw notFound('Teacher absence');
    await queries.lockTeacher(db, absence.teacher.id);
    const covers = await queries.coversOfAbsence(db, id);
    await db.deleteFrom('teacherAbsences').where('id', '=', id).execute();
    const lessons = await queries.lessonEntries(db, covers.map((cover) => cover.lessonId));
    for (const cover of covers) await tellCancelled(context, caller.principal, cover.teacher.id, lessons.get(cover.lessonId)!, cover.date);
    await publishEvent(db, { type: 'timetable.changed', recipients: [absence.teacher.id], data: { absenceId: id } });
    await log({
      action: 'delete',
      targetType: 'teacher-absence',
      targetId: id,
      targetName: `${absence.teacher.name}, ${absence.from} to ${absence.to}`,
      details: { teacherId: absence.teacher.id, from: absence.from, to: absence.to, periods: absence.periods, deletedCoverIds: covers.map((cover) => cover.id) },
    });
  });
}

// ---- covers ----

/**
 * The lesson takes place on that date: its weekday, and no holiday for its class (400 on `date`
 * otherwise). Answers that date's holidays.
 */
async function assertTakesPlace(db: TenantDb, principal: Principal, lesson: LessonEntry, date: string) {
  const day = weekdayOf(Temporal.PlainDate.from(date));
  if (day !== lesson.day) throw invalid('date', `is a ${day}; the lesson is on ${lesson.day}s`);
  const holidays = (await holidaysFrom(db, principal, date, 1)).get(date);
  const holiday = holidays?.find((h) => isOff([h], lesson.class.id));
  if (holiday) throw invalid('date', `is a holiday for ${lesson.class.name} (${holiday.title})`);
  return holidays;
}

async function lessonFor(db: TenantDb, lessonId: string): Promise<LessonEntry> {
  const lesson = (await queries.lessonEntries(db, [lessonId])).get(lessonId);
  if (!lesson) throw invalid('lessonId', 'is not a lesson of this institution');
  return lesson;
}

const slotOf = (lesson: LessonEntry, date: string): queries.Slot => ({ date, day: lesson.day, period: lesson.period });

/**
 * What keeps teachers from covering in that slot, per teacher: a lesson of theirs then (unless a
 * holiday takes it out), a cover then, an absence, or a period they are unavailable in.
 */
async function conflictsInSlot(db: TenantDb, slot: queries.Slot, holidays: HolidayOnDate[] | undefined, teacherId?: string) {
  const busy = await queries.busyInSlot(db, slot, teacherId);
  const teaching = busy.lessons.filter((lesson) => !isOff(holidays, lesson.classId));
  const lessons = await queries.lessonEntries(db, [...teaching.map((lesson) => lesson.id), ...busy.covers.map((cover) => cover.lessonId)]);
  const found: { teacherId: string; conflict: CoverConflict }[] = [
    ...teaching.map((lesson) => ({ teacherId: lesson.teacherId, conflict: { kind: 'teacher' as const, lesson: lessons.get(lesson.id)! } })),
    ...busy.covers.map((cover) => ({ teacherId: cover.teacherId, conflict: { kind: 'cover' as const, date: slot.date, lesson: lessons.get(cover.lessonId)! } })),
    ...busy.absences.map(({ teacherId, ...absence }) => ({ teacherId, conflict: { kind: 'absence' as const, absence } })),
    ...busy.unavailable.map(({ teacherId }) => ({ teacherId, conflict: { kind: 'unavailable' as const, slot: { day: slot.day, period: slot.period } } })),
  ];
  return found;
}

/**
 * Teachers free in the lesson's period on that date (not teaching, not covering, not absent, not
 * unavailable), those who teach its class first, then its subject, then those with the fewest
 * covers that week.
 */
export async function suggestions(db: TenantDb, principal: Principal, query: { lessonId: string; date: string }) {
  const lesson = await lessonFor(db, query.lessonId);
  const holidays = await assertTakesPlace(db, principal, lesson, query.date);
  const monday = Temporal.PlainDate.from(query.date).subtract({ days: Temporal.PlainDate.from(query.date).dayOfWeek - 1 });
  const [busy, teachers, counts] = await Promise.all([
    conflictsInSlot(db, slotOf(lesson, query.date), holidays),
    queries.teachersFor(db, lesson.class.id, lesson.subject.id),
    queries.coverCounts(db, monday.toString(), monday.add({ days: 6 }).toString()),
  ]);
  const unavailable = new Set([lesson.teacher.id, ...busy.map((entry) => entry.teacherId)]);
  const free = teachers
    .filter((teacher) => !unavailable.has(teacher.id))
    .map((teacher) => {
      const coversThisWeek = counts.get(teacher.id) ?? 0;
      const reasons = [
        ...(teacher.teachesClass ? [`teaches ${lesson.class.name}`] : []),
        ...(teacher.teachesSubject ? [`teaches ${lesson.subject.name}`] : []),
        coversThisWeek === 0 ? 'no covers this week' : `${coversThisWeek} cover${coversThisWeek === 1 ? '' : 's'} this week`,
      ];
      return { teacher: { id: teacher.id, name: teacher.name }, teachesClass: teacher.teachesClass === true, teachesSubject: teacher.teachesSubject === true, coversThisWeek, reasons };
    })
    .sort((a, b) => Number(b.teachesClass) - Number(a.teachesClass) || Number(b.teachesSubject) - Number(a.teachesSubject) || a.coversThisWeek - b.coversThisWeek);
  return { date: query.date, lesson, suggestions: free };
}

/** 409 when the lesson already has a cover on that date, or the teacher is not free then. */
async function assertCoverable(db: TenantDb, body: CreateCoverBody, lesson: LessonEntry, holidays: HolidayOnDate[] | undefined) {
  const existing = await db.selectFrom('covers').select('id').where('lessonId', '=', lesson.id).where('date', '=', body.date).executeTakeFirst();
  if (existing) {
    throw new AppError(409, 'CONFLICT', `${lessonName(lesson)} already has a cover on ${body.date}; delete it first`, undefined, { coverId: existing.id });
  }
  const conflicts = (await conflictsInSlot(db, slotOf(lesson, body.date), holidays, body.coverTeacherId)).map((entry) => entry.conflict);
  if (conflicts.length > 0) {
    const kinds = [...new Set(conflicts.map((conflict) => conflict.kind))].join(', ');
    throw new AppError(409, 'SCHEDULE_CONFLICT', `The cover teacher is not free then (${kinds})`, undefined, { conflicts });
  }
}

function coverEntry(action: string, cover: { id: string; absenceId: string; date: string; coverTeacherId: string }, lesson: LessonEntry) {
  return {
    action,
    targetType: 'cover',
    targetId: cover.id,
    targetName: `${lessonName(lesson)}, ${cover.date} period ${lesson.period}`,
    details: { lessonId: lesson.id, date: cover.date, coverTeacherId: cover.coverTeacherId, absenceId: cover.absenceId, teacherId: lesson.teacher.id },
  };
}

const when = (lesson: LessonEntry, date: string) => `${lesson.day} ${date}, period ${lesson.period} (${lesson.start}-${lesson.end})`;

/** The cover teacher hears that a cover of theirs is off: a message from the admin, and their week changed. */
async function tellCancelled(context: ChangeContext, principal: Principal, coverTeacherId: string, lesson: LessonEntry, date: string) {
  await sendNotice(context, { senderId: principal.id, receiverId: coverTeacherId, text: `Cover cancelled: you no longer take ${lessonName(lesson)} on ${when(lesson, date)}.` });
  await publishEvent(context.db, { type: 'timetable.changed', recipients: [coverTeacherId], data: { lessonId: lesson.id, date } });
}

/**
 * Assigns a cover teacher to one lesson on one date: the lesson takes place then and its teacher
 * is absent then (400 on `date` otherwise), the cover teacher is another active teacher (400),
 * the lesson has no cover that date yet (409 CONFLICT) and the cover teacher is free then (409
 * SCHEDULE_CONFLICT with what is in the way). The absence and the cover teacher are locked while
 * this is checked and written; the unique covers constraints decide what the locks do not see.
 * The cover teacher gets a message from the admin and `timetable.changed`.
 */
export async function createCover(caller: Caller, body: CreateCoverBody) {
  const { principal } = caller;
  try {
    return await caller.change(async (context) => {
      const { db, log } = context;
      const lesson = await lessonFor(db, body.lessonId);
      if (body.coverTeacherId === lesson.teacher.id) throw invalid('coverTeacherId', "is the lesson's own teacher");
      const holidays = await assertTakesPlace(db, principal, lesson, body.date);
      const absence = await queries.lockAbsenceAt(db, lesson.teacher.id, body.date, lesson.period);
      if (!absence) throw invalid('date', `is not in an absence of ${lesson.teacher.name}: record the absence first`);
      const coverTeacher = await queries.lockTeacher(db, body.coverTeacherId);
      if (!coverTeacher) throw invalid('coverTeacherId', 'is not an active teacher of this institution');
      await assertCoverable(db, body, lesson, holidays);
      const cover = await db
        .insertInto('covers')
        .values({ absenceId: absence.id, lessonId: lesson.id, date: body.date, period: lesson.period, coverTeacherId: coverTeacher.id, assignedBy: principal.id })
        .returning(['id', 'absenceId', 'date', 'coverTeacherId', 'createdAt'])
        .executeTakeFirstOrThrow();
      const room = lesson.room ? `, ${lesson.room.name}` : '';
      await sendNotice(context, {
        senderId: principal.id,
        receiverId: coverTeacher.id,
        text: `Cover: please take ${lessonName(lesson)} on ${when(lesson, body.date)}${room}, for ${lesson.teacher.name}.`,
      });
      await publishEvent(db, { type: 'timetable.changed', recipients: [coverTeacher.id], data: { lessonId: lesson.id, date: body.date } });
      await log(coverEntry('create', cover, lesson));
      return { id: cover.id, absenceId: cover.absenceId, date: cover.date, lesson, coverTeacher: { id: coverTeacher.id, name: coverTeacher.name }, createdAt: cover.createdAt };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent assignment took the slot or the lesson first: answer with it, as read now.
    const lesson = await lessonFor(caller.tenantDb, body.lessonId);
    await assertCoverable(caller.tenantDb, body, lesson, await assertTakesPlace(caller.tenantDb, principal, lesson, body.date));
    throw error;
  }
}

export async function deleteCover(caller: Caller, id: string) {
  await caller.change(async (context) => {
    const cover = await queries.findCover(context.db, id);
    const deleted = cover && (await context.db.deleteFrom('covers').where('id', '=', id).returning('id').executeTakeFirst());
    if (!cover || !deleted) throw notFound('Cover');
    const lesson = (await queries.lessonEntries(context.db, [cover.lessonId])).get(cover.lessonId)!;
    await tellCancelled(context, caller.principal, cover.coverTeacherId, lesson, cover.date);
    await context.log(coverEntry('delete', cover, lesson));
  });
}
