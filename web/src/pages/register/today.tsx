import { Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { QueryState } from '../query-state';
import { nowAndNext } from '../teaching/school-day';
import { useSchoolToday } from '../teaching/school-today';
import { LessonLines } from './lesson-text';
import { plainList } from './plain-list';
import { registerQuery } from './register-query';

type Week = ResponseOf<'/api/timetable/me', 'get'>;
type Lesson = Week['lessons'][number];

/** The lessons the teacher teaches on `date`: their own that are not cancelled by an absence, and those they cover. */
function lessonsOn(week: Week, date: string): Lesson[] {
  const day = week.dates?.find((entry) => entry.date === date)?.day;
  return day ? week.lessons.filter((lesson) => lesson.day === day && !lesson.cancelled) : [];
}

/** A school date (YYYY-MM-DD, read as UTC midnight) written out in full. */
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeZone: 'UTC' });

/** Taken or not: one request per lesson of the day, all sent as the list appears. */
function RegisterBadge({ lessonId, date }: { lessonId: string; date: string }) {
  const register = useQuery(registerQuery(lessonId, date));
  if (register.isPending) return <Loader size="xs" aria-label={t('app.loading')} />;
  if (register.isError) return null;
  return register.data.taken ? (
    <Badge color="green" variant="light">
      {t('register.taken')}
    </Badge>
  ) : (
    <Badge color="orange" variant="light">
      {t('register.notTakenShort')}
    </Badge>
  );
}

function TodayLessons({ lessons, date, time, teacherId }: { lessons: Lesson[]; date: string; time: string; teacherId: string }) {
  const { now } = nowAndNext(lessons, time);
  if (lessons.length === 0) return <Text role="status">{t('register.noLessonsToday')}</Text>;
  return (
    <Stack component="ul" gap="sm" aria-label={t('register.todayLessons')} style={plainList}>
      {lessons.map((lesson) => (
        <li key={lesson.id}>
          {/* A Card has no focus ring of its own: Mantine's (as on buttons) shows where the keyboard is. */}
          <Card withBorder component={Link} to={`/register/lessons/${lesson.id}?date=${date}`} p="md" className="mantine-focus-auto">
            <Group justify="space-between" wrap="nowrap" align="start">
              <Stack gap={4}>
                <LessonLines lesson={lesson} />
                {lesson === now ? (
                  <Badge color="blue" variant="light" w="fit-content">
                    {t('register.now')}
                  </Badge>
                ) : null}
                {lesson.cover?.teacher.id === teacherId && lesson.teacher.id !== teacherId ? (
                  <Text size="sm">{t('register.coverFor', { name: lesson.teacher.name })}</Text>
                ) : null}
              </Stack>
              <RegisterBadge lessonId={lesson.id} date={date} />
            </Group>
          </Card>
        </li>
      ))}
    </Stack>
  );
}

/** A teacher's lessons of today, each with whether its register is taken, each opening it. */
export function TodayRegistersPage() {
  const { user } = useAccount();
  // Today and now are the school's, as on the Today page, whatever the device's zone.
  const { settings, today, week } = useSchoolToday();
  const timetable = useQuery({
    queryKey: ['timetable', 'me', week],
    queryFn: () => unwrap(api.GET('/api/timetable/me', { params: { query: { week: week as string } } })),
    enabled: week !== null,
  });
  return (
    <Stack maw={640}>
      <Title order={1}>{t('register.todayTitle')}</Title>
      {today ? <Text c="dimmed">{fullDate.format(new Date(`${today.date}T00:00:00Z`))}</Text> : null}
      <QueryState query={settings}>
        {() => (
          <QueryState query={timetable}>
            {(data) => (today ? <TodayLessons lessons={lessonsOn(data, today.date)} date={today.date} time={today.time} teacherId={user.id} /> : null)}
          </QueryState>
        )}
      </QueryState>
    </Stack>
  );
}
