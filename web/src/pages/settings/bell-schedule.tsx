import { Alert, Button, Checkbox, Group, List, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';
import {
  type BellSchedule,
  type Lesson,
  MAX_PERIODS,
  nextPeriod,
  type PeriodDraft,
  periodProblems,
  strandedLessons,
  WEEKDAYS,
  type Weekday,
} from './bell-schedule-rules';

/** How many of the stranded lessons the refusal lists by name; the rest are counted. */
const LISTED = 10;
const LESSON_PAGE = 1000;

/** The institution's week for an admin: school days and the times of each period. */
export function BellSchedulePage() {
  const schedule = useQuery({ queryKey: ['bell-schedule'], queryFn: () => unwrap(api.GET('/api/bell-schedule')) });
  return (
    <Stack>
      <Title order={1}>{t('bellSchedule.title')}</Title>
      <Text>{t('bellSchedule.intro')}</Text>
      <QueryState query={schedule}>{(saved) => <BellScheduleForm saved={saved} />}</QueryState>
    </Stack>
  );
}

function BellScheduleForm({ saved }: { saved: BellSchedule }) {
  const queryClient = useQueryClient();
  const [days, setDays] = useState<Weekday[]>(saved.days);
  const [periods, setPeriods] = useState<PeriodDraft[]>(saved.periods.map(({ start, end }) => ({ start, end })));
  const problems = periodProblems(periods);
  const draft: BellSchedule = {
    days: WEEKDAYS.filter((day) => days.includes(day)),
    periods: periods.map((period, index) => ({ number: index + 1, ...period })),
  };
  const changed = JSON.stringify(draft) !== JSON.stringify({ days: saved.days, periods: saved.periods });

  const save = useMutation({
    mutationFn: (body: BellSchedule) => unwrap(api.PUT('/api/bell-schedule', { body })),
    onSuccess: (answer) => {
      queryClient.setQueryData(['bell-schedule'], answer);
      // Every timetable and week shows the periods' times: none is kept from before.
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'bell-schedule' });
    },
  });
  const refused = save.error instanceof ApiError && save.error.body.code === 'LESSONS_OUTSIDE' ? save.variables : undefined;

  function edit(index: number, field: keyof PeriodDraft, value: string) {
    save.reset();
    setPeriods(periods.map((period, at) => (at === index ? { ...period, [field]: value } : period)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (problems.length === 0 && draft.days.length > 0) save.mutate(draft);
  }

  const problemOf = (index: number, field: keyof PeriodDraft) => {
    const problem = problems.find((p) => p.index === index && p.field === field);
    return problem ? t(problem.key, problem.values) : undefined;
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        <Checkbox.Group
          label={t('bellSchedule.days')}
          value={days}
          onChange={(value) => {
            save.reset();
            setDays(value as Weekday[]);
          }}
          error={days.length === 0 ? t('bellSchedule.problem.noDays') : undefined}
        >
          <Group mt="xs">
            {WEEKDAYS.map((day) => (
              <Checkbox key={day} value={day} label={t(`day.${day}`)} />
            ))}
          </Group>
        </Checkbox.Group>

        <Title order={2} size="h3">
          {t('bellSchedule.periods')}
        </Title>
        <ScrollTable
          label={t('bellSchedule.periods')}
          nameTable
          minWidth={340}
          striped={false}
          verticalSpacing="xs"
          columns={[t('week.period'), t('bellSchedule.start'), t('bellSchedule.end')]}
        >
          {periods.map((period, index) => (
            // Periods are their place in the list: the index is their identity.
            <Table.Tr key={index}>
              <Table.Th scope="row">{index + 1}</Table.Th>
              {(['start', 'end'] as const).map((field) => (
                <Table.Td key={field}>
                  <TextInput
                    type="time"
                    aria-label={t(field === 'start' ? 'bellSchedule.startOf' : 'bellSchedule.endOf', { number: index + 1 })}
                    value={period[field]}
                    onChange={(e) => edit(index, field, e.currentTarget.value)}
                    error={problemOf(index, field)}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </ScrollTable>
        <Text size="sm" c="dimmed">
          {t('bellSchedule.removeHint')}
        </Text>
        <Group>
          <Button
            variant="light"
            disabled={periods.length >= MAX_PERIODS}
            onClick={() => {
              save.reset();
              setPeriods([...periods, nextPeriod(periods)]);
            }}
          >
            {t('bellSchedule.addPeriod')}
          </Button>
          <Button
            variant="light"
            color="red"
            disabled={periods.length <= 1}
            onClick={() => {
              save.reset();
              setPeriods(periods.slice(0, -1));
            }}
          >
            {t('bellSchedule.removePeriod', { number: periods.length })}
          </Button>
        </Group>

        {refused ? <LessonsOutside schedule={refused} count={Number(save.error instanceof ApiError ? save.error.body.count : 0)} /> : <FormError error={save.error} />}
        {save.isSuccess && !changed ? <Text role="status">{t('bellSchedule.saved')}</Text> : null}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!changed || problems.length > 0 || draft.days.length === 0}>
            {t('bellSchedule.save')}
          </Button>
          <Button
            variant="default"
            disabled={!changed}
            onClick={() => {
              save.reset();
              setDays(saved.days);
              setPeriods(saved.periods.map(({ start, end }) => ({ start, end })));
            }}
          >
            {t('bellSchedule.undo')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Every lesson of the week, page by page (a school has up to about 1,400). */
async function allLessons(): Promise<Lesson[]> {
  const lessons: Lesson[] = [];
  for (let page = 1; ; page++) {
    const answer = await unwrap(api.GET('/api/schedules', { params: { query: { page, limit: LESSON_PAGE } } }));
    lessons.push(...answer.items);
    if (answer.items.length === 0 || lessons.length >= answer.total) return lessons;
  }
}

/**
 * A 409 LESSONS_OUTSIDE only counts the lessons in the way; the refusal names them (day, period,
 * subject, class, teacher) so the admin knows what to move before the days or periods can go.
 */
function LessonsOutside({ schedule, count }: { schedule: BellSchedule; count: number }) {
  const lessons = useQuery({ queryKey: ['schedules', 'all'], queryFn: allLessons, staleTime: 0 });
  const stranded = lessons.data ? strandedLessons(lessons.data, schedule.days, schedule.periods.length) : [];
  return (
    <Alert color="red" role="alert" variant="light" title={t('bellSchedule.outside.title')}>
      <Stack gap="xs">
        <Text size="sm">{t(count === 1 ? 'bellSchedule.outside.one' : 'bellSchedule.outside.other', { count })}</Text>
        {stranded.length > 0 ? (
          <List size="sm">
            {stranded.slice(0, LISTED).map((lesson) => (
              <List.Item key={lesson.id}>
                {t('bellSchedule.outside.lesson', {
                  day: t(`day.${lesson.day}`),
                  period: lesson.period,
                  subject: lesson.subject.name,
                  class: lesson.class.name,
                  teacher: lesson.teacher.name,
                })}
              </List.Item>
            ))}
          </List>
        ) : null}
        {stranded.length > LISTED ? <Text size="sm">{t('bellSchedule.outside.more', { count: stranded.length - LISTED })}</Text> : null}
      </Stack>
    </Alert>
  );
}
