import type { FastifyInstance } from 'fastify';
import { colourLessons, DEMO_ROOMS, DEMO_SUBJECTS, DEMO_TEACHERS_NEEDED, demoLessons } from './academic-plan.js';
import { seedAnnouncements } from './announcements.js';
import { type CourseworkCounts, seedCoursework } from './assignments.js';
import { seedAttendance } from './attendance.js';
import { seedCover } from './cover.js';
import { seedGuardians } from './guardians.js';

export const DEMO_PASSWORD = 'demo-password-123';

export interface DemoLogins {
  academic: { subjects: number; rooms: number; classes: number; lessons: number } | undefined;
  /** Assignments with submissions and grades (assignments.ts), with the academic structure. */
  coursework: CourseworkCounts | undefined;
  institution: { id: string; name: string; code: string };
  admin: { username: string; password: string };
  teachers: string[];
  students: string[];
  /** Guardians of every other student (guardians.ts); the first has three children in three classes. */
  guardians: { usernames: string[]; links: number };
  password: string;
}

export interface DemoOptions {
  adminUsername?: string;
  institutionName?: string;
  teachers?: number;
  students?: number;
  /** Subjects, rooms, classes, curricula and a timetable too (needs the default 10 teachers, 200 students). */
  academic?: boolean;
}

const STUDENTS_PER_CLASS = 25;
const CLASS_COUNT = 8;

/**
 * Subjects, rooms, 8 classes (grades 1-8) of 25 students, their curricula and a week without
 * clashes (academic-plan.ts), all through the API.
 */
async function seedAcademicStructure(app: FastifyInstance, token: string) {
  const api = (method: Method, url: string, payload?: unknown) => send(app, method, url, payload, { authorization: `Bearer ${token}` });
  const idsByRole = async (role: 'teacher' | 'student') => {
    const page = await api('GET', `/api/users?role=${role}&limit=200`);
    return (page.items as { id: string; username: string }[]).sort((a, b) => a.username.localeCompare(b.username)).map((user) => user.id);
  };
  const teachers = await idsByRole('teacher');
  const students = await idsByRole('student');
  if (teachers.length < DEMO_TEACHERS_NEEDED || students.length < CLASS_COUNT * STUDENTS_PER_CLASS) {
    throw new Error(`the demo timetable needs ${DEMO_TEACHERS_NEEDED} teachers and ${CLASS_COUNT * STUDENTS_PER_CLASS} students`);
  }
  const subjects: string[] = [];
  for (const { name, code, color } of DEMO_SUBJECTS) subjects.push((await api('POST', '/api/subjects', { name, code, color })).id);
  const rooms = new Map<string, string>();
  for (const name of DEMO_ROOMS) rooms.set(name, (await api('POST', '/api/rooms', { name, capacity: 30 })).id);

  const classes: string[] = [];
  for (let index = 0; index < CLASS_COUNT; index += 1) {
    const grade = index + 1;
    const created = await api('POST', '/api/classes', {
      name: `${grade}A`,
      grade,
      section: 'A',
      homeroomTeacherId: teachers[index % teachers.length],
      maxStudents: 30,
    });
    classes.push(created.id);
    await api('POST', `/api/classes/${created.id}/students`, {
      studentIds: students.slice(index * STUDENTS_PER_CLASS, (index + 1) * STUDENTS_PER_CLASS),
    });
  }

  const lessons = demoLessons(CLASS_COUNT);
  for (const [classIndex, classId] of classes.entries()) {
    const rows = DEMO_SUBJECTS.flatMap((subject, subjectIndex) => {
      const lesson = lessons.find((l) => l.classIndex === classIndex && l.subjectIndex === subjectIndex);
      if (!lesson) return [];
      const roomId = subject.room ? rooms.get(subject.room) : undefined;
      return [{ subjectId: subjects[subjectIndex], teacherId: teachers[lesson.teacherIndex], periodsPerWeek: subject.periodsPerWeek, ...(roomId ? { roomId } : {}) }];
    });
    await api('PUT', `/api/classes/${classId}/subjects`, rows);
  }

  const { days, periods } = (await api('GET', '/api/bell-schedule')) as { days: string[]; periods: unknown[] };
  // Slot n is day n mod 5, period n div 5 + 1: a class's lessons fill the mornings of the whole
  // week first, rather than Monday to Wednesday.
  const slots = colourLessons(lessons, days.length * periods.length);
  await api('POST', '/api/schedules/bulk', {
    lessons: lessons.map((lesson, index) => {
      const subject = DEMO_SUBJECTS[lesson.subjectIndex]!;
      const roomId = subject.room ? rooms.get(subject.room) : undefined;
      return {
        classId: classes[lesson.classIndex],
        subjectId: subjects[lesson.subjectIndex],
        teacherId: teachers[lesson.teacherIndex],
        day: days[slots[index]! % days.length],
        period: Math.floor(slots[index]! / days.length) + 1,
        ...(roomId ? { roomId } : {}),
      };
    }),
  });
  return { subjects: subjects.length, rooms: rooms.size, classes: classes.length, lessons: lessons.length };
}

const FIRST_NAMES = ['Amara', 'Ben', 'Chen', 'Dara', 'Elif', 'Farah', 'Gabriel', 'Hana', 'Ivan', 'Jonas', 'Kiran', 'Lena', 'Mateo', 'Noor', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq'];
const LAST_NAMES = ['Adeyemi', 'Brown', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Murphy', 'Nakamura', 'Okafor', 'Petrov'];

function personName(index: number): string {
  return `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]}`;
}

type Method = 'GET' | 'POST' | 'PUT';

async function send(app: FastifyInstance, method: Method, url: string, payload: unknown, headers: Record<string, string> = {}) {
  const response = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as string }), headers });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} failed (${response.statusCode}): ${response.body}`);
  return response.json();
}

/**
 * Creates a demo institution through the public API (sign-up, admin sign-in, CSV import), so the
 * demo data passes exactly the rules real data does.
 */
export async function seedDemo(app: FastifyInstance, options: DemoOptions = {}): Promise<DemoLogins> {
  const adminUsername = options.adminUsername ?? 'demo_admin';
  const teacherCount = options.teachers ?? 10;
  const studentCount = options.students ?? 200;
  const setup = await send(app, 'POST', '/api/setup/admin', {
    username: adminUsername,
    password: DEMO_PASSWORD,
    name: 'Demo Admin',
    institutionName: options.institutionName ?? 'Demo Academy',
    email: 'admin@demo-academy.example',
  });
  const { token } = await send(app, 'POST', '/api/auth/login', { username: adminUsername, password: DEMO_PASSWORD });

  const teachers = Array.from({ length: teacherCount }, (_, i) => `teacher${String(i + 1).padStart(2, '0')}`);
  const students = Array.from({ length: studentCount }, (_, i) => `student${String(i + 1).padStart(3, '0')}`);
  const rows = [
    'username,password,role,name,email,phone,address,dateOfBirth,joiningDate',
    ...teachers.map(
      (username, i) => `${username},${DEMO_PASSWORD},teacher,${personName(i + 7)},${username}@demo-academy.example,+1 555 01${String(i).padStart(2, '0')},,1985-0${(i % 9) + 1}-15,2020-08-01`,
    ),
    ...students.map(
      (username, i) => `${username},${DEMO_PASSWORD},student,${personName(i)},,,,201${i % 10}-0${(i % 9) + 1}-1${i % 10},2024-09-01`,
    ),
  ];
  await send(app, 'POST', '/api/users/import', rows.join('\n'), {
    authorization: `Bearer ${token}`,
    'content-type': 'text/csv',
  });
  const guardians = await seedGuardians(app, { adminToken: token, password: DEMO_PASSWORD, students: students.map((username, i) => ({ username, name: personName(i) })), classSize: STUDENTS_PER_CLASS });
  const academic = options.academic ?? true ? await seedAcademicStructure(app, token) : undefined;
  const coursework = academic ? await seedCoursework(app, setup.institution.id) : undefined;
  if (academic) await seedAttendance(app, setup.institution.id, setup.admin);
  if (academic) await seedCover(app, token);
  if (academic) await seedAnnouncements(app, { adminToken: token, institutionCode: setup.institution.code, password: DEMO_PASSWORD });
  return {
    academic,
    coursework,
    institution: setup.institution,
    admin: { username: adminUsername, password: DEMO_PASSWORD },
    teachers,
    students,
    guardians,
    password: DEMO_PASSWORD,
  };
}
