/**
 * `GET /api/assignments/my-assignments` for `npm run bench`: a student of the demo school with 200
 * assignments, and the teacher who set them, each against a bare Fastify route sending the same
 * JSON in the same run (target >= 0.3 for the student). The answers come from the per-instance
 * cache (modules/assignments/cache.ts) once read; nothing changes them while the load runs.
 */
import { mapWithConcurrency } from '../src/lib/concurrency.js';

const ASSIGNMENTS = 200;
const PATH = '/api/assignments/my-assignments';

type Send = (apiUrl: string, method: string, path: string, token: string, body?: unknown) => Promise<Record<string, any>>;

export interface AssignmentsBench {
  apiUrl: string;
  tokens: { admin: string; student: string; teacher: string };
  send: Send;
  /** Measures the routes against bare routes sending their JSON, and prints the table. */
  compare(probes: { label: string; path: string; token: string; target?: number }[]): Promise<void>;
}

/** Tops the student's class up to 200 assignments, all set by the teacher (through the API, 4 at a time). */
async function setWork({ apiUrl, tokens, send }: AssignmentsBench): Promise<number> {
  const [klass] = (await send(apiUrl, 'GET', '/api/classes/my-classes', tokens.student)) as unknown as { id: string }[];
  if (!klass) throw new Error('the demo student is in no class');
  const { user: teacher } = await send(apiUrl, 'GET', '/api/auth/me', tokens.teacher);
  const existing = ((await send(apiUrl, 'GET', PATH, tokens.student)) as unknown as unknown[]).length;
  const numbers = Array.from({ length: Math.max(0, ASSIGNMENTS - existing) }, (_, index) => index);
  const day = 24 * 3_600_000;
  await mapWithConcurrency(numbers, 4, (n) =>
    send(apiUrl, 'POST', '/api/assignments', tokens.admin, {
      title: `Bench assignment ${n + 1}`,
      description: 'Read the chapter and answer the questions at its end.',
      classIds: [klass.id],
      teacherId: teacher.id,
      // Due dates spread over the year ahead, so none passes during the run.
      dueAt: new Date(Date.now() + (n + 2) * day).toISOString(),
      maxPoints: 10 + (n % 90),
    }),
  );
  return ((await send(apiUrl, 'GET', PATH, tokens.student)) as unknown as unknown[]).length;
}

export async function benchAssignments(bench: AssignmentsBench): Promise<void> {
  const started = performance.now();
  const count = await setWork(bench);
  console.log(`\nmy-assignments: the demo student has ${count} assignments (set in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await bench.compare([
    { label: `GET ${PATH} (student, ${count})`, path: PATH, token: bench.tokens.student, target: 0.3 },
    { label: `GET ${PATH} (teacher)`, path: PATH, token: bench.tokens.teacher },
  ]);
}
