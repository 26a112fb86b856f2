import type { FastifyInstance } from 'fastify';

export const DEMO_PASSWORD = 'demo-password-123';

export interface DemoLogins {
  institution: { id: string; name: string; code: string };
  admin: { username: string; password: string };
  teachers: string[];
  students: string[];
  password: string;
}

export interface DemoOptions {
  adminUsername?: string;
  institutionName?: string;
  teachers?: number;
  students?: number;
}

const FIRST_NAMES = ['Amara', 'Ben', 'Chen', 'Dara', 'Elif', 'Farah', 'Gabriel', 'Hana', 'Ivan', 'Jonas', 'Kiran', 'Lena', 'Mateo', 'Noor', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq'];
const LAST_NAMES = ['Adeyemi', 'Brown', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Murphy', 'Nakamura', 'Okafor', 'Petrov'];

function personName(index: number): string {
  return `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]}`;
}

async function send(app: FastifyInstance, method: 'POST', url: string, payload: unknown, headers: Record<string, string> = {}) {
  const response = await app.inject({ method, url, payload: payload as string, headers });
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
  return {
    institution: setup.institution,
    admin: { username: adminUsername, password: DEMO_PASSWORD },
    teachers,
    students,
    password: DEMO_PASSWORD,
  };
}
