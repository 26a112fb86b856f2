import { Badge, type MantineBreakpoint, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { t } from '../../i18n';
import { type Day, type Lesson, lessonsBySlot, type Period, slotKey, type TargetKind } from './lessons';

interface WeekTableProps {
  days: readonly Day[];
  periods: readonly Period[];
  /** Names the table and its scroll region (a phone scrolls the week sideways). */
  label: string;
  /** One `<Table.Td>` per slot: the editor makes it a drop target, the preview and print just fill it. */
  renderCell: (day: Day, period: Period) => ReactNode;
  /** A column's heading; the day's name unless a dated week says more (the date, today, holidays). */
  renderDayHeading?: (day: Day) => ReactNode;
  periodColumnWidth?: number;
  /** Where a page shows the week another way on smaller screens (a person's week lists each day on a phone). */
  visibleFrom?: MantineBreakpoint;
}

const dayName = (day: Day) => t(`day.${day}`);

/** The skeleton of every timetable here: periods of the bell schedule down, days across. */
export function WeekTable({ days, periods, label, renderCell, renderDayHeading = dayName, periodColumnWidth = 90, visibleFrom }: WeekTableProps) {
  return (
    <Table.ScrollContainer type="native" minWidth={720} visibleFrom={visibleFrom} tabIndex={0} role="region" aria-label={label}>
      <Table withColumnBorders withTableBorder layout="fixed" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={periodColumnWidth}>
              {t('week.period')}
            </Table.Th>
            {days.map((day) => (
              <Table.Th key={day} scope="col">
                {renderDayHeading(day)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {periods.map((period) => (
            <Table.Tr key={period.number}>
              <Table.Th scope="row">
                <Text size="sm">{period.number}</Text>
                <Text size="xs" c="dimmed">
                  {period.start}–{period.end}
                </Text>
              </Table.Th>
              {days.map((day) => renderCell(day, period))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The parts of a lesson worth naming in a grid of `kind`: a class's week names the teacher, a teacher's the class. */
export function lessonDetails(lesson: Pick<Lesson, 'class' | 'teacher' | 'room'>, kind: TargetKind): string[] {
  const room = lesson.room ? t('week.room', { room: lesson.room.name }) : null;
  const details = kind === 'class' ? [lesson.teacher.name, room] : kind === 'teacher' ? [lesson.class.name, room] : [lesson.class.name, lesson.teacher.name];
  return details.filter((detail): detail is string => detail !== null);
}

/** A lesson as text: the subject, then who or where. */
export function LessonText({ lesson, kind }: { lesson: Pick<Lesson, 'subject' | 'class' | 'teacher' | 'room'>; kind: TargetKind }) {
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600} lineClamp={2}>
        {lesson.subject.name}
      </Text>
      {lessonDetails(lesson, kind).map((detail) => (
        <Text key={detail} size="xs" lineClamp={1}>
          {detail}
        </Text>
      ))}
    </Stack>
  );
}

/** A lesson the generator keeps where it is. */
export function PinnedBadge() {
  return (
    <Badge size="xs" variant="light" color="grape" data-pinned="true">
      {t('timetable.pinned')}
    </Badge>
  );
}

/** What a read-only week needs of a lesson: a proposed one has no id and no times yet. */
export type ShownLesson = Pick<Lesson, 'day' | 'period' | 'subject' | 'class' | 'teacher' | 'room'> & { pinned?: boolean };

/** A week to read, not edit: the generator's side-by-side preview and the printed timetables. */
export function LessonWeek({ days, periods, lessons, kind, label }: { days: readonly Day[]; periods: readonly Period[]; lessons: readonly ShownLesson[]; kind: TargetKind; label: string }) {
  const bySlot = lessonsBySlot(lessons);
  return (
    <WeekTable
      days={days}
      periods={periods}
      label={label}
      renderCell={(day, period) => {
        const key = slotKey(day, period.number);
        return (
          <Table.Td key={key} data-slot={key} style={{ verticalAlign: 'top' }}>
            {(bySlot.get(key) ?? []).map((lesson, index) => (
              <Stack key={index} gap={2}>
                <LessonText lesson={lesson} kind={kind} />
                {lesson.pinned ? <PinnedBadge /> : null}
              </Stack>
            ))}
          </Table.Td>
        );
      }}
    />
  );
}
