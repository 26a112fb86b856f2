import { apiCall, seedInstitution } from './school-api';

type Account = { name: string; username: string; password: string };

export interface SeededSchool {
  code: string;
  admin: string;
  classes: Record<'7A' | '7B' | '9Z', string>;
  teachers: Record<'maths' | 'english' | 'science', string>;
}

/** A lesson as GET /api/schedules answers it, the fields the tests look at. */
export interface ApiLesson {
  id: string;
  day: string;
  period: number;
  pinned: boolean;
  subject: { name: string };
  class: { id: string; name: string };
  teacher: { id: string; name: string };
  room: { id: string } | null;
}

export const TEACHER_NAMES = { maths: 'Theo Maths', english: 'Tess English', science: 'Tim Science' } as const;

/**
 * Through the API: an institution with two classes, 7A and 7B, taught Maths (3 periods, the same
 * teacher for both, in rooms A1 and B2), English (2) and Science (2, both in the lab), with no
 * timetable yet: the generator makes it. And class 9Z, whose curriculum (45 periods, all Tim's)
 * cannot fit in a week of 40 periods.
 */
export async function seedTimetableSchool(baseUrl: string, adminAccount: Account & { institutionName: string }): Promise<SeededSchool> {
  const { code, admin } = await seedInstitution(baseUrl, adminAccount);
  const create = async (path: string, body: object) => (await apiCall(baseUrl, 'POST', path, admin, body)).id as string;

  const teachers = {
    maths: await create('/api/users', { name: TEACHER_NAMES.maths, username: 'theo.maths', password: 'a-long-teacher-secret', role: 'teacher' }),
    english: await create('/api/users', { name: TEACHER_NAMES.english, username: 'tess.english', password: 'a-long-teacher-secret', role: 'teacher' }),
    science: await create('/api/users', { name: TEACHER_NAMES.science, username: 'tim.science', password: 'a-long-teacher-secret', role: 'teacher' }),
  };
  const subjects = {
    maths: await create('/api/subjects', { name: 'Maths', code: 'MA', color: '#1c7ed6' }),
    english: await create('/api/subjects', { name: 'English', code: 'EN', color: '#e8590c' }),
    science: await create('/api/subjects', { name: 'Science', code: 'SC', color: '#2f9e44' }),
  };
  const rooms = {
    one: await create('/api/rooms', { name: 'A1', capacity: 30 }),
    two: await create('/api/rooms', { name: 'B2', capacity: 30 }),
    lab: await create('/api/rooms', { name: 'Lab', capacity: 24 }),
  };
  const classes = {
    '7A': await create('/api/classes', { name: '7A', grade: 7, section: 'A' }),
    '7B': await create('/api/classes', { name: '7B', grade: 7, section: 'B' }),
    '9Z': await create('/api/classes', { name: '9Z', grade: 9, section: 'Z' }),
  };
  for (const [name, room] of [['7A', rooms.one], ['7B', rooms.two]] as const) {
    await apiCall(baseUrl, 'PUT', `/api/classes/${classes[name]}/subjects`, admin, [
      { subjectId: subjects.maths, teacherId: teachers.maths, periodsPerWeek: 3, roomId: room },
      { subjectId: subjects.english, teacherId: teachers.english, periodsPerWeek: 2, roomId: room },
      { subjectId: subjects.science, teacherId: teachers.science, periodsPerWeek: 2, roomId: rooms.lab },
    ]);
  }
  await apiCall(baseUrl, 'PUT', `/api/classes/${classes['9Z']}/subjects`, admin, [
    { subjectId: subjects.maths, teacherId: teachers.science, periodsPerWeek: 20 },
    { subjectId: subjects.english, teacherId: teachers.science, periodsPerWeek: 20 },
    { subjectId: subjects.science, teacherId: teachers.science, periodsPerWeek: 5 },
  ]);
  return { code, admin, classes, teachers };
}

export async function lessonsOf(baseUrl: string, admin: string, query = ''): Promise<ApiLesson[]> {
  return (await apiCall(baseUrl, 'GET', `/api/schedules?limit=1000${query}`, admin)).items as ApiLesson[];
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

/** The earliest slot of the default week (Monday to Friday, 8 periods) where none of the lesson's class, teacher and room is busy. */
export function freeSlotFor(lesson: ApiLesson, all: ApiLesson[]): { day: string; period: number } {
  for (let period = 1; period <= 8; period++) {
    for (const day of DAYS) {
      const busy = all.some(
        (other) => other.day === day && other.period === period && (other.class.id === lesson.class.id || other.teacher.id === lesson.teacher.id || (lesson.room && other.room?.id === lesson.room.id)),
      );
      if (!busy) return { day, period };
    }
  }
  throw new Error('no free slot in the week');
}

/**
 * Class 8X: 40 periods a week (four subjects of 10) by two teachers who are both away on Monday's
 * first period. Counting finds nothing wrong (each teacher has 20 of 39 free periods), but the
 * week has no room to spare, so the search never places everything and runs to its time limit:
 * a job that is still running while the test looks at it.
 */
export async function seedUnfinishableClass(baseUrl: string, admin: string): Promise<string> {
  const create = async (path: string, body: object) => (await apiCall(baseUrl, 'POST', path, admin, body)).id as string;
  const una = await create('/api/users', { name: 'Una Busy', username: 'una.busy', password: 'a-long-teacher-secret', role: 'teacher' });
  const vic = await create('/api/users', { name: 'Vic Busy', username: 'vic.busy', password: 'a-long-teacher-secret', role: 'teacher' });
  for (const teacher of [una, vic]) {
    await apiCall(baseUrl, 'PUT', `/api/users/${teacher}/availability`, admin, { unavailable: [{ day: 'monday', period: 1 }] });
  }
  const subjects = await Promise.all(['History', 'Geography', 'Music', 'Drama'].map((name) => create('/api/subjects', { name })));
  const classId = await create('/api/classes', { name: '8X', grade: 8, section: 'X' });
  await apiCall(
    baseUrl,
    'PUT',
    `/api/classes/${classId}/subjects`,
    admin,
    subjects.map((subjectId, index) => ({ subjectId, teacherId: index < 2 ? una : vic, periodsPerWeek: 10 })),
  );
  return classId;
}
