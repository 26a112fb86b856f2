import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { isIsoWeek, isoWeekOf, shiftWeek } from '../../lib/iso-week';
import { QueryState } from '../query-state';
import { schoolNow } from '../teaching/school-day';
// The timetable's print stylesheet: a week prints on one landscape page without the app around it.
import '../timetable/print.css';
import { WeekTable } from '../timetable/week-table';

export type Week = ResponseOf<'/api/timetable/me', 'get'>;
export type Lesson = Week['lessons'][number];
export type Day = Week['days'][number];

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * A teacher's own lessons name the class; a student's name the teacher, or who covers that day.
 * In a dated week a teacher's lesson may be one they cover, or their own they are away from.
 */
export function LessonText({ lesson, teacher }: { lesson: Lesson; teacher: boolean }) {
  const taughtBy = lesson.cover?.teacher.name ?? lesson.teacher.name;
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600} td={lesson.cancelled ? 'line-through' : undefined}>
        {teacher
          ? t('week.lessonFor', { subject: lesson.subject.name, class: lesson.class.name })
          : t('week.lessonWith', { subject: lesson.subject.name, teacher: taughtBy })}
      </Text>
      {lesson.room ? (
        <Text size="xs" c="dimmed">
          {t('week.room', { room: lesson.room.name })}
        </Text>
      ) : null}
      {lesson.cancelled ? (
        <Text size="xs" c="dimmed">
          {lesson.cover ? t('week.awayCovered', { teacher: lesson.cover.teacher.name }) : t('week.away')}
        </Text>
      ) : lesson.cover ? (
        <Text size="xs" c="dimmed">
          {teacher ? t('week.coveringFor', { teacher: lesson.teacher.name }) : t('week.cover')}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Today's date on this device, to mark its day in the week. */
function deviceToday(): string {
  return schoolNow(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone).date;
}

function DayHeading({ week, day }: { week: Week; day: Day }) {
  const dated = week.dates?.find((entry) => entry.day === day);
  return (
    <Stack gap={2}>
      <span>
        {t(`day.${day}`)}
        {dated ? ` ${dateFormat.format(new Date(`${dated.date}T00:00:00Z`))}` : ''}
      </span>
      {dated?.date === deviceToday() ? (
        <Badge color="blue" variant="filled" tt="none" w="fit-content">
          {t('week.today')}
        </Badge>
      ) : null}
      {dated?.holidays.map((holiday) => (
        <Badge key={holiday.id} color="orange" variant="light" tt="none" h="auto" styles={{ label: { whiteSpace: 'normal' } }}>
          {t('week.holiday', { name: holiday.title })}
        </Badge>
      ))}
    </Stack>
  );
}

/** The week as a grid of periods by days: a desktop's view. */
function WeekGrid({ week, teacher }: { week: Week; teacher: boolean }) {
  const at = (day: Day, period: number) => week.lessons.filter((lesson) => lesson.day === day && lesson.period === period);
  return (
    <WeekTable
      days={week.days}
      periods={week.periods}
      label={t('week.grid')}
      visibleFrom="sm"
      periodColumnWidth={110}
      renderDayHeading={(day) => <DayHeading week={week} day={day} />}
      renderCell={(day, period) => (
        <Table.Td key={day}>
          {at(day, period.number).map((lesson) => (
            <LessonText key={lesson.id} lesson={lesson} teacher={teacher} />
          ))}
        </Table.Td>
      )}
    />
  );
}

/** The week as one list per day: a phone's view. */
function WeekList({ week, teacher }: { week: Week; teacher: boolean }) {
  return (
    <Stack hiddenFrom="sm">
      {week.days.map((day) => {
        const lessons = week.lessons.filter((lesson) => lesson.day === day);
        return (
          <Card key={day} withBorder component="section">
            <Title order={2} size="h4" mb="xs">
              <DayHeading week={week} day={day} />
            </Title>
            {lessons.length === 0 ? (
              <Text size="sm">{t('week.noLessons')}</Text>
            ) : (
              <Stack gap="xs">
                {lessons.map((lesson) => (
                  <Group key={lesson.id} wrap="nowrap" align="start">
                    <Text size="sm" c="dimmed" w={90}>
                      {lesson.start}–{lesson.end}
                    </Text>
                    <LessonText lesson={lesson} teacher={teacher} />
                  </Group>
                ))}
              </Stack>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}

interface TimetableWeekProps {
  /** Cache key of this timetable; the week is appended. */
  queryKey: readonly unknown[];
  load: (week: string) => Promise<Week>;
  /** Lessons name the class (a teacher's own week) instead of the teacher. */
  teacher: boolean;
  /** Shown above the week's own title, e.g. whose week it is. */
  heading?: string;
}

/** A week of lessons with previous/next navigation kept in `?week=`: the own week and a child's week. */
export function TimetableWeek({ queryKey, load, teacher, heading }: TimetableWeekProps) {
  const [params, setParams] = useSearchParams();
  const { pathname } = useLocation();
  const current = isoWeekOf(new Date());
  const requested = params.get('week');
  const week = isIsoWeek(requested) ? requested : current;
  const timetable = useQuery({
    queryKey: [...queryKey, week],
    queryFn: () => load(week),
    placeholderData: keepPreviousData,
  });
  const go = (to: string) => setParams(to === current ? {} : { week: to });
  const weekTitle = week === current ? t('week.current') : t('week.title', { week });

  return (
    <Stack className="timetable-print">
      <Group justify="space-between">
        <Title order={1}>{heading ? `${heading}: ${weekTitle}` : weekTitle}</Title>
        <Group gap="xs" className="timetable-print-controls">
          <Button variant="default" onClick={() => go(shiftWeek(week, -1))}>
            {t('week.previous')}
          </Button>
          {week !== current ? (
            <Button variant="default" component={Link} to={pathname}>
              {t('week.current')}
            </Button>
          ) : null}
          <Button variant="default" onClick={() => go(shiftWeek(week, 1))}>
            {t('week.next')}
          </Button>
        </Group>
      </Group>
      <QueryState query={timetable}>
        {(data) => (
          <>
            {data.lessons.length === 0 ? <Text role="status">{t('week.empty')}</Text> : null}
            <WeekGrid week={data} teacher={teacher} />
            <WeekList week={data} teacher={teacher} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

export function WeekPage() {
  const { user } = useAccount();
  return (
    <TimetableWeek
      queryKey={['timetable', 'me']}
      load={(week) => unwrap(api.GET('/api/timetable/me', { params: { query: { week } } }))}
      teacher={user.role === 'teacher'}
    />
  );
}
