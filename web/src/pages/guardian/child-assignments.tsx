import { Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import type { StudentAssignment } from '../assignments/format';
import { StudentTable } from '../assignments/list';
import { QueryState } from '../query-state';
import { ChildLinks, useChild } from './child';

export function ChildAssignmentsPage() {
  const { studentId, child } = useChild();
  // Grades are released by the teacher at any time: refetched on every visit.
  const query = useQuery({
    queryKey: ['assignments', 'students', studentId],
    queryFn: () => unwrap(api.GET('/api/students/{id}/assignments', { params: { path: { id: studentId } } })),
    staleTime: 0,
  });
  return (
    <Stack>
      <ChildLinks studentId={studentId} name={child?.name ?? ''} />
      <Title order={1}>{child ? t('children.assignmentsOf', { name: child.name }) : t('children.assignments')}</Title>
      <QueryState query={query}>{(rows) => <StudentTable rows={rows as StudentAssignment[]} linked={false} />}</QueryState>
    </Stack>
  );
}
