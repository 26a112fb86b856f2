/**
 * The demo school's announcements, posted through the API as people would: the admin's welcome to
 * everyone, pinned for two weeks and asking for confirmation, confirmed by a few students and the
 * first teacher; and the homeroom teacher of 1A telling the class (its students, their guardians,
 * its teachers) about a trip, in Markdown.
 */
import type { FastifyInstance } from 'fastify';

const DAY = 86_400_000;
/** Who confirms the welcome: a few people, so the reads list has both halves. */
const CONFIRMING = ['student001', 'student002', 'student003', 'teacher01'];

async function api(app: FastifyInstance, token: string | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as string }), headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} failed (${response.statusCode}): ${response.body}`);
  return response.json();
}

export async function seedAnnouncements(app: FastifyInstance, school: { adminToken: string; institutionCode: string; password: string }) {
  const signIn = async (username: string) =>
    (await api(app, undefined, 'POST', '/api/auth/login', { username, password: school.password, institutionCode: school.institutionCode })).token as string;
  const welcome = await api(app, school.adminToken, 'POST', '/api/announcements', {
    title: 'Welcome to the new term',
    body: '## Welcome back!\n\n- Term starts **Monday, 8:00**\n- Lockers are handed out in the first week\n\nPlease confirm that you have read this.',
    audience: { all: true },
    pinnedUntil: new Date(Date.now() + 14 * DAY).toISOString(),
    requireConfirmation: true,
  });
  for (const username of CONFIRMING) await api(app, await signIn(username), 'POST', `/api/announcements/${welcome.id}/read`);

  const classes = (await api(app, school.adminToken, 'GET', '/api/classes?limit=200')).items as { id: string; name: string; homeroomTeacher: { id: string } | null }[];
  const firstClass = classes.find((klass) => klass.name === '1A');
  const users = (await api(app, school.adminToken, 'GET', '/api/users?role=teacher&limit=200')).items as { id: string; username: string }[];
  const homeroom = users.find((user) => user.id === firstClass?.homeroomTeacher?.id);
  if (!firstClass || !homeroom) throw new Error('the demo announcements need class 1A with its homeroom teacher');
  await api(app, await signIn(homeroom.username), 'POST', '/api/announcements', {
    title: '1A: museum trip on Friday',
    body: 'We visit the **natural history museum** on Friday.\n\n1. Meet at the school gate at 8:30\n2. Bring a packed lunch\n\nQuestions? Reply to me in Messages.',
    audience: { classIds: [firstClass.id] },
  });
  return { announcements: 2, confirmations: CONFIRMING.length };
}
