import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { t } from '../../i18n';
import { ScrollTable } from '../scroll-table';
import type { SchoolClass } from './class-form';
import { type CurriculumRow, type DraftRow, draftOf } from './curriculum-rows';
import { CurriculumEditor, OnDemand } from './on-demand';

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
        <OnDemand>
          <CurriculumEditor classId={schoolClass.id} rows={rows} onChange={setRows} onDone={() => setRows(null)} />
        </OnDemand>
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
      <ScrollTable
        label={t('classes.curriculum')}
        nameTable
        minWidth={560}
        visibleFrom="sm"
        columns={[t('subjects.name'), t('role.teacher'), t('rooms.name'), t('classes.periodsPerWeek'), t('classes.scheduled'), t('classes.missing')]}
      >
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
      </ScrollTable>
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
