import { Button, Group, TextInput } from '@mantine/core';
import { t } from '../../i18n';
import { isIsoDay, shiftDay } from '../../lib/iso-day';

interface DayPickerProps {
  day: string;
  onChange: (day: string) => void;
  /** The last day that may be picked (today, for registers). */
  max?: string;
  /** A lesson's register steps a week at a time: its lesson is on one weekday. */
  step?: 'day' | 'week';
}

/** The day a page shows: a date field between buttons to the one before and after. */
export function DayPicker({ day, onChange, max, step = 'day' }: DayPickerProps) {
  const days = step === 'week' ? 7 : 1;
  const next = shiftDay(day, days);
  return (
    <Group gap="xs" align="end" wrap="nowrap">
      <Button variant="default" onClick={() => onChange(shiftDay(day, -days))} aria-label={t(step === 'week' ? 'week.previous' : 'register.previousDay')}>
        ‹
      </Button>
      <TextInput
        type="date"
        label={t('register.date')}
        value={day}
        max={max}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (isIsoDay(value) && (!max || value <= max)) onChange(value);
        }}
      />
      <Button variant="default" onClick={() => onChange(next)} disabled={max !== undefined && next > max} aria-label={t(step === 'week' ? 'week.next' : 'register.nextDay')}>
        ›
      </Button>
    </Group>
  );
}
