import { Badge, Button, Group, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { type MessageKey, t } from '../../i18n';
import { FormError } from '../form-error';
import type { SchoolClass } from './class-form';
import { bodyOf, type CurriculumRow, type DraftRow, draftOf, newRow, rowProblems } from './curriculum-rows';
import { type RecordKind, RecordSelect } from './record-select';

/** The row's three pickers, one per column: subject and teacher required, the room optional. */
const PICKERS: { kind: RecordKind; label: MessageKey; optional?: true }[] = [
  { kind: 'subject', label: 'curriculum.subjectOf' },
  { kind: 'teacher', label: 'curriculum.teacherOf' },
  { kind: 'room', label: 'curriculum.roomOf', optional: true },
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

function CurriculumTable({ rows }: { rows: CurriculumRow[] }) {
  if (rows.length === 0) return <Text>{t('classes.noCurriculum')}</Text>;
  return (
    <Table.ScrollContainer type="native" minWidth={560} tabIndex={0} role="region" aria-label={t('classes.curriculum')}>
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
          {rows.map((row) => {
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
        {rows.length === 0 ? (
          <Text>{t('classes.noCurriculum')}</Text>
        ) : (
          <Table.ScrollContainer type="native" minWidth={820} tabIndex={0} role="region" aria-label={t('curriculum.editing')}>
            <Table aria-label={t('curriculum.editing')} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('subjects.name')}</Table.Th>
                  <Table.Th scope="col">{t('role.teacher')}</Table.Th>
                  <Table.Th scope="col">{t('rooms.name')}</Table.Th>
                  <Table.Th scope="col">{t('classes.periodsPerWeek')}</Table.Th>
                  <Table.Th scope="col">{t('users.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row, index) => {
                  const problem = problems.get(row.key);
                  const number = index + 1;
                  return (
                    <Table.Tr key={row.key}>
                      {PICKERS.map((picker) => (
                        <Table.Td key={picker.kind}>
                          <RecordSelect
                            kind={picker.kind}
                            ariaLabel={t(picker.label, { row: number })}
                            clearable={picker.optional}
                            placeholder={picker.optional ? t('curriculum.anyRoom') : undefined}
                            value={row[picker.kind]}
                            onChange={(record) => update(row.key, { [picker.kind]: record })}
                            error={picker.kind === 'room' ? undefined : problem?.[picker.kind]}
                          />
                        </Table.Td>
                      ))}
                      <Table.Td>
                        <NumberInput
                          aria-label={t('curriculum.periodsOf', { row: number })}
                          min={1}
                          max={20}
                          w={110}
                          value={row.periodsPerWeek}
                          onChange={(periodsPerWeek) => update(row.key, { periodsPerWeek })}
                          error={problem?.periods}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
                          aria-label={t('curriculum.removeRow', { row: number })}
                        >
                          {t('classes.remove')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
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
