import { Button, Group, Modal, MultiSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';
import { Capacity } from './class-capacity';
import type { SchoolClass } from './class-form';
import { Curriculum } from './curriculum';
import { ClassForm, OnDemand } from './on-demand';

const STUDENTS_PAGE = 25;

type StudentList = ResponseOf<'/api/classes/{id}/students', 'get'>;

/** One class for an admin: its details (edit, delete), capacity, students (enroll, remove) and its curriculum. */
export function ClassPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['classes', id], queryFn: () => unwrap(api.GET('/api/classes/{id}', { params: { path: { id } } })) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['classes'] });

  return (
    <QueryState query={detail}>
      {(schoolClass) => (
        <Stack>
          <Group justify="space-between">
            <Title order={1}>{t('classes.classTitle', { name: schoolClass.name })}</Title>
            <ClassActions schoolClass={schoolClass} onEdited={refresh} />
          </Group>
          <Text>
            {t('classes.summary', { grade: schoolClass.grade, section: schoolClass.section, teacher: schoolClass.homeroomTeacher?.name ?? '–' })}
          </Text>
          <Capacity count={schoolClass.studentCount} max={schoolClass.maxStudents} />

          <Title order={2} size="h3">
            {t('classes.students')}
          </Title>
          <EnrollForm classId={id} onEnrolled={refresh} />
          <Students classId={id} onRemoved={refresh} />

          <Curriculum schoolClass={schoolClass} />
        </Stack>
      )}
    </QueryState>
  );
}

/** "Edit" opens the class's form; "Delete" says what goes with the class before it goes. */
function ClassActions({ schoolClass, onEdited }: { schoolClass: SchoolClass; onEdited: () => void }) {
  const [editing, edit] = useDisclosure();
  const [deleting, confirmDelete] = useDisclosure();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/classes/{id}', { params: { path: { id: schoolClass.id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['classes', schoolClass.id] });
      void queryClient.invalidateQueries({ queryKey: ['classes'] });
      void navigate('/admin/classes', { replace: true });
    },
  });

  return (
    <Group gap="xs">
      <Button variant="light" onClick={edit.open}>
        {t('classes.edit')}
      </Button>
      <Button
        variant="light"
        color="red"
        onClick={() => {
          remove.reset();
          confirmDelete.open();
        }}
      >
        {t('classes.delete')}
      </Button>
      <Modal
        opened={editing}
        onClose={edit.close}
        title={t('classes.editTitle', { name: schoolClass.name })}
        closeButtonProps={{ 'aria-label': t('catalog.close') }}
      >
        {editing ? (
          <OnDemand>
            <ClassForm
              existing={schoolClass}
              onSaved={() => {
                edit.close();
                onEdited();
              }}
            />
          </OnDemand>
        ) : null}
      </Modal>
      <Modal
        opened={deleting}
        onClose={confirmDelete.close}
        title={t('classes.confirmDeleteTitle', { name: schoolClass.name })}
        closeButtonProps={{ 'aria-label': t('catalog.close') }}
      >
        <Stack>
          <Text>{t('classes.confirmDelete', { name: schoolClass.name, count: schoolClass.studentCount })}</Text>
          <FormError error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={confirmDelete.close}>
              {t('catalog.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              {t('classes.deleteSubmit')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}

/** The class's students a page at a time, each with "Remove". */
function Students({ classId, onRemoved }: { classId: string; onRemoved: () => void }) {
  const [page, setPage] = useState(1);
  const queryClient = useQueryClient();
  const listKey = ['classes', classId, 'students', page];
  const detailKey = ['classes', classId];
  const students = useQuery({
    queryKey: listKey,
    queryFn: () => unwrap(api.GET('/api/classes/{id}/students', { params: { path: { id: classId }, query: { page, limit: STUDENTS_PAGE } } })),
    placeholderData: keepPreviousData,
  });
  // The student leaves the list and the count at once; both come back if the server refuses.
  const remove = useMutation({
    mutationFn: (studentId: string) => unwrap(api.DELETE('/api/classes/{id}/students/{studentId}', { params: { path: { id: classId, studentId } } })),
    onMutate: async (studentId) => {
      await queryClient.cancelQueries({ queryKey: detailKey });
      const before = { list: queryClient.getQueryData<StudentList>(listKey), detail: queryClient.getQueryData<SchoolClass>(detailKey) };
      queryClient.setQueryData<StudentList>(listKey, (list) => list && { ...list, items: list.items.filter((student) => student.id !== studentId), total: list.total - 1 });
      queryClient.setQueryData<SchoolClass>(detailKey, (detail) => detail && { ...detail, studentCount: detail.studentCount - 1 });
      return before;
    },
    onError: (_error, _studentId, before) => {
      queryClient.setQueryData(listKey, before?.list);
      queryClient.setQueryData(detailKey, before?.detail);
    },
    onSettled: onRemoved,
  });

  return (
    <>
      <FormError error={remove.error} />
      <QueryState query={students}>
        {(list) =>
          list.items.length === 0 ? (
            <Text>{t('classes.noStudents')}</Text>
          ) : (
            <>
              <ScrollTable label={t('classes.students')} nameTable minWidth={420} columns={[t('users.name'), t('users.username'), t('users.actions')]}>
                {list.items.map((student) => (
                  <Table.Tr key={student.id}>
                    <Table.Td>{student.name}</Table.Td>
                    <Table.Td>{'username' in student ? student.username : ''}</Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        loading={remove.isPending && remove.variables === student.id}
                        onClick={() => remove.mutate(student.id)}
                        aria-label={t('classes.removeStudent', { name: student.name })}
                      >
                        {t('classes.remove')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </ScrollTable>
              <ListPagination total={list.total} pageSize={STUDENTS_PAGE} page={page} onChange={setPage} />
            </>
          )
        }
      </QueryState>
    </>
  );
}

interface Option {
  value: string;
  label: string;
}

/** Pick active students by name (searched on the server) and enroll them all at once. */
function EnrollForm({ classId, onEnrolled }: { classId: string; onEnrolled: () => void }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [chosen, setChosen] = useState<Option[]>([]);
  const query = { role: 'student' as const, isActive: true, limit: 50, ...(q ? { q } : {}) };
  const candidates = useQuery({ queryKey: ['users', query], queryFn: () => unwrap(api.GET('/api/users', { params: { query } })) });
  const found = (candidates.data?.items ?? []).map((student) => ({ value: student.id, label: `${student.name} (${student.username})` }));
  // The chosen ones stay among the options while the search shows others.
  const data = [...chosen, ...found.filter((option) => !chosen.some((picked) => picked.value === option.value))];
  const enroll = useMutation({
    mutationFn: () => unwrap(api.POST('/api/classes/{id}/students', { params: { path: { id: classId } }, body: { studentIds: chosen.map((option) => option.value) } })),
    onSuccess: () => {
      setChosen([]);
      onEnrolled();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen.length > 0) enroll.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <FormError error={enroll.error ?? candidates.error} />
        <Group align="end">
          <MultiSelect
            label={t('classes.enrollPick')}
            searchable
            filter={({ options }) => options}
            searchValue={search}
            onSearchChange={setSearch}
            data={data}
            value={chosen.map((option) => option.value)}
            onChange={(values) => setChosen(values.map((value) => data.find((option) => option.value === value) ?? { value, label: value }))}
            nothingFoundMessage={t('classes.noCandidates')}
            style={{ flex: 1, minWidth: 240 }}
          />
          <Button type="submit" loading={enroll.isPending} disabled={chosen.length === 0}>
            {t('classes.enroll')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
