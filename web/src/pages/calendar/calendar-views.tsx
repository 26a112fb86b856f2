import { Badge, Card, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { t } from '../../i18n';
import { addDays, daysFrom, formatDay, sameMonth, WEEKDAYS } from './calendar-dates';
import { EventChip } from './event-chip';
import { type Occurrence, occurrenceKey, occurrencesByDay } from './occurrences';

interface ViewProps {
  /** A day of the month or week shown. */
  date: string;
  today: string;
  occurrences: Occurrence[];
  onOpen: (occurrence: Occurrence) => void;
}

const longDay = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;

const hasHoliday = (list: Occurrence[]) => list.some((occurrence) => occurrence.type === 'holiday');

/** A holiday's day is tinted orange as a whole, beside the holiday's own entry. */
const holidayTint = { background: 'var(--mantine-color-orange-light)' };

/** Days as Monday-to-Sunday columns of a table, for a desktop: a month's weeks, or one week. */
function DayGrid({ weeks, label, today, byDay, dimmed, time, onOpen }: {
  weeks: string[][];
  label: string;
  today: string;
  byDay: Map<string, Occurrence[]>;
  /** Days greyed out: those outside the month shown. */
  dimmed: (day: string) => boolean;
  time: 'start' | 'range';
  onOpen: (occurrence: Occurrence) => void;
}) {
  return (
    <Table.ScrollContainer type="native" minWidth={720} visibleFrom="sm" tabIndex={0} role="region" aria-label={label}>
      <Table withColumnBorders withTableBorder layout="fixed" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {WEEKDAYS.map((weekday, index) => (
              <Table.Th key={weekday} scope="col">
                {t(`day.${weekday}`)}
                {weeks.length === 1 ? ` ${formatDay(weeks[0]![index]!, { day: 'numeric', month: 'short' })}` : ''}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {weeks.map((week) => (
            <Table.Tr key={week[0]}>
              {week.map((day) => {
                const list = byDay.get(day) ?? [];
                return (
                  <Table.Td key={day} valign="top" h={weeks.length === 1 ? 240 : 110} style={hasHoliday(list) ? holidayTint : undefined} data-day={day}>
                    <Stack gap={4}>
                      {weeks.length > 1 && (
                        <Text size="sm" fw={day === today ? 800 : 500} c={dimmed(day) ? 'dimmed' : undefined} td={day === today ? 'underline' : undefined}>
                          <span aria-hidden>{Number(day.slice(8))}</span>
                          <VisuallyHidden>{formatDay(day, longDay)}</VisuallyHidden>
                          {day === today && <VisuallyHidden>{` (${t('calendar.todayMark')})`}</VisuallyHidden>}
                        </Text>
                      )}
                      {list.map((occurrence) => (
                        <EventChip key={occurrenceKey(occurrence)} occurrence={occurrence} time={time} onOpen={onOpen} />
                      ))}
                    </Stack>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Days one below the other, for a phone; days without events only where `showEmpty`. */
function DayList({ days, today, byDay, showEmpty, label, onOpen }: {
  days: string[];
  today: string;
  byDay: Map<string, Occurrence[]>;
  showEmpty: boolean;
  label: string;
  onOpen: (occurrence: Occurrence) => void;
}) {
  const shown = showEmpty ? days : days.filter((day) => (byDay.get(day) ?? []).length > 0);
  if (shown.length === 0) return <Text hiddenFrom="sm">{t('calendar.emptyMonth')}</Text>;
  return (
    <Stack hiddenFrom="sm" gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={label}>
      {shown.map((day) => {
        const list = byDay.get(day) ?? [];
        return (
          <Card key={day} component="li" withBorder padding="sm" style={hasHoliday(list) ? holidayTint : undefined} data-day={day}>
            <Title order={2} size="h5" mb={4}>
              {formatDay(day, { weekday: 'long', day: 'numeric', month: 'long' })}
              {day === today && (
                <Badge ml="xs" variant="outline" size="sm">
                  {t('calendar.today')}
                </Badge>
              )}
            </Title>
            {list.length === 0 ? (
              <Text size="sm">{t('calendar.emptyDay')}</Text>
            ) : (
              <Stack gap={4}>
                {list.map((occurrence) => (
                  <EventChip key={occurrenceKey(occurrence)} occurrence={occurrence} time="range" onOpen={onOpen} />
                ))}
              </Stack>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}

/** A month: a grid of its weeks on a desktop, the days with events as a list on a phone. */
export function MonthView({ date, today, occurrences, weeks, onOpen }: ViewProps & { weeks: string[][] }) {
  const byDay = occurrencesByDay(occurrences, weeks.flat());
  const month = formatDay(date, { month: 'long', year: 'numeric' });
  return (
    <>
      <DayGrid weeks={weeks} label={month} today={today} byDay={byDay} dimmed={(day) => !sameMonth(day, date)} time="start" onOpen={onOpen} />
      <DayList
        days={weeks.flat().filter((day) => sameMonth(day, date))}
        today={today}
        byDay={byDay}
        showEmpty={false}
        label={t('calendar.monthDays', { month })}
        onOpen={onOpen}
      />
    </>
  );
}

/** A week from Monday: seven columns on a desktop, seven days one below the other on a phone. */
export function WeekView({ date: monday, today, occurrences, onOpen }: ViewProps) {
  const days = daysFrom(monday, addDays(monday, 6));
  const byDay = occurrencesByDay(occurrences, days);
  const label = t('calendar.weekOf', { date: formatDay(monday, { day: 'numeric', month: 'long', year: 'numeric' }) });
  return (
    <>
      <DayGrid weeks={[days]} label={label} today={today} byDay={byDay} dimmed={() => false} time="range" onOpen={onOpen} />
      <DayList days={days} today={today} byDay={byDay} showEmpty label={label} onOpen={onOpen} />
    </>
  );
}
