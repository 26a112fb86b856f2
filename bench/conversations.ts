/**
 * `GET /api/conversations` for a user with 200 conversations, for `npm run bench`: a demo teacher
 * writes to 200 other people of the demo school (the other teachers and most students; some
 * answer, so there are unread messages too), then the list is timed against a bare route sending
 * the same JSON (target >= 0.3), as one page of 200 and as the default first page of 50; and the
 * unread count over them. Both answers come from the per-instance cache (messages/cache.ts) once
 * read: the bench measures what a client that polls its list gets.
 */
const CONVERSATIONS = 200;
const ANSWERS = 20;

interface Probe {
  label: string;
  path: string;
  token?: string;
  target?: number;
}

interface Login {
  username: string;
  password: string;
  institutionCode?: string;
}

/** What bench/run.ts lends: its request helpers, the demo's sign-ins, and the comparison with bare routes. */
export interface ConversationBench {
  apiUrl: string;
  logins: { admin: Login; teacher: Login };
  login(apiUrl: string, body: Login): Promise<string>;
  send(apiUrl: string, method: string, path: string, token: string, body?: unknown): Promise<Record<string, any>>;
  compare(probes: Probe[]): Promise<void>;
}

export async function benchConversations({ apiUrl, logins, login, send, compare }: ConversationBench): Promise<void> {
  const adminToken = await login(apiUrl, logins.admin);
  const token = await login(apiUrl, logins.teacher);
  const me = (await send(apiUrl, 'GET', '/api/auth/me', token)).user.id as string;
  // Teachers and students: a guardian writes to staff only about their child (issue 11).
  const users: { id: string; username: string }[] = [];
  for (const role of ['teacher', 'student']) users.push(...(await send(apiUrl, 'GET', `/api/users?role=${role}&limit=200`, adminToken)).items);
  const partners = users.filter((user) => user.id !== me).slice(0, CONVERSATIONS);
  if (partners.length < CONVERSATIONS) throw new Error(`the demo school has ${partners.length} people to write to, not ${CONVERSATIONS}`);
  for (const [index, partner] of partners.entries()) {
    await send(apiUrl, 'POST', '/api/messages', token, { receiverId: partner.id, message: `Reminder ${index}: the parents' evening is on Thursday at 6 pm in the hall.` });
  }
  for (const partner of partners.slice(0, ANSWERS)) {
    const partnerToken = await login(apiUrl, { ...logins.teacher, username: partner.username });
    await send(apiUrl, 'POST', '/api/messages', partnerToken, { receiverId: me, message: 'Thank you, see you there.' });
  }
  console.log('');
  await compare([
    { label: `GET /api/conversations?limit=200 (${CONVERSATIONS} conversations)`, path: '/api/conversations?limit=200', token, target: 0.3 },
    { label: `GET /api/conversations (first 50 of ${CONVERSATIONS})`, path: '/api/conversations', token, target: 0.3 },
    { label: `GET /api/messages/unread-count (${ANSWERS} unread)`, path: '/api/messages/unread-count', token },
  ]);
}
