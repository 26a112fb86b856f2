import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { isoDay, shiftDay } from '../../lib/iso-day';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';
import { ChildLinks, useChild } from './child';

type Report = ResponseOf<'/api/students/{id}/attendance', 'get'>;
type Status = Report['marks'][number]['status'];

const STATUS_COLOR: Record<Status, string> = { present: 'green', absent: 'red', late: 'orange', excused: 'blue' };
const STATUSES: Status[] = ['present', 'absent', 'late', 'excused'];

/** A local calendar date, `days` from today. */
const dayFromToday = (days: number) => shiftDay(isoDay(), days);

function Summary({ report }: { report: Report }) {
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('attendance.rate')}
          </Text>
          <Text fw={700} data-testid="attendance-rate">
            {report.rate === null ? '–' : `${Math.round(report.rate * 1000) / 10} %`}
          </Text>
        </Card>
        {STATUSES.map((status) => (
          <Card key={status} withBorder>
            <Text size="xs" c="dimmed">
              {t(`attendance.status.${status}`)}
            </Text>
            <Text fw={700}>{report.counts[status]}</Text>
          </Card>
        ))}
      </SimpleGrid>
      {report.marks.length === 0 ? (
        <Text c="dimmed">{t('attendance.noMarks')}</Text>
      ) : (
        <ScrollTable
          label={t('attendance.marks')}
          nameTable
          minWidth={480}
          columns={[t('attendance.date'), t('week.period'), t('attendance.subject'), t('attendance.statusColumn')]}
        >
          {report.marks.map((mark) => (
            <Table.Tr key={`${mark.date}-${mark.period}`}>
              <Table.Td>{mark.date}</Table.Td>
              <Table.Td>{mark.period}</Table.Td>
              <Table.Td>{mark.subject.name}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[mark.status]} variant="light">
                  {t(`attendance.status.${mark.status}`)}
                </Badge>
                {mark.minutesLate ? ` ${t('attendance.minutesLate', { minutes: mark.minutesLate })}` : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </ScrollTable>
      )}
    </Stack>
  );
}

function ReportAbsence({ studentId, onReported }: { studentId: string; onReported: () => Promise<unknown> }) {
  const [from, setFrom] = useState(dayFromToday(1));
  const [to, setTo] = useState(dayFromToday(1));
  const [reason, setReason] = useState('');
  const report = useMutation({
    mutationFn: () => unwrap(api.POST('/api/students/{id}/absences', { params: { path: { id: studentId } }, body: { from, to, reason } })),
    onSuccess: async () => {
      setReason('');
      await onReported();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    report.mutate();
  }
  return (
    <Card withBorder component="section" aria-labelledby="report-absence">
      <form onSubmit={submit}>
        <Stack>
          <Title order={2} size="h4" id="report-absence">
            {t('absences.report')}
          </Title>
          <FormError error={report.error} />
          {report.isSuccess ? (
            <Alert color="green" role="status">
              {t('absences.reported')}
            </Alert>
          ) : null}
          <Group grow align="start">
            <TextInput type="date" label={t('absences.from')} required value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput type="date" label={t('absences.to')} required min={from} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          </Group>
          <TextInput label={t('absences.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <Button type="submit" loading={report.isPending}>
            {t('absences.submit')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

/** A child's last 30 days of attendance, their known absences and the form to report one ahead. */
export function ChildAttendancePage() {
  const { studentId, child } = useChild();
  const queryClient = useQueryClient();
  const from = dayFromToday(-29);
  const to = isoDay();
  const attendance = useQuery({
    queryKey: ['attendance', 'students', studentId, from, to],
    queryFn: () => unwrap(api.GET('/api/students/{id}/attendance', { params: { path: { id: studentId }, query: { from, to } } })),
  });
  const absencesKey = ['absences', 'students', studentId];
  const absences = useQuery({
    queryKey: absencesKey,
    queryFn: () => unwrap(api.GET('/api/students/{id}/absences', { params: { path: { id: studentId } } })),
  });

  return (
    <Stack>
      <ChildLinks studentId={studentId} name={child?.name ?? ''} />
      <Title order={1}>{child ? t('children.attendanceOf', { name: child.name }) : t('children.attendance')}</Title>
      <Text size="sm" c="dimmed">
        {t('attendance.period', { from, to })}
      </Text>
      <QueryState query={attendance}>{(report) => <Summary report={report} />}</QueryState>
      <Title order={2} size="h3">
        {t('absences.title')}
      </Title>
      <QueryState query={absences}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">{t('absences.empty')}</Text>
          ) : (
            <Stack gap="xs" component="ul" aria-label={t('absences.title')} style={{ listStyle: 'none', padding: 0 }}>
              {rows.map((absence) => (
                <Card key={absence.id} withBorder component="li" p="sm">
                  <Text size="sm" fw={600}>
                    {absence.from === absence.to ? absence.from : t('absences.range', { from: absence.from, to: absence.to })}
                  </Text>
                  <Text size="sm">{absence.reason}</Text>
                  <Text size="xs" c="dimmed">
                    {t('absences.by', { name: absence.createdBy.name })}
                  </Text>
                </Card>
              ))}
            </Stack>
          )
        }
      </QueryState>
      <ReportAbsence
        studentId={studentId}
        onReported={() =>
          Promise.all([
            queryClient.invalidateQueries({ queryKey: absencesKey }),
            queryClient.invalidateQueries({ queryKey: ['attendance', 'students', studentId] }),
          ])
        }
      />
    </Stack>
  );
}
