import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** One lesson's register on one date: the register page and the teacher's list of today share it (and its cache). */
export function registerQuery(lessonId: string, date: string) {
  return queryOptions({
    queryKey: ['attendance', 'register', lessonId, date],
    queryFn: () => unwrap(api.GET('/api/schedules/{lessonId}/attendance', { params: { path: { lessonId }, query: { date } } })),
  });
}
