import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';
import { usePagedRows } from '../teaching/paged-rows';
import { formatDateTime, isOverdue, type MyAssignments, type StudentAssignment, type TeacherAssignment } from './format';
import { StatusBadges } from './status-badges';

/** Hand-ins and grades change by other people's hands: these queries refetch on every visit (staleTime 0). */
export const myAssignmentsKey = ['assignments', 'mine'] as const;

/** Rows a page: the API answers a person's assignments all at once. */
const PAGE_SIZE = 25;

function TeacherTable({ rows }: { rows: TeacherAssignment[] }) {
  const { page, setPage, shown } = usePagedRows(rows, PAGE_SIZE);
  if (rows.length === 0) return <Text c="dimmed">{t('assignments.emptyTeacher')}</Text>;
  return (
    <Stack>
      <ScrollTable
        label={t('assignments.pageTitle')}
        minWidth={640}
        highlightOnHover
        columns={[t('assignments.title'), t('assignments.classes'), t('assignments.due'), t('assignments.submitted'), t('assignments.graded'), t('assignments.late'), t('assignments.missing')]}
      >
        {shown.map((row) => (
          <Table.Tr key={row.id}>
            <Table.Td>
              <Anchor component={Link} to={`/assignments/${row.id}`}>
                {row.title}
              </Anchor>
            </Table.Td>
            <Table.Td>{row.classes.map((entry) => entry.name).join(', ')}</Table.Td>
            <Table.Td>{formatDateTime(row.dueAt)}</Table.Td>
            <Table.Td>{t('assignments.ofStudents', { count: row.counts.submitted, students: row.counts.students })}</Table.Td>
            <Table.Td>{row.counts.graded}</Table.Td>
            <Table.Td>{row.counts.late}</Table.Td>
            <Table.Td c={row.counts.missing > 0 ? 'red.8' : undefined}>{row.counts.missing}</Table.Td>
          </Table.Tr>
        ))}
      </ScrollTable>
      <ListPagination total={rows.length} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </Stack>
  );
}

/** A student's assignments with status, due date (red when overdue) and released grades; `linked` opens each one (not for guardians). */
export function StudentTable({ rows, linked = true }: { rows: StudentAssignment[]; linked?: boolean }) {
  const { page, setPage, shown } = usePagedRows(rows, PAGE_SIZE);
  if (rows.length === 0) return <Text c="dimmed">{t('assignments.emptyStudent')}</Text>;
  const now = Date.now();
  return (
    <Stack>
      <ScrollTable
        label={t('assignments.pageTitle')}
        minWidth={560}
        highlightOnHover
        columns={[t('assignments.title'), t('assignments.due'), t('assignments.statusColumn'), t('assignments.grade')]}
      >
        {shown.map((row) => {
          const overdue = isOverdue(row, now);
          return (
            <Table.Tr key={row.id}>
              <Table.Td>
                {linked ? (
                  <Anchor component={Link} to={`/assignments/${row.id}`}>
                    {row.title}
                  </Anchor>
                ) : (
                  <Text size="sm">{row.title}</Text>
                )}
                <Text size="xs" c="dimmed">
                  {row.subject ? `${row.subject.name} · ` : ''}
                  {row.teacher.name}
                </Text>
              </Table.Td>
              <Table.Td c={overdue ? 'red.8' : undefined} fw={overdue ? 600 : undefined} data-overdue={overdue || undefined}>
                {formatDateTime(row.dueAt)}
                {overdue ? ` · ${t('assignments.overdue')}` : ''}
              </Table.Td>
              <Table.Td>
                <StatusBadges status={row.status} late={row.late} />
              </Table.Td>
              <Table.Td>
                {row.points !== null ? t('assignments.points', { points: row.points, max: row.maxPoints }) : '–'}
                {row.feedback ? (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {row.feedback}
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </ScrollTable>
      <ListPagination total={rows.length} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </Stack>
  );
}

export function AssignmentsPage() {
  const { user } = useAccount();
  const teacher = user.role === 'teacher';
  const query = useQuery({
    queryKey: myAssignmentsKey,
    queryFn: () => unwrap(api.GET('/api/assignments/my-assignments')),
    staleTime: 0,
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('assignments.pageTitle')}</Title>
        {teacher ? (
          <Button component={Link} to="/assignments/new">
            {t('assignments.create')}
          </Button>
        ) : null}
      </Group>
      <QueryState query={query}>
        {(rows: MyAssignments) =>
          teacher ? <TeacherTable rows={rows as TeacherAssignment[]} /> : <StudentTable rows={rows as StudentAssignment[]} />
        }
      </QueryState>
    </Stack>
  );
}
