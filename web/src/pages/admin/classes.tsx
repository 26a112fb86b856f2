import { Anchor, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';
import { Capacity } from './class-capacity';
import { GRADES } from './grades';
import { ClassForm, OnDemand } from './on-demand';

const PAGE_SIZE = 25;

export function ClassesPage() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [grade, setGrade] = useState('');
  const [page, setPage] = useState(1);
  const [creating, { open, close }] = useDisclosure();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const query = { ...(q ? { q } : {}), ...(grade ? { grade: Number(grade) } : {}), page, limit: PAGE_SIZE };
  const classes = useQuery({
    queryKey: ['classes', query],
    queryFn: () => unwrap(api.GET('/api/classes', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('classes.title')}</Title>
        <Button onClick={open}>{t('classes.create')}</Button>
      </Group>
      <Group align="end" grow preventGrowOverflow={false}>
        <TextInput
          label={t('classes.search')}
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
        />
        <Select
          label={t('classes.grade')}
          data={[{ value: '', label: t('classes.allGrades') }, ...GRADES.map((value) => ({ value, label: t('classes.gradeN', { grade: value }) }))]}
          value={grade}
          allowDeselect={false}
          onChange={(value) => {
            setGrade(value ?? '');
            setPage(1);
          }}
        />
      </Group>
      <QueryState query={classes}>
        {(list) =>
          list.items.length === 0 ? (
            <Text>{t('classes.empty')}</Text>
          ) : (
            <>
              <ScrollTable
                label={t('classes.title')}
                minWidth={560}
                highlightOnHover
                columns={[t('classes.name'), t('classes.grade'), t('classes.section'), t('classes.homeroomTeacher'), t('classes.students')]}
              >
                {list.items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/classes/${item.id}`}>
                        {item.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{item.grade}</Table.Td>
                    <Table.Td>{item.section}</Table.Td>
                    <Table.Td>{item.homeroomTeacher?.name ?? '–'}</Table.Td>
                    <Table.Td>
                      <Capacity count={item.studentCount} max={item.maxStudents} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </ScrollTable>
              <ListPagination total={list.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
            </>
          )
        }
      </QueryState>
      <Modal opened={creating} onClose={close} title={t('classes.createTitle')} closeButtonProps={{ 'aria-label': t('catalog.close') }}>
        <OnDemand>
          <ClassForm
            onSaved={(id) => {
              close();
              void queryClient.invalidateQueries({ queryKey: ['classes'] });
              void navigate(`/admin/classes/${id}`);
            }}
          />
        </OnDemand>
      </Modal>
    </Stack>
  );
}
