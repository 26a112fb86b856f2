import { Button, Group, Loader, Modal, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { useChildren } from '../guardian/child';
import { QueryState } from '../query-state';
import { addDays, addMonths, dateIn, formatDay, isIsoDate, mondayOf, monthWeeks } from './calendar-dates';
import { MonthView, WeekView } from './calendar-views';
import { EventDetails } from './event-details';
import { EventError } from './event-error';
import { type CalendarView, calendarKey, type Occurrence } from './occurrences';

type View = 'month' | 'week';

/** The form (pickers, the repeat builder) loads when an admin or teacher first opens it: others never need it. */
const EventForm = lazy(async () => ({ default: (await import('./event-form')).EventForm }));

/** What the page shows, kept in the address: `?view=week&date=2026-12-07&student=<id>`. */
function useCalendarAddress(today: string) {
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'week' ? 'week' : 'month';
  const requested = params.get('date');
  const date = isIsoDate(requested) ? requested : today;
  const student = params.get('student');
  const go = (change: { view?: View; date?: string; student?: string | null }) => {
    const next = { view, date, student, ...change };
    const entries: Record<string, string> = {};
    if (next.view === 'week') entries.view = 'week';
    if (next.date !== today) entries.date = next.date;
    if (next.student) entries.student = next.student;
    setParams(entries);
  };
  return { view, date, student, go };
}

/** A guardian looks at all their children's classes, or at one child's calendar. */
function ChildChooser({ value, onChange }: { value: string | null; onChange: (student: string | null) => void }) {
  const children = useChildren();
  if (!children.data || children.data.length < 2) return null;
  return (
    <Select
      label={t('calendar.whose')}
      maw={320}
      allowDeselect={false}
      value={value ?? 'all'}
      onChange={(choice) => onChange(choice === 'all' ? null : choice)}
      data={[{ value: 'all', label: t('calendar.allChildren') }, ...children.data.map((child) => ({ value: child.id, label: child.name }))]}
    />
  );
}

/** Deleting removes the event's occurrences from every cached range at once, and puts them back if the server refuses. */
function useDeleteEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (occurrence: Occurrence) => unwrap(api.DELETE('/api/calendar/events/{id}', { params: { path: { id: occurrence.eventId } } })),
    onMutate: async (occurrence) => {
      await queryClient.cancelQueries({ queryKey: calendarKey });
      const before = queryClient.getQueriesData<CalendarView>({ queryKey: calendarKey });
      queryClient.setQueriesData<CalendarView>({ queryKey: calendarKey }, (data) =>
        data && 'occurrences' in data ? { ...data, occurrences: data.occurrences.filter((other) => other.eventId !== occurrence.eventId) } : data,
      );
      return { before };
    },
    onError: (_error, _occurrence, context) => {
      for (const [queryKey, data] of context?.before ?? []) queryClient.setQueryData(queryKey, data);
    },
    onSettled: (_data, _error, occurrence) => {
      void queryClient.invalidateQueries({ queryKey: calendarKey });
      if (occurrence.type === 'holiday') void queryClient.invalidateQueries({ queryKey: ['timetable'] });
    },
  });
}

type Dialog = { kind: 'details'; occurrence: Occurrence } | { kind: 'edit'; occurrence: Occurrence } | { kind: 'create' } | null;

/** The browser's zone, until the calendar's first answer names the institution's. */
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Days and times are the institution's: "today" is today in its zone, which each calendar answer
 * carries (GET /api/settings/institution is not open to guardians). Until the first answer the
 * browser's zone stands in; the range it picks is corrected once the answer names the zone.
 */
export function CalendarPage() {
  const { user } = useAccount();
  const role = user.role;
  const [zone, setZone] = useState<string | null>(null);
  const timeZone = zone ?? browserZone;
  const today = dateIn(timeZone);
  const { view, date, student, go } = useCalendarAddress(today);
  const [dialog, setDialog] = useState<Dialog>(null);
  const remove = useDeleteEvent();
  const phone = useMediaQuery('(max-width: 48em)');
  const weeks = monthWeeks(date);
  const monday = mondayOf(date);
  const [from, to] = view === 'month' ? [weeks[0]![0]!, weeks.at(-1)!.at(-1)!] : [monday, addDays(monday, 6)];
  const calendar = useQuery({
    queryKey: [...calendarKey, student ?? 'own', from, to],
    queryFn: () => unwrap(api.GET('/api/calendar', { params: { query: { from, to, ...(student ? { studentId: student } : {}) } } })),
    placeholderData: keepPreviousData,
  });
  const answeredZone = calendar.data?.timeZone;
  if (answeredZone && answeredZone !== zone) setZone(answeredZone);
  const mayWrite = (role === 'admin' || role === 'teacher') && zone !== null;
  const step = (direction: 1 | -1) => go({ date: view === 'month' ? addMonths(date, direction) : addDays(date, 7 * direction) });
  const title = view === 'month' ? formatDay(date, { month: 'long', year: 'numeric' }) : t('calendar.weekOf', { date: formatDay(monday, { day: 'numeric', month: 'long', year: 'numeric' }) });
  const close = () => setDialog(null);
  const open = (occurrence: Occurrence) => setDialog({ kind: 'details', occurrence });

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            {t('calendar.title')}
          </Text>
          <Title order={1}>{title}</Title>
        </Stack>
        {mayWrite && <Button onClick={() => setDialog({ kind: 'create' })}>{t('calendar.newEvent')}</Button>}
      </Group>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Button variant="default" onClick={() => step(-1)}>
            {t(`calendar.previous.${view}`)}
          </Button>
          <Button variant="default" onClick={() => go({ date: today })} disabled={date === today}>
            {t('calendar.today')}
          </Button>
          <Button variant="default" onClick={() => step(1)}>
            {t(`calendar.next.${view}`)}
          </Button>
        </Group>
        <SegmentedControl
          aria-label={t('calendar.view')}
          value={view}
          onChange={(value) => go({ view: value as View })}
          data={[
            { value: 'month', label: t('calendar.view.month') },
            { value: 'week', label: t('calendar.view.week') },
          ]}
        />
      </Group>
      {role === 'guardian' && <ChildChooser value={student} onChange={(choice) => go({ student: choice })} />}
      {zone && (
        <Text size="sm" c="dimmed">
          {t('calendar.timeZone', { timeZone: zone })}
        </Text>
      )}
      <EventError error={remove.error} />
      <QueryState query={calendar}>
        {(data) =>
          view === 'month' ? (
            <MonthView date={date} today={today} weeks={weeks} occurrences={data.occurrences} onOpen={open} />
          ) : (
            <WeekView date={monday} today={today} occurrences={data.occurrences} onOpen={open} />
          )
        }
      </QueryState>
      <Modal
        opened={dialog !== null}
        onClose={close}
        fullScreen={phone}
        size="lg"
        closeButtonProps={{ 'aria-label': t('calendar.close') }}
        title={
          dialog?.kind === 'create' ? t('calendar.form.newTitle') : dialog?.kind === 'edit' ? t('calendar.form.editTitle') : (dialog?.occurrence.title ?? '')
        }
      >
        {dialog?.kind === 'details' && (
          <EventDetails
            occurrence={dialog.occurrence}
            role={role}
            timeZone={timeZone}
            onEdit={() => setDialog({ kind: 'edit', occurrence: dialog.occurrence })}
            onDelete={() => {
              remove.mutate(dialog.occurrence);
              close();
            }}
            onClose={close}
          />
        )}
        {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
          <Suspense fallback={<Loader size="sm" aria-label={t('app.loading')} />}>
            <EventForm role={role} timeZone={timeZone} editing={dialog.kind === 'edit' ? dialog.occurrence.eventId : undefined} date={date} onDone={close} />
          </Suspense>
        )}
      </Modal>
    </Stack>
  );
}
