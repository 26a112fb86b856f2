/**
 * Saving a register for a class of 40, for `npm run bench`: 40 students and a teacher are imported
 * into the demo school, given a class and a lesson on a weekday before today, and the teacher saves
 * that lesson's register again and again, one request at a time. Every save changes marks (a date
 * already past, so each change is also kept as history) and marks some students absent, so the
 * first save also claims their absence alerts. Printed: median and p99 of the PUT, and of a GET of
 * the same register in the same run, for scale.
 */
import { performance } from 'node:perf_hooks';
import { Temporal } from 'temporal-polyfill';

const STUDENTS = 40;
const WARM_UP = 20;
const SAVES = 300;
const READS = 300;

type Send = (apiUrl: string, method: string, path: string, token: string, body?: unknown, contentType?: string) => Promise<Record<string, any>>;

export interface AttendanceBench {
  apiUrl: string;
  adminToken: string;
  login(apiUrl: string, body: { username: string; password: string; institutionCode?: string }): Promise<string>;
  institutionCode: string;
  send: Send;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

async function timedRuns(count: number, run: (index: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  return times;
}

/** The class, its 40 students, its teacher and a lesson on a working weekday in the last week (through the API). */
async function setUp({ apiUrl, adminToken, send, login, institutionCode }: AttendanceBench) {
  const csv = [
    'username,password,role,name',
    'bench_register_teacher,bench-password,teacher,Register Teacher',
    ...Array.from({ length: STUDENTS }, (_, i) => `bench_register_s${i},bench-password,student,Register Student ${String(i).padStart(2, '0')}`),
  ];
  await send(apiUrl, 'POST', '/api/users/import', adminToken, csv.join('\n'), 'text/csv');
  const users = (await send(apiUrl, 'GET', '/api/users?q=bench_register&limit=200', adminToken)).items as { id: string; username: string; role: string }[];
  const teacher = users.find((user) => user.role === 'teacher')!;
  const students = users.filter((user) => user.role === 'student').map((user) => user.id);
  if (students.length !== STUDENTS) throw new Error(`imported ${students.length} register students, not ${STUDENTS}`);
  const klass = await send(apiUrl, 'POST', '/api/classes', adminToken, { name: 'Register 40', grade: 9, section: 'R' });
  await send(apiUrl, 'POST', `/api/classes/${klass.id}/students`, adminToken, { studentIds: students });
  const subject = await send(apiUrl, 'POST', '/api/subjects', adminToken, { name: 'Register Studies' });
  const schedule = await send(apiUrl, 'GET', '/api/bell-schedule', adminToken);
  const lastPeriod = (schedule.periods as unknown[]).length;
  const teacherToken = await login(apiUrl, { username: teacher.username, password: 'bench-password', institutionCode });
  const today = Temporal.Now.plainDateISO('UTC');
  // The last period of the most recent past working day that is no holiday for the class.
  for (let back = 1; back <= 28; back += 1) {
    const date = today.subtract({ days: back });
    const day = WEEKDAYS[date.dayOfWeek - 1]!;
    if (!(schedule.days as string[]).includes(day)) continue;
    const lesson = await send(apiUrl, 'POST', '/api/schedules', adminToken, { classId: klass.id, subjectId: subject.id, teacherId: teacher.id, day, period: lastPeriod });
    const path = `/api/schedules/${lesson.id}/attendance?date=${date.toString()}`;
    const probe = await fetch(apiUrl + path, { headers: { authorization: `Bearer ${teacherToken}` } });
    if (probe.ok) return { path, students, teacherToken };
    await send(apiUrl, 'DELETE', `/api/schedules/${lesson.id}`, adminToken);
  }
  throw new Error('no past working day without a holiday in the last four weeks');
}

/** Save `index`: a few late and absent students that move with each save, the rest present. */
function marks(students: string[], index: number) {
  return students.map((studentId, position) => {
    const turn = (position + index) % 10;
    if (turn === 0) return { studentId, status: 'absent' };
    if (turn === 1) return { studentId, status: 'late', minutesLate: 1 + (index % 15) };
    return { studentId, status: 'present' };
  });
}

export async function benchAttendance(bench: AttendanceBench): Promise<void> {
  const { apiUrl, send } = bench;
  const { path, students, teacherToken } = await setUp(bench);
  for (let i = 0; i < WARM_UP; i += 1) await send(apiUrl, 'PUT', path, teacherToken, marks(students, i));
  const saves = await timedRuns(SAVES, async (i) => {
    await send(apiUrl, 'PUT', path, teacherToken, marks(students, WARM_UP + i));
  });
  const reads = await timedRuns(READS, async () => {
    await send(apiUrl, 'GET', path, teacherToken);
  });
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log('');
  console.log(
    `PUT register, class of ${STUDENTS} (${SAVES} saves one at a time, each changing 12 marks, kept as history): ` +
      `median ${ms(percentile(saves, 0.5))}, p99 ${ms(percentile(saves, 0.99))}; GET of the same register: median ${ms(percentile(reads, 0.5))}, ` +
      `p99 ${ms(percentile(reads, 0.99))} (PUT/GET median ${(percentile(saves, 0.5) / percentile(reads, 0.5)).toFixed(1)}x)`,
  );
}
