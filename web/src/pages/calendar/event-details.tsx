import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Role } from '../../api/types';
import { t } from '../../i18n';
import { useAudienceClasses } from '../announcements/audience-classes';
import { formatDay } from './calendar-dates';
import { daysOf, type Occurrence, TYPE_COLOR, timeText } from './occurrences';

const fullDate = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;

function whenText(occurrence: Occurrence): string {
  const { first, last } = daysOf(occurrence);
  const days = first === last ? formatDay(first, fullDate) : `${formatDay(first, fullDate)} – ${formatDay(last, fullDate)}`;
  return `${days}, ${timeText(occurrence)}`;
}

function AudienceText({ occurrence, role }: { occurrence: Occurrence; role: Role }) {
  const classes = useAudienceClasses(role);
  const { audience } = occurrence;
  if (audience.all) return <>{t('calendar.audience.all')}</>;
  if (audience.teachersOnly) return <>{t('calendar.audience.teachersOnly')}</>;
  const names = (audience.classIds ?? []).map((id) => classes.data?.find((klass) => klass.id === id)?.name).filter(Boolean);
  return <>{names.length > 0 ? t('calendar.audience.forClasses', { classes: names.join(', ') }) : t('calendar.audience.classes')}</>;
}

/** One occurrence: what, when (in the institution's time) and for whom; edit and delete where the server says the caller may. */
export function EventDetails({ occurrence, role, timeZone, onEdit, onDelete, onClose }: {
  occurrence: Occurrence;
  role: Role;
  timeZone: string;
  onEdit: () => void;
  onDelete: () => void;
  onClose: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (confirming) {
    return (
      <Stack>
        <Text fw={700}>{t('calendar.deleteTitle')}</Text>
        <Text>{t('calendar.deleteText', { title: occurrence.title })}</Text>
        {occurrence.recurring && <Text>{t('calendar.deleteSeries')}</Text>}
        <Group>
          <Button color="red" onClick={onDelete} data-autofocus>
            {t('calendar.deleteConfirm')}
          </Button>
          <Button variant="default" onClick={() => setConfirming(false)}>
            {t('calendar.cancel')}
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack>
      <Group gap="xs">
        <Badge color={TYPE_COLOR[occurrence.type]} variant="light" tt="none">
          {t(`calendar.type.${occurrence.type}`)}
        </Badge>
        {occurrence.recurring && (
          <Badge variant="outline" tt="none">
            {t('calendar.repeats')}
          </Badge>
        )}
      </Group>
      <Stack gap={0} component="dl" m={0}>
        <Text component="dt" size="sm" fw={700}>
          {t('calendar.details.when')}
        </Text>
        <Text component="dd" m={0} data-testid="event-when">
          {whenText(occurrence)}
        </Text>
        <Text component="dd" m={0} size="sm" c="dimmed">
          {t('calendar.timeZone', { timeZone })}
        </Text>
        <Text component="dt" size="sm" fw={700} mt="xs">
          {t('calendar.details.for')}
        </Text>
        <Text component="dd" m={0}>
          <AudienceText occurrence={occurrence} role={role} />
        </Text>
      </Stack>
      {occurrence.description && <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{occurrence.description}</Text>}
      {occurrence.recurring && <Text size="sm">{t('calendar.details.series')}</Text>}
      <Group>
        {occurrence.canEdit && (
          <>
            <Button onClick={onEdit}>{t('calendar.edit')}</Button>
            <Button color="red" variant="outline" onClick={() => setConfirming(true)}>
              {t('calendar.delete')}
            </Button>
          </>
        )}
        <Button variant="default" onClick={onClose}>
          {t('calendar.close')}
        </Button>
      </Group>
    </Stack>
  );
}
