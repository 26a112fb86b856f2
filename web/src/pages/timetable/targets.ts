import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { TargetKind } from './lessons';

export interface TargetOption {
  value: string;
  label: string;
}

/** Up to the API's page size: a school has far fewer classes, teachers or rooms than that. */
const LIST_LIMIT = 200;

async function loadTargets(kind: TargetKind): Promise<TargetOption[]> {
  const page =
    kind === 'class'
      ? await unwrap(api.GET('/api/classes', { params: { query: { limit: LIST_LIMIT } } }))
      : kind === 'teacher'
        ? await unwrap(api.GET('/api/users', { params: { query: { role: 'teacher', isActive: true, limit: LIST_LIMIT } } }))
        : await unwrap(api.GET('/api/rooms', { params: { query: { limit: LIST_LIMIT } } }));
  return page.items.map((item: { id: string; name: string }) => ({ value: item.id, label: item.name }));
}

/** The classes, teachers or rooms a timetable can be shown for, as select options. */
export function useTargets(kind: TargetKind) {
  return useQuery({ queryKey: ['timetable-editor', 'targets', kind], queryFn: () => loadTargets(kind) });
}
