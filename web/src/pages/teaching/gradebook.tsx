import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { downloadWithToken } from '../../api/files';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { formatDateTime } from '../assignments/format';
import { FormError } from '../form-error';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ClassLinks } from './class-links';
import { useMyClass } from './my-classes';
import { usePagedRows } from './paged-rows';

type Gradebook = ResponseOf<'/api/classes/{id}/gradebook', 'get'>;

/** Students per page: a class holds up to 200, and each row is as wide as the class's assignments. */
const PAGE_SIZE = 50;

/** The first column stays in view while the assignments scroll sideways (a phone shows one or two). */
const stickyColumn = { position: 'sticky', left: 0, zIndex: 1, background: 'var(--mantine-color-body)' } as const;

/** A file name from the class's name: letters, digits and dashes only. */
export function gradebookFileName(className: string): string {
  const safe = className.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return `gradebook-${safe || 'class'}.csv`;
}

function GradebookTable({ gradebook }: { gradebook: Gradebook }) {
  const { assignments, students } = gradebook;
  const { page, setPage, shown } = usePagedRows(students, PAGE_SIZE);
  if (students.length === 0) return <Text role="status">{t('teaching.classes.noStudents')}</Text>;
  if (assignments.length === 0) return <Text role="status">{t('teaching.gradebook.noAssignments')}</Text>;
  return (
    <Stack>
      <Table.ScrollContainer
        type="native"
        minWidth={160 + assignments.length * 120}
        tabIndex={0}
        role="region"
        aria-label={t('teaching.gradebook.title', { name: gradebook.class.name })}
      >
        <Table withColumnBorders striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" style={stickyColumn}>
                {t('teaching.classes.name')}
              </Table.Th>
              {assignments.map((assignment) => (
                <Table.Th key={assignment.id} scope="col" miw={120}>
                  <Anchor component={Link} to={`/assignments/${assignment.id}`} size="sm">
                    {assignment.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t('teaching.gradebook.outOf', { max: assignment.maxPoints })}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('assignments.dueOn', { date: formatDateTime(assignment.dueAt) })}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((student) => (
              <Table.Tr key={student.id}>
                <Table.Th scope="row" fw={400} style={stickyColumn}>
                  {student.name}
                </Table.Th>
                {student.points.map((points, index) => (
                  <Table.Td key={assignments[index]?.id ?? index} ta="end">
                    {points ?? '–'}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {t('teaching.gradebook.legend')}
      </Text>
      <ListPagination total={students.length} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </Stack>
  );
}

/** A class's students against its assignments with the points given, and the same as a CSV file. */
export function GradebookPage() {
  const { id, schoolClass } = useMyClass();
  const gradebook = useQuery({
    queryKey: ['classes', id, 'gradebook'],
    queryFn: () => unwrap(api.GET('/api/classes/{id}/gradebook', { params: { path: { id } } })),
    staleTime: 0,
  });
  const name = gradebook.data?.class.name ?? schoolClass?.name ?? '';
  const download = useMutation({
    mutationFn: () => downloadWithToken(`/api/classes/${id}/gradebook`, gradebookFileName(name), 'text/csv'),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('teaching.gradebook.title', { name })}</Title>
        <Button variant="default" onClick={() => download.mutate()} loading={download.isPending}>
          {t('teaching.gradebook.download')}
        </Button>
      </Group>
      <ClassLinks classId={id} name={name} />
      <FormError error={download.error} />
      <QueryState query={gradebook}>{(data) => <GradebookTable gradebook={data} />}</QueryState>
    </Stack>
  );
}
