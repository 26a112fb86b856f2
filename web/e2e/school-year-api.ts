import { apiCall, apiLogin } from './school-api';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** A day `days` after `date` (YYYY-MM-DD). */
export function plusDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Monday of the ISO week after today's (UTC, a new institution's zone). */
export function mondayOfNextWeek(now = new Date()): string {
  const today = now.toISOString().slice(0, 10);
  return plusDays(today, 7 - ((now.getUTCDay() + 6) % 7));
}

/** The latest date on `weekday` that is not after `today` (YYYY-MM-DD): the last time a weekly lesson on that day took place. */
export function lastDateOn(weekday: string, today: string): string {
  const todayIndex = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const index = WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]);
  if (index < 0) throw new Error(`not a weekday: ${weekday}`);
  return plusDays(today, -((todayIndex - index + 7) % 7));
}

type Account = { name: string; username: string; password: string };

export const BIG_SCHOOL = { students: 2000, classes: 40, lessonsPerClass: 35 } as const;
/** Zero-padded so that names sort as numbers and "Student 1234" names exactly one student. */
export const studentName = (n: number) => `Student ${String(n).padStart(4, '0')}`;
export const teacherName = (n: number) => `Teacher ${String(n).padStart(2, '0')}`;
export const className = (n: number) => `C${String(n).padStart(2, '0')}`;

const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
const PERIODS = 8;

/** The n-th slot of the default week (Monday to Friday, 8 periods), Monday's first period first. */
export function slotOf(n: number): { day: (typeof WEEK)[number]; period: number } {
  return { day: WEEK[Math.floor(n / PERIODS)]!, period: (n % PERIODS) + 1 };
}

async function importCsv(baseUrl: string, token: string, rows: string[]): Promise<void> {
  const response = await fetch(`${baseUrl}/api/users/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: ['username,password,role,name', ...rows].join('\n'),
  });
  if (!response.ok) throw new Error(`POST /api/users/import: ${response.status} ${await response.text()}`);
}

/**
 * Through the API, a big school: 2,000 students (one CSV import) in 40 classes of 50, 40 teachers,
 * 40 rooms, 10 subjects, and 35 lessons a week for every class, 1,400 in all, put in with one bulk
 * request. Class c has its lessons in slots 0-34 of the week, taught by teacher (c + slot) mod 40
 * in room (c + slot) mod 40: in any slot each teacher and room is used by one class only, so nothing
 * clashes, and slots 35-39 (Friday, periods 4-8) are free for everyone.
 */
export async function seedBigSchool(baseUrl: string, adminAccount: Account & { institutionName: string }) {
  const setup = await apiCall(baseUrl, 'POST', '/api/setup/admin', null, adminAccount);
  const code = setup.institution.code as string;
  const admin = await apiLogin(baseUrl, adminAccount.username, adminAccount.password, code);
  const call = (method: string, url: string, body?: unknown) => apiCall(baseUrl, method, url, admin, body);
  const count = BIG_SCHOOL.classes;
  const numbers = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

  const password = 'a-long-pupil-secret';
  await importCsv(baseUrl, admin, numbers(count).map((n) => `teacher${n},${password},teacher,${teacherName(n)}`));
  await importCsv(baseUrl, admin, numbers(BIG_SCHOOL.students).map((n) => `student${n},${password},student,${studentName(n)}`));

  const all = async (url: string) => ((await call('GET', `${url}${url.includes('?') ? '&' : '?'}limit=200`)).items as { id: string; name: string }[]).sort((a, b) => a.name.localeCompare(b.name));
  const teachers = await all('/api/users?role=teacher');
  const subjects = await Promise.all(numbers(10).map(async (n) => (await call('POST', '/api/subjects', { name: `Subject ${n}`, code: `S${n}` })).id as string));
  const rooms = await Promise.all(numbers(count).map(async (n) => (await call('POST', '/api/rooms', { name: `Room ${n}`, capacity: 60 })).id as string));
  const classes: string[] = [];
  for (const n of numbers(count)) classes.push((await call('POST', '/api/classes', { name: className(n), grade: 1 + ((n - 1) % 12), section: `S${n}`, maxStudents: 60 })).id);

  const perClass = BIG_SCHOOL.students / count;
  for (const [index, classId] of classes.entries()) {
    const page = await call('GET', `/api/users?role=student&limit=${perClass}&page=${index + 1}`);
    await call('POST', `/api/classes/${classId}/students`, { studentIds: (page.items as { id: string }[]).map((student) => student.id) });
  }

  const lessons = classes.flatMap((classId, c) =>
    Array.from({ length: BIG_SCHOOL.lessonsPerClass }, (_, slot) => ({
      classId,
      subjectId: subjects[slot % subjects.length],
      teacherId: teachers[(c + slot) % count]!.id,
      roomId: rooms[(c + slot) % count],
      ...slotOf(slot),
    })),
  );
  await call('POST', '/api/schedules/bulk', { lessons });
  return { code, admin, classes, teachers };
}
