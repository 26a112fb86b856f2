import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { QueryState } from '../query-state';
import { type Lesson, LessonText, type Week } from '../week/week';
import { CalendarFeedCard } from './calendar-feed';
import { nowAndNext, type SchoolNow } from './school-day';
import { useSchoolToday } from './school-today';

const longDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/** Where a teacher takes a lesson's register (the register area's page), for the lesson on that date. */
export function registerPath(lessonId: string, date: string): string {
  return `/register/lessons/${lessonId}?date=${date}`;
}

function LessonCard({ lesson, today, teacher, state }: { lesson: Lesson; today: SchoolNow; teacher: boolean; state?: 'now' | 'next' }) {
  const current = state === 'now';
  return (
    <Card
      component="li"
      withBorder
      padding="sm"
      aria-current={current ? 'time' : undefined}
      data-current={current || undefined}
      style={current ? { borderColor: 'var(--mantine-color-blue-filled)', borderWidth: 2, background: 'var(--mantine-color-blue-light)' } : undefined}
    >
      <Group justify="space-between" align="start" wrap="wrap" gap="sm">
        <Group wrap="nowrap" align="start" gap="md">
          <Stack gap={0} w={96}>
            <Text size="sm" fw={600}>
              {lesson.start}–{lesson.end}
            </Text>
            <Text size="xs" c="dimmed">
              {t('week.periodNumber', { number: lesson.period })}
            </Text>
          </Stack>
          <LessonText lesson={lesson} teacher={teacher} />
        </Group>
        <Group gap="xs">
          {current ? <Badge color="blue">{t('teaching.today.now')}</Badge> : null}
          {state === 'next' ? <Badge variant="outline">{t('teaching.today.next')}</Badge> : null}
          {teacher && !lesson.cancelled ? (
            <Button
              component={Link}
              to={registerPath(lesson.id, today.date)}
              size={current ? 'sm' : 'xs'}
              variant={current ? 'filled' : 'light'}
              aria-label={t('teaching.today.takeRegisterFor', { subject: lesson.subject.name, class: lesson.class.name, period: lesson.period })}
            >
              {t('teaching.today.takeRegister')}
            </Button>
          ) : null}
        </Group>
      </Group>
    </Card>
  );
}

/** Today's lessons from the week's timetable, the one going on (or else the next) marked; a holiday or a day without school said. */
export function TodayLessons({ week, today, teacher }: { week: Week; today: SchoolNow; teacher: boolean }) {
  const holidays = week.dates?.find((entry) => entry.date === today.date)?.holidays ?? [];
  const lessons = week.lessons.filter((lesson) => lesson.day === today.day);
  const { now, next } = nowAndNext(lessons, today.time);
  return (
    <Stack gap="sm">
      {holidays.map((holiday) => (
        <Alert key={holiday.id} color="orange" variant="light" title={t('week.holiday', { name: holiday.title })}>
          {t('teaching.today.holiday')}
        </Alert>
      ))}
      {!week.days.includes(today.day) ? (
        <Text role="status">{t('teaching.today.noSchool')}</Text>
      ) : lessons.length === 0 ? (
        holidays.length === 0 ? <Text role="status">{t('teaching.today.noLessons')}</Text> : null
      ) : (
        <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('teaching.today.lessons')}>
          {lessons.map((lesson) => (
            <LessonCard
              key={lesson.id}
              lesson={lesson}
              today={today}
              teacher={teacher}
              state={lesson === now ? 'now' : lesson === next && !now ? 'next' : undefined}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** A teacher's or student's start page: today's lessons at the school's time, the one going on marked. */
export function TodayPage() {
  const { user } = useAccount();
  const teacher = user.role === 'teacher';
  const { settings, today, week } = useSchoolToday();
  const timetable = useQuery({
    queryKey: ['timetable', 'me', week],
    queryFn: () => unwrap(api.GET('/api/timetable/me', { params: { query: { week: week as string } } })),
    enabled: week !== null,
  });

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Stack gap={0}>
          <Title order={1}>{t('teaching.today.title')}</Title>
          {today ? <Text c="dimmed">{longDate.format(new Date(`${today.date}T00:00:00Z`))}</Text> : null}
        </Stack>
        <Anchor component={Link} to="/week">
          {t('teaching.today.wholeWeek')}
        </Anchor>
      </Group>
      <QueryState query={settings}>
        {() => <QueryState query={timetable}>{(data) => (today ? <TodayLessons week={data} today={today} teacher={teacher} /> : null)}</QueryState>}
      </QueryState>
      <CalendarFeedCard />
    </Stack>
  );
}
