import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { BellSchedule, Lesson } from './lessons';

export const LESSONS_KEY = ['timetable-editor', 'lessons'] as const;
const BELL_KEY = ['bell-schedule'] as const;

const LESSON_PAGE = 1000;

/** The institution's whole week: the grids show one class, teacher or room of it, the clash checks need all of it. */
async function loadAllLessons(): Promise<Lesson[]> {
  const first = await unwrap(api.GET('/api/schedules', { params: { query: { limit: LESSON_PAGE, page: 1 } } }));
  const pages = Math.ceil(first.total / LESSON_PAGE);
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, pages - 1) }, (_, index) =>
      unwrap(api.GET('/api/schedules', { params: { query: { limit: LESSON_PAGE, page: index + 2 } } })),
    ),
  );
  return [first, ...rest].flatMap((page) => page.items);
}

/** Every lesson of the institution, shared by the editor, the generator's preview and printing. */
export function useAllLessons() {
  return useQuery({ queryKey: LESSONS_KEY, queryFn: loadAllLessons });
}

export function useBellSchedule() {
  return useQuery({ queryKey: BELL_KEY, queryFn: (): Promise<BellSchedule> => unwrap(api.GET('/api/bell-schedule')) });
}
