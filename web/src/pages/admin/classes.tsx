import { Anchor, Button, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { Capacity } from './class-capacity';

const PAGE_SIZE = 25;
const GRADES = Array.from({ length: 12 }, (_, index) => String(index + 1));

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
              <Table.ScrollContainer minWidth={560}>
                <Table striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('classes.name')}</Table.Th>
                      <Table.Th scope="col">{t('classes.grade')}</Table.Th>
                      <Table.Th scope="col">{t('classes.section')}</Table.Th>
                      <Table.Th scope="col">{t('classes.homeroomTeacher')}</Table.Th>
                      <Table.Th scope="col">{t('classes.students')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
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
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <ListPagination total={list.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
            </>
          )
        }
      </QueryState>
      <Modal opened={creating} onClose={close} title={t('classes.createTitle')}>
        <CreateClassForm
          onCreated={(id) => {
            close();
            void queryClient.invalidateQueries({ queryKey: ['classes'] });
            void navigate(`/admin/classes/${id}`);
          }}
        />
      </Modal>
    </Stack>
  );
}

function CreateClassForm({ onCreated }: { onCreated: (id: string) => void }) {
  const [form, setForm] = useState({ name: '', grade: '', section: '', homeroomTeacherId: '', maxStudents: 40 as number | string });
  const teachers = useQuery({
    queryKey: ['users', { role: 'teacher', isActive: true, limit: 200 }],
    queryFn: () => unwrap(api.GET('/api/users', { params: { query: { role: 'teacher', isActive: true, limit: 200 } } })),
  });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/classes', {
          body: {
            name: form.name.trim(),
            grade: Number(form.grade),
            section: form.section.trim(),
            maxStudents: Number(form.maxStudents),
            ...(form.homeroomTeacherId ? { homeroomTeacherId: form.homeroomTeacherId } : {}),
          },
        }),
      ),
    onSuccess: (created) => onCreated(created.id),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <FormError error={create.error ?? teachers.error} />
        <TextInput label={t('classes.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-autofocus />
        <Select
          label={t('classes.grade')}
          required
          data={GRADES}
          value={form.grade || null}
          onChange={(value) => setForm({ ...form, grade: value ?? '' })}
        />
        <TextInput label={t('classes.section')} required value={form.section} onChange={(e) => setForm({ ...form, section: e.currentTarget.value })} />
        <Select
          label={t('classes.homeroomTeacher')}
          searchable
          clearable
          data={(teachers.data?.items ?? []).map((teacher) => ({ value: teacher.id, label: teacher.name }))}
          value={form.homeroomTeacherId || null}
          onChange={(value) => setForm({ ...form, homeroomTeacherId: value ?? '' })}
        />
        <NumberInput label={t('classes.maxStudents')} required min={1} max={200} value={form.maxStudents} onChange={(value) => setForm({ ...form, maxStudents: value })} />
        <Button type="submit" loading={create.isPending}>
          {t('classes.createSubmit')}
        </Button>
      </Stack>
    </form>
  );
}
