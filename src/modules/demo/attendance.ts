/**
 * A week of registers for the demo school: every lesson of last week (Monday to the last working
 * day) that is not off for a holiday gets its register, taken by the lesson's teacher five minutes
 * into the period, except the last two lessons of the week of the first class, which nobody took
 * (so `GET /api/attendance/missing` has something to show for that day). Marks are planned without
 * the database from the students' and days' positions (deterministic): about 3% of the students
 * are away for a whole day, one student has a known absence for Wednesday announced by the admin
 * (excused in all its lessons), and about 4% of the marks are late by 2-15 minutes. Everything is
 * written in one transaction as the API would leave it, each register and the absence logged at
 * its time. The seeded week is history: its absences alert nobody (alerts go out as registers are
 * saved through the API).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Insertable } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { type TenantDb, tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import type { ActivityLogTable } from '../../db/types.js';
import type { AttendanceMarkTable, AttendanceRegisterTable, StudentAbsenceTable } from '../attendance/tables.js';
import { WEEKDAYS } from '../bell-schedule/schemas.js';
import { getBellSchedule } from '../bell-schedule/service.js';
import { holidaysByDate, isOff } from '../calendar/holidays.js';
import { institutionTimeZone } from '../calendar/service.js';

export interface AttendanceCounts {
  registers: number;
  marks: number;
  absent: number;
  late: number;
  excused: number;
  missing: number;
}

/** Who announces the known absence. */
export interface DemoAdmin {
  id: string;
  name: string;
}

/** Rows whose `createdAt` the database sets on a request; the seed writes the history's own. */
type Backdated<T> = Insertable<T> & { createdAt: Date };

/** A number from 0 to 999 for a pair of positions: the same pair always gets the same one. */
const draw = (a: number, b: number) => (((a + 1) * 2_654_435_761 + (b + 1) * 40_503) >>> 0) % 1000;

async function readLessons(db: TenantDb) {
  const lessons = await db
    .selectFrom('lessons as l')
    .innerJoin('classes as c', 'c.id', 'l.classId')
    .innerJoin('subjects as s', 's.id', 'l.subjectId')
    .innerJoin('users as t', 't.id', 'l.teacherId')
    .select(['l.id', 'l.classId', 'l.subjectId', 'l.teacherId', 'l.day', 'l.period', 'c.name as className', 's.name as subjectName', 't.name as teacherName'])
    .orderBy('c.grade')
    .orderBy('c.name')
    .orderBy('l.period')
    .execute();
  const students = await db.selectFrom('enrollments as e').innerJoin('users as u', 'u.id', 'e.studentId').select(['e.classId', 'u.id', 'u.name']).orderBy('u.username').execute();
  return { lessons, students };
}

export async function seedAttendance(app: FastifyInstance, institutionId: string, admin: DemoAdmin, now = new Date()): Promise<AttendanceCounts> {
  const db = tenantDb(app.db, tenantSchemaName(institutionId));
  const timeZone = await institutionTimeZone(db, institutionId);
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).toPlainDate();
  const monday = today.subtract({ days: today.dayOfWeek - 1, weeks: 1 });
  const schedule = await getBellSchedule(db);
  const holidays = await holidaysByDate(db, { id: admin.id, role: 'admin' }, timeZone, monday, 7);
  const { lessons, students } = await readLessons(db);
  const studentIndex = new Map(students.map((student, index) => [student.id, index]));
  const dateOf = (day: string) => monday.add({ days: WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]) });
  const at = (date: Temporal.PlainDate, time: string, minutes = 0) =>
    new Date(date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) }).add({ minutes }).epochMilliseconds);

  const taking = lessons.filter((lesson) => schedule.days.includes(lesson.day) && !isOff(holidays.get(dateOf(lesson.day).toString()), lesson.classId));
  const lastDay = taking.reduce((latest, lesson) => Math.max(latest, WEEKDAYS.indexOf(lesson.day)), 0);
  const firstClass = taking[0]?.classId;
  const untaken = new Set(
    taking
      .filter((lesson) => lesson.classId === firstClass && WEEKDAYS.indexOf(lesson.day) === lastDay)
      .slice(-2)
      .map((lesson) => lesson.id),
  );
  const excusedStudent = students[3];
  const wednesday = monday.add({ days: 2 }).toString();

  const registers: Insertable<AttendanceRegisterTable>[] = [];
  const marks: Insertable<AttendanceMarkTable>[] = [];
  const entries: Backdated<ActivityLogTable>[] = [];
  for (const lesson of taking.filter((lesson) => !untaken.has(lesson.id))) {
    const date = dateOf(lesson.day);
    const dayIndex = date.dayOfWeek;
    const takenAt = at(date, schedule.periods[lesson.period - 1]!.start, 5);
    const id = randomUUID();
    registers.push({ id, lessonId: lesson.id, classId: lesson.classId, subjectId: lesson.subjectId, teacherId: lesson.teacherId, date: date.toString(), period: lesson.period, takenBy: lesson.teacherId, takenByName: lesson.teacherName, takenAt, updatedAt: takenAt });
    const counts = { present: 0, absent: 0, late: 0, excused: 0 };
    for (const student of students.filter((s) => s.classId === lesson.classId)) {
      const position = studentIndex.get(student.id)!;
      let mark: Pick<AttendanceMarkTable, 'status' | 'minutesLate'> = { status: 'present', minutesLate: null };
      if (student.id === excusedStudent?.id && date.toString() === wednesday) mark = { status: 'excused', minutesLate: null };
      else if (draw(position, dayIndex) < 30) mark = { status: 'absent', minutesLate: null };
      else if (draw(position, dayIndex * 100 + lesson.period) % 25 === 0) mark = { status: 'late', minutesLate: 2 + (position % 14) };
      counts[mark.status] += 1;
      marks.push({ registerId: id, studentId: student.id, ...mark, note: null });
    }
    entries.push({
      userId: lesson.teacherId,
      userRole: 'teacher',
      userName: lesson.teacherName,
      action: 'take',
      targetType: 'attendance-register',
      targetId: id,
      targetName: `${lesson.className} ${lesson.subjectName} ${date.toString()} period ${lesson.period}`,
      details: JSON.stringify({ lessonId: lesson.id, date: date.toString(), counts, keptAsHistory: false, alertedStudentIds: [] }),
      ip: null,
      userAgent: 'npm run seed:demo',
      createdAt: takenAt,
    });
  }

  await app.db.transaction().execute(async (trx) => {
    const tx = tenantDb(trx, db.tenantSchema);
    if (excusedStudent) {
      const announcedAt = at(monday.subtract({ days: 1 }), '18:00');
      const absence: Backdated<StudentAbsenceTable> = {
        id: randomUUID(),
        studentId: excusedStudent.id,
        fromDate: wednesday,
        toDate: wednesday,
        reason: 'Medical appointment',
        periods: null,
        createdBy: admin.id,
        createdByName: admin.name,
        createdAt: announcedAt,
      };
      await tx.insertInto('studentAbsences').values(absence).execute();
      entries.push({
        userId: admin.id,
        userRole: 'admin',
        userName: admin.name,
        action: 'create',
        targetType: 'student-absence',
        targetId: absence.id!,
        targetName: excusedStudent.name,
        details: JSON.stringify({ studentId: excusedStudent.id, from: wednesday, to: wednesday, periods: null }),
        ip: null,
        userAgent: 'npm run seed:demo',
        createdAt: announcedAt,
      });
    }
    for (let i = 0; i < registers.length; i += 1000) await tx.insertInto('attendanceRegisters').values(registers.slice(i, i + 1000)).execute();
    for (let i = 0; i < marks.length; i += 2000) await tx.insertInto('attendanceMarks').values(marks.slice(i, i + 2000)).execute();
    const logRows = entries.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
    for (let i = 0; i < logRows.length; i += 1000) await tx.insertInto('activityLogs').values(logRows.slice(i, i + 1000)).execute();
  });
  const count = (status: string) => marks.filter((mark) => mark.status === status).length;
  return { registers: registers.length, marks: marks.length, absent: count('absent'), late: count('late'), excused: count('excused'), missing: untaken.size };
}
