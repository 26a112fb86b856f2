import type { FastifyInstance } from 'fastify';
import { Temporal } from 'temporal-polyfill';

interface Api {
  (method: 'GET' | 'POST', url: string, payload?: unknown): Promise<any>;
}

function adminApi(app: FastifyInstance, token: string): Api {
  return async (method, url, payload) => {
    const response = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} failed (${response.statusCode}): ${response.body}`);
    return response.json();
  };
}

/**
 * One teacher absence with cover in the demo school, through the API as the office would do it:
 * the first demo teacher is away on the Monday of the coming week (so `GET /timetable/me?week=`
 * shows it), and their first lesson that day gets the best suggested cover teacher. Their other
 * lessons that day still need cover.
 */
export async function seedCover(app: FastifyInstance, token: string, now = new Date()) {
  const api = adminApi(app, token);
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO('UTC').toPlainDate();
  const monday = today.add({ days: 8 - today.dayOfWeek }).toString();
  const teachers = (await api('GET', '/api/users?role=teacher&limit=200')).items as { id: string; username: string }[];
  const [teacher] = teachers.sort((a, b) => a.username.localeCompare(b.username));
  const absence = await api('POST', '/api/teacher-absences', { teacherId: teacher!.id, from: monday, to: monday, reason: 'Ill' });
  const first = (absence.lessons as { lesson: { id: string } }[])[0];
  if (!first) return { absences: 1, covers: 0 };
  const { suggestions } = await api('GET', `/api/cover/suggestions?lessonId=${first.lesson.id}&date=${monday}`);
  if (suggestions.length === 0) return { absences: 1, covers: 0 };
  await api('POST', '/api/cover', { lessonId: first.lesson.id, date: monday, coverTeacherId: suggestions[0].teacher.id });
  return { absences: 1, covers: 1 };
}
