import { Badge, Button, Fieldset, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { type MessageKey, t } from '../../i18n';
import { FormError } from '../form-error';
import type { SchoolClass } from './class-form';
import { bodyOf, type CurriculumRow, type DraftRow, draftOf, newRow, rowProblems } from './curriculum-rows';
import { type RecordKind, RecordSelect } from './record-select';

/** The row's three pickers: subject and teacher required, the room optional. */
const PICKERS: { kind: RecordKind; label: MessageKey; labelOfRow: MessageKey; optional?: true }[] = [
  { kind: 'subject', label: 'subjects.name', labelOfRow: 'curriculum.subjectOf' },
  { kind: 'teacher', label: 'role.teacher', labelOfRow: 'curriculum.teacherOf' },
  { kind: 'room', label: 'rooms.name', labelOfRow: 'curriculum.roomOf', optional: true },
];

/** The class's curriculum: read with scheduled / missing periods per row, or edited and saved as a whole. */
export function Curriculum({ schoolClass }: { schoolClass: SchoolClass }) {
  const [rows, setRows] = useState<DraftRow[] | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('classes.curriculum')}
        </Title>
        {rows === null ? (
          <Button variant="light" onClick={() => setRows(schoolClass.curriculum.map(draftOf))}>
            {t('curriculum.edit')}
          </Button>
        ) : null}
      </Group>
      {rows === null ? (
        <CurriculumTable rows={schoolClass.curriculum} />
      ) : (
        <CurriculumEditor classId={schoolClass.id} rows={rows} onChange={setRows} onDone={() => setRows(null)} />
      )}
    </Stack>
  );
}

/** Periods a week not yet in the timetable, orange while any are missing. */
function Missing({ row }: { row: CurriculumRow }) {
  const missing = Math.max(0, row.periodsPerWeek - row.scheduled);
  return (
    <Badge color={missing > 0 ? 'orange' : 'green'} variant="light">
      {missing}
    </Badge>
  );
}

/** The saved curriculum: a table on a desktop, one card per subject on a phone. */
function CurriculumTable({ rows }: { rows: CurriculumRow[] }) {
  if (rows.length === 0) return <Text>{t('classes.noCurriculum')}</Text>;
  return (
    <>
      <Table.ScrollContainer type="native" minWidth={560} visibleFrom="sm" tabIndex={0} role="region" aria-label={t('classes.curriculum')}>
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
            {rows.map((row) => (
              <Table.Tr key={row.subject.id}>
                <Table.Td>{row.subject.name}</Table.Td>
                <Table.Td>{row.teacher.name}</Table.Td>
                <Table.Td>{row.room?.name ?? '–'}</Table.Td>
                <Table.Td>{row.periodsPerWeek}</Table.Td>
                <Table.Td>{row.scheduled}</Table.Td>
                <Table.Td>
                  <Missing row={row} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack hiddenFrom="sm" gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('classes.curriculum')}>
        {rows.map((row) => (
          <Paper key={row.subject.id} withBorder p="sm" component="li">
            <Text fw={600}>{row.subject.name}</Text>
            <Text size="sm">{row.room ? t('curriculum.teacherInRoom', { teacher: row.teacher.name, room: row.room.name }) : row.teacher.name}</Text>
            <Group gap="xs">
              <Text size="sm">{t('curriculum.scheduledOf', { scheduled: row.scheduled, periods: row.periodsPerWeek })}</Text>
              <Text size="sm">{t('classes.missing')}</Text>
              <Missing row={row} />
            </Group>
          </Paper>
        ))}
      </Stack>
    </>
  );
}

function CurriculumEditor({ classId, rows, onChange, onDone }: { classId: string; rows: DraftRow[]; onChange: (rows: DraftRow[]) => void; onDone: () => void }) {
  const queryClient = useQueryClient();
  const problems = rowProblems(rows);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/classes/{id}/subjects', { params: { path: { id: classId } }, body: rows.map(bodyOf) })),
    onSuccess: (curriculum) => {
      queryClient.setQueryData<SchoolClass>(['classes', classId], (old) => (old ? { ...old, curriculum } : old));
      void queryClient.invalidateQueries({ queryKey: ['classes'] });
      onDone();
    },
  });
  const update = (key: number, change: Partial<DraftRow>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (problems.size === 0) save.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">{t('curriculum.editHint')}</Text>
        {rows.length === 0 ? <Text>{t('classes.noCurriculum')}</Text> : null}
        {rows.map((row, index) => {
          const problem = problems.get(row.key);
          const number = index + 1;
          return (
            <Fieldset key={row.key} legend={t('curriculum.row', { row: number })} p="sm">
              <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
                {PICKERS.map((picker) => (
                  <RecordSelect
                    key={picker.kind}
                    kind={picker.kind}
                    label={t(picker.label)}
                    ariaLabel={t(picker.labelOfRow, { row: number })}
                    clearable={picker.optional}
                    placeholder={picker.optional ? t('curriculum.anyRoom') : undefined}
                    value={row[picker.kind]}
                    onChange={(record) => update(row.key, { [picker.kind]: record })}
                    error={picker.kind === 'room' ? undefined : problem?.[picker.kind]}
                  />
                ))}
                <NumberInput
                  label={t('classes.periodsPerWeek')}
                  aria-label={t('curriculum.periodsOf', { row: number })}
                  min={1}
                  max={20}
                  value={row.periodsPerWeek}
                  onChange={(periodsPerWeek) => update(row.key, { periodsPerWeek })}
                  error={problem?.periods}
                />
              </SimpleGrid>
              <Group justify="flex-end" mt="sm">
                <Button
                  size="xs"
                  variant="light"
                  color="red"
                  onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
                  aria-label={t('curriculum.removeRow', { row: number })}
                >
                  {t('classes.remove')}
                </Button>
              </Group>
            </Fieldset>
          );
        })}
        <Group>
          <Button variant="light" onClick={() => onChange([...rows, newRow()])}>
            {t('curriculum.addRow')}
          </Button>
        </Group>
        <FormError error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={problems.size > 0}>
            {t('curriculum.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('curriculum.discard')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
