import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { TenantDb } from '../../db/tenant-schema.js';
import { AppError, badRequest, type ErrorDetail, notFound } from '../../lib/errors.js';
import type { ChangeContext, ChangeRunner } from '../../plugins/activity-log.js';
import type { Principal } from '../auth/queries.js';
import { weekdayOf } from '../bell-schedule/schemas.js';
import { getBellSchedule } from '../bell-schedule/service.js';
import { holidaysByDate, isOff } from '../calendar/holidays.js';
import { dayRange, institutionTimeZone } from '../calendar/service.js';
import { coverTeacherOf } from '../cover/queries.js';
import { guardiansOf } from '../guardians/queries.js';
import { sendNotice } from '../messages/service.js';
import { publishEvent } from '../realtime/publish.js';
import { findLesson, findLessons } from '../schedules/queries.js';
import type { LessonView } from '../schedules/schemas.js';
import { attendancePolicy, authorizeClassReport, authorizeStudent } from './policy.js';
import * as queries from './queries.js';
import type { AbsenceView, ClassReport, Counts, CreateAbsenceBody, MarkInput, RegisterView, StudentReport } from './schemas.js';

type Caller = ChangeRunner & { principal: Principal; tenantDb: TenantDb };

const REGISTER = 'attendance-register';
const ABSENCE = 'student-absence';

/** Holidays are checked for the whole school, whoever takes the register (see calendar/holidays.ts). */
const SCHOOL_VIEW = (principal: Principal) => ({ id: principal.id, role: 'admin' as const });

function dateProblem(message: string, detail: string) {
  return badRequest(message, [{ field: 'date', message: detail }]);
}

const today = (timeZone: string) => Temporal.Now.plainDateISO(timeZone);

/**
 * Checks that the lesson takes place on the date: its weekday (always a working day: the bell
 * schedule keeps no lesson outside its days), not a holiday for everyone or for its class, and not
 * after today in the institution's zone (400 naming why otherwise). Returns whether the date is already past (changes are then kept).
 */
async function assertTakesPlace(db: TenantDb, principal: Principal, lesson: LessonView, date: string): Promise<{ past: boolean }> {
  const day = Temporal.PlainDate.from(date);
  const weekday = weekdayOf(day);
  if (weekday !== lesson.day) throw dateProblem(`${date} is a ${weekday}; this lesson is on ${lesson.day}s`, `is not a ${lesson.day}`);
  const timeZone = await institutionTimeZone(db, principal.institution.id);
  const now = today(timeZone);
  if (Temporal.PlainDate.compare(day, now) > 0) throw dateProblem(`${date} is in the future (today is ${now.toString()} in ${timeZone})`, 'is in the future');
  const holidays = (await holidaysByDate(db, SCHOOL_VIEW(principal), timeZone, day, 1)).get(date);
  if (isOff(holidays, lesson.class.id)) {
    const titles = holidays!.filter((h) => h.audience === 'all' || h.classIds.includes(lesson.class.id)).map((h) => h.title);
    throw dateProblem(`${date} is a holiday for this class (${titles.join(', ')})`, 'is a holiday');
  }
  return { past: Temporal.PlainDate.compare(day, now) < 0 };
}

/** The date asked for, or today in the institution's zone. */
async function dateOrToday(db: TenantDb, principal: Principal, date: string | undefined): Promise<string> {
  return date ?? today(await institutionTimeZone(db, principal.institution.id)).toString();
}

/**
 * The lesson (404) if the principal may take its register on the date (403), with the date (today
 * when left out) and whether it is past; 400 for a date the lesson does not take place on.
 */
async function authorizeRegister(db: TenantDb, principal: Principal, lessonId: string, dateAsked: string | undefined) {
  const lesson = await findLesson(db, lessonId);
  if (!lesson) throw notFound('Lesson');
  const date = await dateOrToday(db, principal, dateAsked);
  const coverTeacherId = principal.role === 'teacher' && lesson.teacher.id !== principal.id ? await coverTeacherOf(db, lessonId, date) : undefined;
  attendancePolicy.authorize(principal, 'takeRegister', { teacherId: lesson.teacher.id, coverTeacherId });
  return { lesson, date, ...(await assertTakesPlace(db, principal, lesson, date)) };
}

/** The register as GET shows it: the roster (and anyone marked who has left the class), each with their mark. */
async function registerView(db: TenantDb, lesson: LessonView, date: string): Promise<RegisterView> {
  const register = await queries.findRegister(db, lesson.id, date);
  const marks = register ? await queries.registerMarks(db, register.id) : [];
  const roster = await queries.classRoster(db, lesson.class.id);
  const enrolled = new Set(roster.map((student) => student.id));
  const students = [...roster, ...marks.filter((mark) => !enrolled.has(mark.studentId)).map((mark) => ({ id: mark.studentId, name: mark.name }))];
  const absences = await queries.absencesCovering(db, students.map((student) => student.id), date, lesson.period);
  const markOf = new Map(marks.map((mark) => [mark.studentId, mark]));
  return {
    lesson,
    date,
    taken: register !== undefined,
    takenBy: register ? { id: register.takenBy, name: register.takenByName } : null,
    takenAt: register?.takenAt ?? null,
    updatedAt: register?.updatedAt ?? null,
    students: students.map((student) => {
      const mark = markOf.get(student.id);
      const knownAbsence = absences.get(student.id) ?? null;
      return {
        student,
        status: mark?.status ?? (knownAbsence ? 'excused' : null),
        minutesLate: mark?.minutesLate ?? null,
        note: mark?.note ?? null,
        marked: mark !== undefined,
        knownAbsence,
      };
    }),
  };
}

export async function readRegister(db: TenantDb, principal: Principal, lessonId: string, dateAsked: string | undefined): Promise<RegisterView> {
  const { lesson, date } = await authorizeRegister(db, principal, lessonId, dateAsked);
  return registerView(db, lesson, date);
}

export async function registerHistory(db: TenantDb, principal: Principal, lessonId: string, dateAsked: string | undefined) {
  const { date } = await authorizeRegister(db, principal, lessonId, dateAsked);
  return { lessonId, date, changes: await queries.registerChanges(db, lessonId, date) };
}

function invalid(details: ErrorDetail[]) {
  return badRequest(`Invalid register: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
}

/** What the body says on its own: each student once, minutes late only for a late mark. */
function markProblems(marks: readonly MarkInput[]): ErrorDetail[] {
  const seen = new Set<string>();
  const problems: ErrorDetail[] = [];
  marks.forEach((mark, index) => {
    const id = mark.studentId.toLowerCase();
    if (seen.has(id)) problems.push({ field: `${index}.studentId`, message: 'is listed twice' });
    seen.add(id);
    if (mark.minutesLate !== undefined && mark.status !== 'late') problems.push({ field: `${index}.minutesLate`, message: 'is only for a late mark' });
  });
  return problems;
}

const sameMark = (a: queries.StoredMark | undefined, b: queries.StoredMark | undefined) =>
  a?.status === b?.status && (a?.minutesLate ?? null) === (b?.minutesLate ?? null) && (a?.note ?? null) === (b?.note ?? null);

/**
 * Tells the guardians of each newly absent student without a known absence: a message from the
 * register's taker about the child and a live `attendance.absent` event. The alert row per student
 * and date is claimed first, so it goes out once however many registers mark them absent, even at
 * the same time. Returns the students alerted.
 */
async function alertGuardians(context: ChangeContext, principal: Principal, lesson: LessonView, date: string, registerId: string, absentIds: string[]) {
  if (absentIds.length === 0) return [];
  const links = await guardiansOf(context.db, absentIds);
  const guardians = new Map<string, string[]>();
  for (const link of links) guardians.set(link.studentId, [...(guardians.get(link.studentId) ?? []), link.guardianId]);
  const alerted = await queries.claimAlerts(context.db, [...guardians.keys()], date, registerId);
  if (alerted.length === 0) return [];
  const names = new Map((await queries.classRoster(context.db, lesson.class.id)).map((student) => [student.id, student.name]));
  for (const studentId of alerted) {
    const recipients = guardians.get(studentId)!;
    const text =
      `${names.get(studentId) ?? 'Your child'} was marked absent from ${lesson.subject.name} (period ${lesson.period}) on ${date} ` +
      'and no absence was announced. Please let the school know why.';
    for (const guardianId of recipients) await sendNotice(context, { senderId: principal.id, receiverId: guardianId, text, aboutStudentId: studentId });
    await publishEvent(context.db, {
      type: 'attendance.absent',
      recipients,
      data: { studentId, date, lessonId: lesson.id, period: lesson.period, subjectId: lesson.subject.id },
    });
  }
  return alerted;
}

/**
 * Saves the register of a lesson on a date: the marks replace what was saved before. After the
 * day, every mark that changes is kept with who changed it and when. Students newly absent without
 * a known absence alert their guardians (once per student and day).
 */
export async function saveRegister(caller: Caller, lessonId: string, dateAsked: string | undefined, marks: MarkInput[]): Promise<RegisterView> {
  const { principal } = caller;
  const problems = markProblems(marks);
  if (problems.length > 0) throw invalid(problems);
  return caller.change(async (context) => {
    const { db, log } = context;
    const { lesson, date, past } = await authorizeRegister(db, principal, lessonId, dateAsked);
    const enrolled = new Set((await queries.classRoster(db, lesson.class.id)).map((student) => student.id));
    const outsiders = marks.map((mark, index) => ({ id: mark.studentId.toLowerCase(), index })).filter((mark) => !enrolled.has(mark.id));
    if (outsiders.length > 0) {
      const studentIds = outsiders.map((o) => o.id);
      throw new AppError(
        400,
        'VALIDATION_ERROR',
        `Not students of class ${lesson.class.name}: ${studentIds.join(', ')}`,
        outsiders.map((o) => ({ field: `${o.index}.studentId`, message: 'is not a student of this class' })),
        { studentIds },
      );
    }
    const register = await db
      .insertInto('attendanceRegisters')
      .values({
        lessonId: lesson.id,
        classId: lesson.class.id,
        subjectId: lesson.subject.id,
        teacherId: lesson.teacher.id,
        date,
        period: lesson.period,
        takenBy: principal.id,
        takenByName: principal.name,
      })
      .onConflict((conflict) => conflict.columns(['lessonId', 'date']).doUpdateSet({ updatedAt: new Date() }))
      // xmax is 0 on a row this statement inserted, and the updating transaction's id otherwise.
      .returning(['id', sql<boolean>`xmax = 0`.as('inserted')])
      .executeTakeFirstOrThrow();
    const previous = new Map((await queries.registerMarks(db, register.id)).map((mark) => [mark.studentId, mark]));
    const stored = marks.map((mark) => ({ studentId: mark.studentId.toLowerCase(), status: mark.status, minutesLate: mark.minutesLate ?? null, note: mark.note ?? null }));
    await queries.replaceMarks(db, register.id, stored);
    const next = new Map(stored.map((mark) => [mark.studentId, mark]));
    const changed = [...new Set([...previous.keys(), ...next.keys()])].filter((id) => !sameMark(previous.get(id), next.get(id)));
    if (past && changed.length > 0) {
      await db
        .insertInto('attendanceChanges')
        .values(
          changed.map((studentId) => ({
            registerId: register.id,
            studentId,
            previousStatus: previous.get(studentId)?.status ?? null,
            status: next.get(studentId)?.status ?? null,
            minutesLate: next.get(studentId)?.minutesLate ?? null,
            note: next.get(studentId)?.note ?? null,
            changedBy: principal.id,
            changedByName: principal.name,
          })),
        )
        .execute();
    }
    const absent = stored.filter((mark) => mark.status === 'absent').map((mark) => mark.studentId);
    const known = await queries.absencesCovering(db, absent, date, lesson.period);
    const alerted = await alertGuardians(context, principal, lesson, date, register.id, absent.filter((id) => !known.has(id)));
    await log({
      action: register.inserted ? 'take' : 'update',
      targetType: REGISTER,
      targetId: register.id,
      targetName: `${lesson.class.name} ${lesson.subject.name} ${date} period ${lesson.period}`,
      details: { lessonId: lesson.id, date, counts: countsOf(stored), changed, keptAsHistory: past, alertedStudentIds: alerted },
    });
    return registerView(db, lesson, date);
  });
}

function countsOf(marks: readonly { status: string }[]): Counts {
  const counts: Counts = { present: 0, absent: 0, late: 0, excused: 0 };
  for (const mark of marks) counts[mark.status as keyof Counts] += 1;
  return counts;
}

function addCounts(into: Counts, status: string, count: number) {
  into[status as keyof Counts] += count;
}

/** Present or late, of the marked lessons, to 3 decimals; null without marks. */
function rateOf(counts: Counts): number | null {
  const marked = counts.present + counts.absent + counts.late + counts.excused;
  return marked === 0 ? null : Math.round(((counts.present + counts.late) / marked) * 1000) / 1000;
}

const emptyCounts = (): Counts => ({ present: 0, absent: 0, late: 0, excused: 0 });

/** Days in a report's range when it names no start: 30 with its last. */
const DEFAULT_RANGE_DAYS = 30;

/**
 * The report's range: `to` defaults to today in the institution's zone, `from` to 29 days before
 * `to`; checked as the calendar does (to >= from, under a year wide, 400 otherwise).
 */
async function reportRange(db: TenantDb, principal: Principal, asked: { from?: string | undefined; to?: string | undefined }) {
  const timeZone = await institutionTimeZone(db, principal.institution.id);
  const to = asked.to ?? today(timeZone).toString();
  const from = asked.from ?? Temporal.PlainDate.from(to).subtract({ days: DEFAULT_RANGE_DAYS - 1 }).toString();
  dayRange(from, to, timeZone);
  return { from, to };
}

type RangeAsked = { from?: string | undefined; to?: string | undefined };

export async function classReport(db: TenantDb, principal: Principal, classId: string, asked: RangeAsked): Promise<ClassReport> {
  const klass = await authorizeClassReport(db, principal, classId);
  const range = await reportRange(db, principal, asked);
  const dates = await queries.classRegisterDates(db, klass.id, range.from, range.to);
  const rows = await queries.classMarkCounts(db, klass.id, range.from, range.to);
  const students = new Map((await queries.classRoster(db, klass.id)).map((student) => [student.id, { student, days: dates.map(emptyCounts), counts: emptyCounts() }]));
  const position = new Map(dates.map((date, index) => [date, index]));
  for (const row of rows) {
    let entry = students.get(row.studentId);
    if (!entry) {
      entry = { student: { id: row.studentId, name: row.name }, days: dates.map(emptyCounts), counts: emptyCounts() };
      students.set(row.studentId, entry);
    }
    addCounts(entry.days[position.get(row.date)!]!, row.status, Number(row.count));
    addCounts(entry.counts, row.status, Number(row.count));
  }
  return {
    class: klass,
    from: range.from,
    to: range.to,
    dates,
    students: [...students.values()].map((entry) => ({ ...entry, rate: rateOf(entry.counts) })),
  };
}

export async function studentReport(db: TenantDb, principal: Principal, studentId: string, asked: RangeAsked): Promise<StudentReport> {
  const student = await authorizeStudent(db, principal, 'readStudent', studentId);
  const range = await reportRange(db, principal, asked);
  const marks = await queries.studentMarks(db, student.id, range.from, range.to);
  const counts = countsOf(marks);
  return {
    student: { id: student.id, name: student.name },
    from: range.from,
    to: range.to,
    counts,
    rate: rateOf(counts),
    marks,
    absences: await queries.studentAbsences(db, student.id, range),
  };
}

/** The lessons that take place on the date and whose register nobody took, by period and class. */
export async function missingRegisters(db: TenantDb, principal: Principal, dateAsked: string | undefined) {
  const timeZone = await institutionTimeZone(db, principal.institution.id);
  const date = dateAsked ?? today(timeZone).toString();
  const day = Temporal.PlainDate.from(date);
  if (Temporal.PlainDate.compare(day, today(timeZone)) > 0) throw dateProblem(`${date} is in the future`, 'is in the future');
  const weekday = weekdayOf(day);
  const candidates = await db
    .selectFrom('lessons as l')
    .select(['l.id', 'l.classId'])
    .where('l.day', '=', weekday)
    .where(({ not, exists, selectFrom, ref }) =>
      not(exists(selectFrom('attendanceRegisters as r').select('r.id').where('r.lessonId', '=', ref('l.id')).where('r.date', '=', date))),
    )
    .execute();
  const holidays = (await holidaysByDate(db, SCHOOL_VIEW(principal), timeZone, day, 1)).get(date);
  return { date, lessons: await findLessons(db, candidates.filter((lesson) => !isOff(holidays, lesson.classId)).map((lesson) => lesson.id)) };
}

export async function listAbsences(db: TenantDb, principal: Principal, studentId: string): Promise<AbsenceView[]> {
  const student = await authorizeStudent(db, principal, 'readStudent', studentId);
  return queries.studentAbsences(db, student.id);
}

/** Registers a known absence (admins, the student's guardians); periods must be periods of the bell schedule. */
export async function createAbsence(caller: Caller, studentId: string, body: CreateAbsenceBody): Promise<AbsenceView> {
  const { principal } = caller;
  return caller.change(async ({ db, log }) => {
    const student = await authorizeStudent(db, principal, 'announceAbsence', studentId);
    const problems: ErrorDetail[] = [];
    if (body.to < body.from) problems.push({ field: 'to', message: 'must not be before from' });
    const periods = (await getBellSchedule(db)).periods.length;
    body.periods?.forEach((period, index) => {
      if (period > periods) problems.push({ field: `periods.${index}`, message: `is not a period of the bell schedule (1-${periods})` });
    });
    if (problems.length > 0) throw badRequest(`Invalid absence: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
    await reportRange(db, principal, body);
    const { id } = await db
      .insertInto('studentAbsences')
      .values({
        studentId: student.id,
        fromDate: body.from,
        toDate: body.to,
        reason: body.reason,
        periods: body.periods ? [...body.periods].sort((a, b) => a - b) : null,
        createdBy: principal.id,
        createdByName: principal.name,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await log({ action: 'create', targetType: ABSENCE, targetId: id, targetName: student.name, details: { studentId: student.id, from: body.from, to: body.to, periods: body.periods ?? null } });
    return (await queries.findAbsence(db, student.id, id))!;
  });
}

export async function deleteAbsence(caller: Caller, studentId: string, absenceId: string): Promise<void> {
  const { principal } = caller;
  await caller.change(async ({ db, log }) => {
    const student = await authorizeStudent(db, principal, 'announceAbsence', studentId);
    const absence = await queries.findAbsence(db, student.id, absenceId);
    if (!absence) throw notFound('Absence');
    await db.deleteFrom('studentAbsences').where('id', '=', absence.id).execute();
    await log({ action: 'delete', targetType: ABSENCE, targetId: absence.id, targetName: student.name, details: { studentId: student.id, from: absence.from, to: absence.to, reason: absence.reason } });
  });
}
