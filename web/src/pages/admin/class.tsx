import { Badge, Button, Group, MultiSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { Capacity } from './class-capacity';

/** One class for an admin: capacity, students (enroll, remove) and its curriculum with scheduled / missing periods. */
export function ClassPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['classes', id], queryFn: () => unwrap(api.GET('/api/classes/{id}', { params: { path: { id } } })) });
  const students = useQuery({
    queryKey: ['classes', id, 'students'],
    queryFn: () => unwrap(api.GET('/api/classes/{id}/students', { params: { path: { id }, query: { limit: 200 } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['classes'] });
  const remove = useMutation({
    mutationFn: (studentId: string) => unwrap(api.DELETE('/api/classes/{id}/students/{studentId}', { params: { path: { id, studentId } } })),
    onSuccess: refresh,
  });

  return (
    <QueryState query={detail}>
      {(schoolClass) => (
        <Stack>
          <Title order={1}>{t('classes.classTitle', { name: schoolClass.name })}</Title>
          <Text>
            {t('classes.summary', { grade: schoolClass.grade, section: schoolClass.section, teacher: schoolClass.homeroomTeacher?.name ?? '–' })}
          </Text>
          <Capacity count={schoolClass.studentCount} max={schoolClass.maxStudents} />

          <Title order={2} size="h3">
            {t('classes.students')}
          </Title>
          <EnrollForm classId={id} onEnrolled={refresh} />
          <FormError error={remove.error} />
          <QueryState query={students}>
            {(list) =>
              list.items.length === 0 ? (
                <Text>{t('classes.noStudents')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={420}>
                  <Table striped aria-label={t('classes.students')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('users.name')}</Table.Th>
                        <Table.Th scope="col">{t('users.username')}</Table.Th>
                        <Table.Th scope="col">{t('users.actions')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
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
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )
            }
          </QueryState>

          <Title order={2} size="h3">
            {t('classes.curriculum')}
          </Title>
          {schoolClass.curriculum.length === 0 ? (
            <Text>{t('classes.noCurriculum')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table striped aria-label={t('classes.curriculum')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('subjects.name')}</Table.Th>
                    <Table.Th scope="col">{t('role.teacher')}</Table.Th>
                    <Table.Th scope="col">{t('rooms.name')}</Table.Th>
                    <Table.Th scope="col">{t('classes.periodsPerWeek')}</Table.Th>
                    <Table.Th scope="col">{t('classes.scheduled')}</Table.Th>
                    <Table.Th scope="col">{t('classes.missing')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {schoolClass.curriculum.map((row) => {
                    const missing = Math.max(0, row.periodsPerWeek - row.scheduled);
                    return (
                      <Table.Tr key={row.subject.id}>
                        <Table.Td>{row.subject.name}</Table.Td>
                        <Table.Td>{row.teacher.name}</Table.Td>
                        <Table.Td>{row.room?.name ?? '–'}</Table.Td>
                        <Table.Td>{row.periodsPerWeek}</Table.Td>
                        <Table.Td>{row.scheduled}</Table.Td>
                        <Table.Td>
                          <Badge color={missing > 0 ? 'orange' : 'green'} variant="light">
                            {missing}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </QueryState>
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
