import { apiCall } from './school-api';

// school-year.test.ts imports it from here.
export { personalPage } from './school-api';

/** Teachers' and students' start page (the shell's home redirect). */
export const TEACHING_START = '/today';

/**
 * How long expect.poll waits for a page to show something: pages load lazily and refetch, and
 * eight people's tests share two CPUs, so vitest's default of one second fails by chance.
 */
export const POLL_PATIENCE = { timeout: 10_000, interval: 100 };

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Today in UTC, a new institution's zone: its date and weekday as the timetable names them. */
export function todayInUtc(now = new Date()): { date: string; day: (typeof WEEKDAYS)[number] } {
  return { date: now.toISOString().slice(0, 10), day: WEEKDAYS[(now.getUTCDay() + 6) % 7]! };
}

/**
 * Three periods that fill the whole day, every day of the week: whenever the test runs, today is a
 * school day and one of today's lessons is going on.
 */
export const WHOLE_DAY_PERIODS = [
  { number: 1, start: '00:00', end: '08:00' },
  { number: 2, start: '08:00', end: '16:00' },
  { number: 3, start: '16:00', end: '23:59' },
];

/** The period going on at `now` (UTC) in WHOLE_DAY_PERIODS (none in the day's last minute). */
export function periodAt(now = new Date()): number | undefined {
  const time = now.toISOString().slice(11, 16);
  return WHOLE_DAY_PERIODS.find((period) => period.start <= time && time < period.end)?.number;
}

/** Through the API: the whole-day bell schedule and a lesson of `subjectName` in each of today's periods, by the teacher for the class. */
export async function seedTodaysLessons(
  baseUrl: string,
  adminToken: string,
  { classId, teacherId, subjectName }: { classId: string; teacherId: string; subjectName: string },
): Promise<{ id: string; period: number }[]> {
  await apiCall(baseUrl, 'PUT', '/api/bell-schedule', adminToken, { days: [...WEEKDAYS], periods: WHOLE_DAY_PERIODS });
  const subject = await apiCall(baseUrl, 'POST', '/api/subjects', adminToken, { name: subjectName });
  const { day } = todayInUtc();
  const lessons = [];
  for (const { number } of WHOLE_DAY_PERIODS) {
    const lesson = await apiCall(baseUrl, 'POST', '/api/schedules', adminToken, { classId, subjectId: subject.id, teacherId, day, period: number });
    lessons.push({ id: lesson.id as string, period: number });
  }
  return lessons;
}

/** Through the API: an assignment for the class due in `dueInMs`, and its id. */
export async function seedAssignment(baseUrl: string, teacherToken: string, body: { title: string; classId: string; maxPoints: number; dueInMs: number }) {
  const assignment = await apiCall(baseUrl, 'POST', '/api/assignments', teacherToken, {
    title: body.title,
    classIds: [body.classId],
    maxPoints: body.maxPoints,
    dueAt: new Date(Date.now() + body.dueInMs).toISOString(),
  });
  return assignment.id as string;
}

/** Through the API: the student hands in text and the teacher grades that version. */
export async function seedGrade(baseUrl: string, tokens: { teacher: string; student: string }, assignmentId: string, points: number) {
  const submission = await apiCall(baseUrl, 'POST', `/api/assignments/${assignmentId}/submissions`, tokens.student, { text: 'My answers.' });
  await apiCall(baseUrl, 'POST', `/api/submissions/${submission.id}/grade`, tokens.teacher, { points, version: submission.version });
}
