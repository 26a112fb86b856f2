import { Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';
import { ClassLinks } from './class-links';
import { useMyClass } from './my-classes';

const PAGE_SIZE = 50;

/** A class's students, a page at a time. */
export function ClassStudentsPage() {
  const { id, schoolClass } = useMyClass();
  const [page, setPage] = useState(1);
  const students = useQuery({
    queryKey: ['classes', id, 'students', page],
    queryFn: () => unwrap(api.GET('/api/classes/{id}/students', { params: { path: { id }, query: { page, limit: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const name = schoolClass?.name ?? '';
  return (
    <Stack>
      <Title order={1}>{t('teaching.classes.studentsTitle', { name })}</Title>
      <ClassLinks classId={id} name={name} />
      <QueryState query={students}>
        {(list) =>
          list.total === 0 ? (
            <Text role="status">{t('teaching.classes.noStudents')}</Text>
          ) : (
            <>
              <ScrollTable
                label={t('teaching.classes.studentsTitle', { name })}
                minWidth={480}
                columns={[t('teaching.classes.name'), t('teaching.classes.username'), t('teaching.classes.email')]}
              >
                {list.items.map((student) => (
                  <Table.Tr key={student.id}>
                    <Table.Th scope="row" fw={400}>
                      {student.name}
                    </Table.Th>
                    <Table.Td>{'username' in student ? student.username : '–'}</Table.Td>
                    <Table.Td>{'email' in student && student.email ? student.email : '–'}</Table.Td>
                  </Table.Tr>
                ))}
              </ScrollTable>
              <Text size="sm" c="dimmed">
                {t('teaching.classes.total', { count: list.total })}
              </Text>
              <ListPagination total={list.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
