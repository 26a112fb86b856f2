import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { isoDay } from '../../lib/iso-day';
import { QueryState } from '../query-state';
import { useDayParam } from './dates';
import { DayPicker } from './day-picker';
import { lessonText, periodText } from './lesson-text';
import { plainList } from './plain-list';

type MissingLesson = ResponseOf<'/api/attendance/missing', 'get'>['lessons'][number];

/** The lessons by period, in the server's order (period, then class). */
function byPeriod(lessons: MissingLesson[]): MissingLesson[][] {
  const groups = new Map<number, MissingLesson[]>();
  for (const lesson of lessons) groups.set(lesson.period, [...(groups.get(lesson.period) ?? []), lesson]);
  return [...groups.values()];
}

function MissingList({ lessons, date }: { lessons: MissingLesson[]; date: string }) {
  if (lessons.length === 0) return <Text role="status">{t('register.noneMissing')}</Text>;
  return (
    <Stack>
      <Text role="status">{t('register.missingCount', { count: lessons.length })}</Text>
      {byPeriod(lessons).map((group) => {
        const first = group[0] as MissingLesson;
        const headingId = `missing-period-${first.period}`;
        return (
          <Stack key={first.period} gap="xs" component="section" aria-labelledby={headingId}>
            <Title order={2} size="h4" id={headingId}>
              {periodText(first)}
            </Title>
            <Stack component="ul" gap="xs" style={plainList}>
              {group.map((lesson) => (
                <Card key={lesson.id} component="li" withBorder p="sm" data-testid="missing-register">
                  <Group justify="space-between" gap="xs">
                    <div>
                      <Text fw={600}>{lessonText(lesson)}</Text>
                      <Text size="sm">{t('register.teacher', { name: lesson.teacher.name })}</Text>
                    </div>
                    <Anchor component={Link} to={`/register/lessons/${lesson.id}?date=${date}`}>
                      {t('register.openFor', { class: lesson.class.name, subject: lesson.subject.name })}
                    </Anchor>
                  </Group>
                </Card>
              ))}
            </Stack>
          </Stack>
        );
      })}
    </Stack>
  );
}

/** Admins: the registers nobody has saved on a day (today or before), by period and class. */
export function MissingRegistersPage() {
  const [day, setDay] = useDayParam();
  const today = isoDay();
  const date = day > today ? today : day;
  const missing = useQuery({
    queryKey: ['attendance', 'missing', date],
    queryFn: () => unwrap(api.GET('/api/attendance/missing', { params: { query: { date } } })),
    staleTime: 0,
  });
  return (
    <Stack>
      <Title order={1}>{t('register.missingTitle')}</Title>
      <DayPicker day={date} onChange={setDay} max={today} />
      <QueryState query={missing}>{(data) => <MissingList lessons={data.lessons} date={date} />}</QueryState>
    </Stack>
  );
}
