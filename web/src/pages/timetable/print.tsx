import './print.css';
import { Button, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { t } from '../../i18n';
import { QueryState } from '../query-state';
import { type BellSchedule, isTargetKind, type Lesson, TARGET_KINDS, type TargetKind, targetOf } from './lessons';
import { useAllLessons, useBellSchedule } from './queries';
import { LessonWeek } from './week-table';

/** Every class's (teacher's, room's) week, one to a printed page; `?kind=` chooses which. */
export function PrintPage() {
  const [params, setParams] = useSearchParams();
  const requested = params.get('kind');
  const kind: TargetKind = isTargetKind(requested) ? requested : 'class';
  const bell = useBellSchedule();
  const lessons = useAllLessons();

  return (
    <Stack className="timetable-print">
      <Stack className="timetable-print-controls">
        <Title order={1}>{t('timetable.print.title')}</Title>
        <Text>{t('timetable.print.intro')}</Text>
        <Group>
          <SegmentedControl
            aria-label={t('timetable.print.kind')}
            value={kind}
            onChange={(value) => setParams({ kind: value })}
            data={TARGET_KINDS.map((value) => ({ value, label: t(`timetable.kind.${value}`) }))}
          />
          <Button onClick={() => window.print()}>{t('timetable.print.print')}</Button>
        </Group>
      </Stack>
      <QueryState query={bell}>
        {(schedule) => <QueryState query={lessons}>{(all) => <Weeks bell={schedule} lessons={all} kind={kind} />}</QueryState>}
      </QueryState>
    </Stack>
  );
}

const byName = new Intl.Collator(undefined, { numeric: true });

function Weeks({ bell, lessons, kind }: { bell: BellSchedule; lessons: Lesson[]; kind: TargetKind }) {
  // Those with lessons, in name order (7B before 10A): an empty week is not worth a page.
  const weeks = useMemo(() => {
    const groups = new Map<string, { name: string; lessons: Lesson[] }>();
    for (const lesson of lessons) {
      const target = targetOf(lesson, kind);
      if (!target) continue;
      const group = groups.get(target.id) ?? { name: target.name, lessons: [] };
      group.lessons.push(lesson);
      groups.set(target.id, group);
    }
    return [...groups.entries()].sort(([, a], [, b]) => byName.compare(a.name, b.name));
  }, [lessons, kind]);

  if (weeks.length === 0) return <Text>{t('timetable.print.empty')}</Text>;
  return (
    <>
      {weeks.map(([id, week]) => {
        const heading = t(`timetable.print.heading.${kind}`, { name: week.name });
        return (
          <Stack key={id} component="section" className="timetable-print-block" gap="xs" aria-label={heading}>
            <Title order={2}>{heading}</Title>
            <LessonWeek days={bell.days} periods={bell.periods} lessons={week.lessons} kind={kind} label={heading} />
          </Stack>
        );
      })}
    </>
  );
}
