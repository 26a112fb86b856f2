import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { Role } from '../../api/types';

/**
 * The classes someone may address (an announcement, a calendar event): an admin any class, a
 * teacher the ones they teach. Other roles address none.
 */
export function useAudienceClasses(role: Role) {
  return useQuery({
    queryKey: ['classes', 'audience', role],
    enabled: role === 'admin' || role === 'teacher',
    queryFn: async () =>
      role === 'admin'
        ? (await unwrap(api.GET('/api/classes', { params: { query: { limit: 200 } } }))).items
        : await unwrap(api.GET('/api/classes/my-classes')),
  });
}
