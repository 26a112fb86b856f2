import { Button, Fieldset, Group, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { type MessageKey, t } from '../../i18n';
import { FormError } from '../form-error';
import type { SchoolClass } from './class-form';
import { bodyOf, type DraftRow, newRow, rowProblems } from './curriculum-rows';
import { type RecordKind, RecordSelect } from './record-select';

/** The row's three pickers: subject and teacher required, the room optional. */
const PICKERS: { kind: RecordKind; label: MessageKey; labelOfRow: MessageKey; optional?: true }[] = [
  { kind: 'subject', label: 'subjects.name', labelOfRow: 'curriculum.subjectOf' },
  { kind: 'teacher', label: 'role.teacher', labelOfRow: 'curriculum.teacherOf' },
  { kind: 'room', label: 'rooms.name', labelOfRow: 'curriculum.roomOf', optional: true },
];

/** The curriculum being edited: a fieldset per subject, rows added and removed, saved as a whole (loaded when first opened). */
export function CurriculumEditor({ classId, rows, onChange, onDone }: { classId: string; rows: DraftRow[]; onChange: (rows: DraftRow[]) => void; onDone: () => void }) {
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
