import { apiCall, seedClass } from './school-api';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

type Account = { name: string; username: string; password: string };

/**
 * Through the API: class 7A (its homeroom teacher and three students) with two lessons of that
 * teacher today, Maths in period 1 and Physics in period 2; a second teacher teaching 7A English in
 * period 3, free in the first two: the obvious cover; and class 7B, empty. On a weekend the bell
 * schedule takes every day of the week first, so "today" has lessons whenever the test runs.
 */
export async function seedRegisterSchool(
  baseUrl: string,
  accounts: { admin: Account & { institutionName: string }; teacher: Account; students: [Account, Account, Account]; coverTeacher: Account },
) {
  const [first, ...others] = accounts.students;
  const seeded = await seedClass(baseUrl, { admin: accounts.admin, teacher: accounts.teacher, student: first });
  const { admin, teacher, schoolClass } = seeded;
  const call = (method: string, url: string, body?: unknown) => apiCall(baseUrl, method, url, admin, body);

  const students = [seeded.student];
  for (const student of others) students.push(await call('POST', '/api/users', { ...student, role: 'student' }));
  await call('POST', `/api/classes/${schoolClass.id}/students`, { studentIds: students.slice(1).map((student) => student.id) });
  const coverTeacher = await call('POST', '/api/users', { ...accounts.coverTeacher, role: 'teacher' });

  const today = WEEKDAYS[new Date().getDay()] as string;
  const bell = await call('GET', '/api/bell-schedule');
  if (!(bell.days as string[]).includes(today)) await call('PUT', '/api/bell-schedule', { days: EVERY_DAY, periods: bell.periods });

  const subject = (name: string) => call('POST', '/api/subjects', { name });
  const [maths, physics, english] = [await subject('Maths'), await subject('Physics'), await subject('English')];
  const lesson = (subjectId: string, teacherId: string, period: number) =>
    call('POST', '/api/schedules', { classId: schoolClass.id, subjectId, teacherId, day: today, period });
  const mathsLesson = await lesson(maths.id, teacher.id, 1);
  const physicsLesson = await lesson(physics.id, teacher.id, 2);
  await lesson(english.id, coverTeacher.id, 3);
  // A class of its own for lessons a test gives later (7A's slots are taken by its own lessons).
  const otherClass = await call('POST', '/api/classes', { name: '7B', grade: 7, section: 'B' });
  return { ...seeded, students, coverTeacher, mathsLesson, physicsLesson, otherClass };
}
