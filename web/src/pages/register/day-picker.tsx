import { Button, Group, TextInput } from '@mantine/core';
import { t } from '../../i18n';
import { isIsoDay, shiftDay } from './dates';

/** The day a page shows: a date field between previous and next day; `max` stops it at a last day (today for registers). */
export function DayPicker({ day, onChange, max }: { day: string; onChange: (day: string) => void; max?: string }) {
  const next = shiftDay(day, 1);
  return (
    <Group gap="xs" align="end" wrap="nowrap">
      <Button variant="default" onClick={() => onChange(shiftDay(day, -1))} aria-label={t('register.previousDay')}>
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
      <Button variant="default" onClick={() => onChange(next)} disabled={max !== undefined && next > max} aria-label={t('register.nextDay')}>
        ›
      </Button>
    </Group>
  );
}
