/**
 * `GET /api/guardians/me/children` for `npm run bench`: guardian001 of the demo school, whose
 * three children sit in three classes, against a bare Fastify route sending the same JSON in the
 * same run (target >= 0.3). The list (children, their class and homeroom teacher) is one statement
 * that PostgreSQL writes as JSON, uncached. A child's timetable as the guardian reads it is timed
 * next to it, for the cost of the guardian check in front of a cached answer.
 */

interface Probe {
  label: string;
  path: string;
  token?: string;
  target?: number;
}

/** What bench/run.ts lends: the guardian's token, its request helper and the comparison with bare routes. */
export interface GuardiansBench {
  apiUrl: string;
  token: string;
  send(apiUrl: string, method: string, path: string, token: string): Promise<Record<string, any>>;
  compare(probes: Probe[]): Promise<void>;
}

const PATH = '/api/guardians/me/children';

export async function benchGuardians({ apiUrl, token, send, compare }: GuardiansBench): Promise<void> {
  const children = (await send(apiUrl, 'GET', PATH, token)) as unknown as { id: string; class: { name: string } | null }[];
  const [first] = children;
  if (!first) throw new Error('the demo guardian has no children');
  console.log(`\nguardians: the demo guardian has ${children.length} children (${children.map((child) => child.class?.name ?? 'no class').join(', ')})`);
  await compare([
    { label: `GET ${PATH} (${children.length} children)`, path: PATH, token, target: 0.3 },
    { label: 'GET /api/timetable/students/:id (guardian)', path: `/api/timetable/students/${first.id}`, token },
  ]);
}
