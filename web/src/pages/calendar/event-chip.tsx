import { UnstyledButton } from '@mantine/core';
import { type Occurrence, occurrenceTitle, TYPE_COLOR, timeText } from './occurrences';
import { wallClock } from './zoned-time';

/**
 * One occurrence in a day: a button opening its details, in its kind's colour. `time` says how
 * much of the time to show: the start in a crowded month cell, the range in a week.
 */
export function EventChip({ occurrence, time, onOpen }: { occurrence: Occurrence; time: 'start' | 'range'; onOpen: (occurrence: Occurrence) => void }) {
  const color = TYPE_COLOR[occurrence.type];
  const when = occurrence.allDay ? null : time === 'start' ? wallClock(occurrence.startsAt!).time : timeText(occurrence);
  return (
    <UnstyledButton
      onClick={() => onOpen(occurrence)}
      data-type={occurrence.type}
      w="100%"
      px={6}
      py={2}
      fz="sm"
      fw={occurrence.type === 'holiday' ? 700 : 500}
      style={{
        display: 'block',
        textAlign: 'start',
        overflowWrap: 'anywhere',
        borderRadius: 4,
        borderInlineStart: `4px solid var(--mantine-color-${color}-filled)`,
        background: `var(--mantine-color-${color}-light)`,
      }}
    >
      {when ? `${when} ` : ''}
      {occurrenceTitle(occurrence)}
    </UnstyledButton>
  );
}
