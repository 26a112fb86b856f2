import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';

export type Assignment = ResponseOf<'/api/assignments/{id}', 'get'>;

export const assignmentKey = (id: string) => ['assignments', id] as const;

/** One assignment with its files: its page and its edit form. */
export function useAssignment(id: string) {
  return useQuery({
    queryKey: assignmentKey(id),
    queryFn: () => unwrap(api.GET('/api/assignments/{id}', { params: { path: { id } } })),
  });
}
